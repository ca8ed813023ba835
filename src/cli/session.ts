import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countToolTokens, measureCosts } from '../catalog/tokens.js';
import { parseCurationConfig, readCurationConfig } from '../curate/config-file.js';
import * as prompts from '../curate/prompts.js';
import { renderRecord, type Choice } from '../curate/record.js';
import { defaultInclusion, narrowStartThreshold, selectTools, suggestStarterSet, type OperationDecision } from '../curate/select.js';
import { summarize } from '../curate/selection.js';
import { UserError, formatDiagnostic, type Diagnostic } from '../errors.js';
import { defaultEnvPrefix, defaultServerName } from '../model/names.js';
import { catalogProject, curateSpec, type Curated, type Generated } from '../pipeline.js';
import { writeFiles, type WriteResult } from '../write/write-files.js';
import { assertConfigWritable, assertOutputFolder, outputFolderProblem } from './init-checks.js';
import { contextBudgetTokens, measureModeCosts } from '../discovery/modes.js';
import {
  chooseServerMode,
  credentialArguments,
  customizeTools,
  excludedReason,
  existingArguments,
  includedReason,
  proposeDefaultRedactions,
  selectOperations,
  type SessionState,
} from './session-steps.js';
import { formatCount } from '../format-count.js';

/** How many operations the starter set of a large spec offers. */
const starterSize = 8;

export type SessionOptions = {
  /** toolwright.yaml to write (and, for curate, to read). */
  configFile: string;
  spec?: string;
  out?: string;
  /** The server's name and environment prefix, instead of asking. */
  serverName?: string;
  envPrefix?: string;
  /** Take the defaults without asking. */
  yes: boolean;
  mode: 'init' | 'curate';
  log: (line: string) => void;
};

type Step = 'selection' | 'tools' | 'mode' | 'server' | 'out' | 'review';

/** What a session wrote: the curation file, and the generated project. */
export type SessionResult = { configFile: string; out: string; generated: Generated; result: WriteResult };

/**
 * `toolwright init` and `toolwright curate`: every precondition is checked before the first question; then
 * choose operations, name and describe the tools, name the server, review everything, and only then write
 * toolwright.yaml and generate. The review can go back to any step.
 */
export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const { configFile, log, mode } = options;
  if (!options.yes && !prompts.isInteractive()) {
    throw new UserError({
      code: 'not-interactive',
      message: `toolwright ${mode} asks questions, but this is not an interactive terminal (or CI is set)`,
      help: 'Pass --yes to take the defaults, or edit toolwright.yaml and run `toolwright generate`.',
    });
  }
  const existing = mode === 'curate' ? await readCurationConfig(configFile) : undefined;
  const spec = options.spec ?? existing?.spec;
  if (!spec) throw new UserError({ code: 'no-spec', file: configFile, message: 'toolwright.yaml does not name the spec', help: 'Add `spec: ./openapi.yaml` to it.' });
  checkFlag('--name', options.serverName, prompts.serverNamePrompt(''));
  checkFlag('--env-prefix', options.envPrefix, prompts.envPrefixPrompt(''));
  await assertConfigWritable(configFile);
  const outOption = options.out ?? existing?.out;
  if (outOption) await assertOutputFolder(path.resolve(outOption), false);

  const started = Date.now();
  log(`Loading ${spec} ...`);
  const curated = await curateSpec({ spec, config: existing, dropUnknown: true });
  log(`Read ${curated.decisions.operations.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  const costs = new Map<string, number>();
  const measure = (operations: OperationDecision[]): void => {
    const missing = operations.filter((decision) => !costs.has(decision.operation.key));
    if (missing.length === 0) return;
    for (const [key, tokens] of measureCosts(curated.model, { ...curated.decisions, operations: missing })) costs.set(key, tokens);
  };

  const { decisions } = curated;
  const isNew = (decision: OperationDecision): boolean => Boolean(existing) && decision.unreviewed;
  const ordered = [...decisions.operations.filter(isNew), ...decisions.operations.filter((d) => !isNew(d))];
  printSummary(curated, log);
  for (const entry of curated.missing) log(`  no longer in the spec (dropped from toolwright.yaml): ${entry.ref}`);
  const newCount = ordered.filter(isNew).length;
  if (newCount > 0) log(`  ${newCount} operation${newCount === 1 ? ' is' : 's are'} new since the last curation, listed first and marked NEW.`);

  const narrow = mode === 'init' && !options.yes && ordered.length > narrowStartThreshold;
  const configDir = path.dirname(configFile);
  const name = options.serverName ?? (existing ? decisions.server.name : defaultServerName(curated.model));
  const state: SessionState = {
    ordered,
    costs,
    measure,
    isNew,
    selection: new Set(
      narrow ? [] : ordered.filter((d) => (isNew(d) ? defaultInclusion(d.risk, d.operation.deprecated).included : d.included)).map((d) => d.operation.key),
    ),
    starter: narrow ? suggestStarterSet(curated.model, ordered, starterSize) : [],
    customized: new Map(),
    server: { name, envPrefix: options.envPrefix ?? (existing && !options.serverName ? decisions.server.envPrefix : defaultEnvPrefix(name)) },
    ...(existing?.mode ? { mode: existing.mode } : {}),
    core: new Set(decisions.operations.filter((d) => d.entry?.core === true).map((d) => d.operation.key)),
    proposedRedactions: new Map(),
    log,
  };
  if (narrow) {
    log(`  ${ordered.length} operations are more than an agent can use well: starting with none selected.`);
    log('  Search for what the agent needs, or add the suggested starter set from the next menu.');
  }

  const where = { spec, configFile, existing: existing ? await readFile(configFile, 'utf8') : undefined };
  const defaultOut = path.join(configDir, 'mcp-server');
  let out: string;
  let prepared: Prepared;
  if (options.yes) {
    out = outOption ? path.resolve(outOption) : defaultOut;
    prepared = await prepare(state, curated, { ...where, out });
    const toolTokens = prepared.generated.catalog.tools.reduce((sum, tool) => sum + countToolTokens(tool), 0);
    if (!state.mode && toolTokens > contextBudgetTokens) {
      // What `generate` picks without a toolwright.yaml, recorded so that the file does not turn it into a tools-mode server.
      state.mode = 'discovery';
      log(`The ${prepared.generated.catalog.tools.length} tools cost about ${formatCount(toolTokens)} tokens, over ${formatCount(contextBudgetTokens)}: recording mode: discovery.`);
      prepared = await prepare(state, curated, { ...where, out });
    }
    log(reviewSummary(prepared.generated, state, out, configFile).replace(/^Review: .*/, 'Writing:'));
  } else {
    const asked = { server: Boolean(options.serverName && options.envPrefix) || Boolean(existing), out: outOption ? path.resolve(outOption) : undefined };
    ({ out, prepared } = await askUntilWritten(state, curated, { ...where, defaultOut, asked }));
  }

  const result = await writeFiles({ plan: prepared.generated.plan, outDir: out });
  await writeAtomically(configFile, prepared.text);
  log(`\nWrote ${path.relative(process.cwd(), configFile)}: ${prepared.generated.catalog.tools.length} tools from ${decisions.operations.length} operations.`);
  log(`Generated ${result.written.length} files in ${path.relative(process.cwd(), out) || '.'}.`);
  log(`Next: cd ${path.relative(process.cwd(), out) || '.'} && npm install && npm run build && npm start`);
  return { configFile, out, generated: prepared.generated, result };
}

function checkFlag(flag: string, value: string | undefined, prompt: { validate?: (value: string) => unknown }): void {
  const verdict = value === undefined ? true : prompt.validate?.(value);
  if (typeof verdict === 'string') throw new UserError({ code: 'flag', message: `${flag} ${JSON.stringify(value)} is not valid`, help: verdict });
}

type Prepared = { text: string; generated: Generated };

/**
 * The interactive steps, first in order, then from the review back to whichever step the user picks, until
 * the user chooses to write. Returns the output folder and what will be written there.
 */
async function askUntilWritten(
  state: SessionState,
  curated: Curated,
  { defaultOut, asked, ...where }: { spec: string; configFile: string; existing?: string; defaultOut: string; asked: { server: boolean; out?: string } },
): Promise<{ out: string; prepared: Prepared }> {
  let out = asked.out;
  let serverAsked = asked.server;
  let step: Step = 'selection';
  for (;;) {
    if (step === 'selection') {
      await selectOperations(state);
      step = 'tools';
    } else if (step === 'tools') {
      await customizeTools(state, curated.model);
      step = 'mode';
    } else if (step === 'mode') {
      const { generated } = await prepare(state, curated, { ...where, out: out ?? defaultOut });
      if (generated.catalog.tools.length > 0) await chooseServerMode(state, generated.catalog.tools, toolKeys(generated));
      step = serverAsked ? (out ? 'review' : 'out') : 'server';
    } else if (step === 'server') {
      const serverName = await prompts.askServerName(state.server.name);
      const derived = state.server.envPrefix === defaultEnvPrefix(state.server.name);
      state.server = { name: serverName, envPrefix: await prompts.askEnvPrefix(derived ? defaultEnvPrefix(serverName) : state.server.envPrefix) };
      serverAsked = true;
      step = out ? 'review' : 'out';
    } else if (step === 'out') {
      const proposed = path.relative(process.cwd(), out ?? defaultOut) || '.';
      out = path.resolve(await prompts.askOut(proposed, (value) => outputFolderProblem(path.resolve(value), false)));
      step = 'review';
    } else {
      const prepared = await prepare(state, curated, { ...where, out: out! });
      const action = await prompts.review(reviewSummary(prepared.generated, state, out!, where.configFile));
      if (action === 'write') return { out: out!, prepared };
      step = action;
    }
  }
}

/** The toolwright.yaml text for the current answers, and the project it generates, from the model already in memory. */
async function prepare(state: SessionState, curated: Curated, where: { spec: string; configFile: string; out: string; existing?: string }): Promise<Prepared> {
  const { decisions } = curated;
  const configDir = path.dirname(where.configFile);
  const choices = new Map<string, Choice>();
  proposeDefaultRedactions(state, curated.model, decisions.operations.filter((d) => state.selection.has(d.operation.key) && !state.customized.has(d.operation.key)));
  for (const decision of decisions.operations) {
    const key = decision.operation.key;
    const included = state.selection.has(key);
    const customized = state.customized.get(key);
    const core = state.core.has(key) ? { core: true as const } : {};
    choices.set(
      key,
      included && customized
        ? { ...customized, ...core }
        : {
            ...core,
            included,
            reason: included ? (decision.included && decision.entry?.reason) || includedReason(decision) : excludedReason(decision),
            name: decision.name,
            ...(decision.entry?.description ? { description: decision.entry.description } : {}),
            arguments: existingArguments(decision),
            ...(included && state.proposedRedactions.get(key)?.length ? { redact: state.proposedRedactions.get(key) } : {}),
          },
    );
  }
  const changed = state.server.name !== decisions.server.name || state.server.envPrefix !== decisions.server.envPrefix;
  const text = renderRecord({
    decisions,
    ...(changed ? { server: state.server } : {}),
    choices,
    spec: /^https?:\/\//i.test(where.spec) ? where.spec : toPosix(path.relative(configDir, path.resolve(where.spec))),
    out: toPosix(path.relative(configDir, where.out)) || '.',
    existing: where.existing,
    configDir,
    ...(state.mode ? { mode: state.mode } : {}),
  });
  const config = parseCurationConfig(text, where.configFile);
  const selected = selectTools({ model: curated.model, config });
  const pointers = decisions.operations.filter((d) => state.selection.has(d.operation.key)).map((d) => d.operation.pointer);
  const concerning = curated.warnings.filter((warning) => warning.pointer && pointers.some((p) => warning.pointer === p || warning.pointer!.startsWith(`${p}/`)));
  const generated = await catalogProject({ model: curated.model, decisions: selected.decisions, warnings: [...concerning, ...selected.warnings], missing: [] }, config);
  return { text, generated };
}

/** What will be written, on one screen. */
function reviewSummary(generated: Generated, state: SessionState, out: string, configFile: string): string {
  const { tools, server } = generated.catalog;
  const tokens = tools.map((tool) => countToolTokens(tool));
  const total = tokens.reduce((sum, count) => sum + count, 0);
  const order = new Map([...state.selection].map((key, index) => [key, index]));
  const keyOf = toolKeys(generated);
  const rank = (name: string): number => order.get(keyOf.get(name) ?? '') ?? Number.MAX_SAFE_INTEGER;
  const rows = tools.map((tool, i) => ({ tool, tokens: tokens[i]! })).sort((a, b) => rank(a.tool.name) - rank(b.tool.name));
  const nameWidth = Math.min(40, Math.max(0, ...tools.map((tool) => tool.name.length)));
  const callWidth = Math.min(50, Math.max(0, ...tools.map((tool) => tool.http.method.length + tool.http.path.length + 1)));
  const lines = [
    'Review: nothing is written until you choose to.',
    `  Server "${server.name}", environment variables ${server.envPrefix}_*, generated into ${path.relative(process.cwd(), out) || '.'}; decisions in ${path.relative(process.cwd(), configFile)}.`,
    modeLine(generated, state, total),
    ...rows
      .slice(0, 25)
      .map(({ tool, tokens: count }) => `    ${tool.name.padEnd(nameWidth)}  ${`${tool.http.method} ${tool.http.path}`.padEnd(callWidth)}  ~${count} tokens${argumentNote(tool.name, generated, state)}${safetyNote(tool.name, generated)}`),
    ...(tools.length > 25 ? [`    ... and ${tools.length - 25} more`] : []),
  ];
  if (tools.length === 0) lines.push('    (none: the server would have no tools; go back and select some)');
  const warnings = generated.warnings;
  if (warnings.length > 0) {
    lines.push(`  ${warnings.length} warning${warnings.length === 1 ? ' concerns' : 's concern'} the selected operations:`);
    for (const warning of warnings.slice(0, 8)) lines.push(`    ${shortDiagnostic(warning)}`);
    if (warnings.length > 8) lines.push(`    ... and ${warnings.length - 8} more (\`toolwright generate\` lists them all)`);
  }
  return lines.join('\n');
}

/** Tool names to operation keys (`METHOD /path`), for the included operations. */
function toolKeys(generated: Generated): Map<string, string> {
  return new Map(generated.decisions.operations.filter((d) => d.included).map((d) => [d.name, d.operation.key]));
}

/** How many tools, in which mode, and what that costs on every turn. */
function modeLine(generated: Generated, state: SessionState, toolTokens: number): string {
  const { tools } = generated.catalog;
  const count = `${tools.length} tool${tools.length === 1 ? '' : 's'}`;
  const mode = generated.mode.mode;
  if (mode === 'tools') return `  ${count}, about ${formatCount(toolTokens)} tokens of context on every turn${state.mode ? ' (mode: tools)' : ''}:`;
  const core = generated.catalog.server.coreTools ?? [];
  const cost = measureModeCosts(tools, core)[mode];
  const how = mode === 'hybrid' ? `${core.length} core listed on their own, the rest through search_tools` : 'all through search_tools';
  return `  Mode: ${mode}: ${count}, ${how}: about ${formatCount(cost)} tokens on every turn (each listed: ${formatCount(toolTokens)}):`;
}

/** Core in hybrid mode, redacted response fields, and credential parameters: filled by the server or kept as arguments. */
function safetyNote(toolName: string, generated: Generated): string {
  const decision = generated.decisions.operations.find((d) => d.included && d.name === toolName);
  if (!decision) return '';
  const notes: string[] = [];
  if (generated.mode.mode === 'hybrid' && generated.catalog.server.coreTools?.includes(toolName)) notes.push('core');
  const redact = decision.entry?.responseFields?.redact ?? [];
  if (redact.length > 0) notes.push(`redacted: ${redact.join(', ')}`);
  for (const credential of credentialArguments(decision, generated.catalog.server)) {
    notes.push(credential.kept ? `${credential.argument}: kept as an argument` : `${credential.argument}: filled from ${credential.env}, not an argument`);
  }
  return notes.map((note) => `  ${note}`).join('');
}

function argumentNote(toolName: string, generated: Generated, state: SessionState): string {
  const decision = generated.decisions.operations.find((d) => d.included && d.name === toolName);
  const settings = state.customized.get(decision?.operation.key ?? '')?.arguments ?? {};
  const pinned = Object.keys(settings).filter((name) => 'value' in settings[name]!);
  const hidden = Object.keys(settings).filter((name) => 'hidden' in settings[name]!);
  return [pinned.length ? `  pinned: ${pinned.join(', ')}` : '', hidden.length ? `  hidden: ${hidden.join(', ')}` : ''].join('');
}

function shortDiagnostic(diagnostic: Diagnostic): string {
  const text = formatDiagnostic({ ...diagnostic, file: diagnostic.file ? path.basename(diagnostic.file) : undefined }).split('\n')[0]!;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function printSummary(curated: Curated, log: (line: string) => void): void {
  const { byClass, byTag } = summarize(curated.decisions.operations);
  const total = curated.decisions.operations.length;
  log(`${curated.model.title} ${curated.model.version}: ${total} operations`);
  log(`  by class: ${byClass.read} read, ${byClass.write} write, ${byClass.destructive} destructive, ${byClass.admin} admin`);
  const shown = byTag.slice(0, 12).map(([tag, count]) => `${tag} (${count})`);
  log(`  by tag: ${shown.join(', ')}${byTag.length > 12 ? `, and ${byTag.length - 12} more` : ''}`);
  log('  Destructive and admin operations start unselected.');
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.toolwright-${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Refuses to start `init` over an existing toolwright.yaml. */
export function assertNoConfig(configFile: string, force: boolean): void {
  if (existsSync(configFile) && !force) {
    throw new UserError({
      code: 'config-exists',
      file: configFile,
      message: 'toolwright.yaml already exists',
      help: 'Run `toolwright curate` to change its decisions, or pass --force to start over.',
    });
  }
}
