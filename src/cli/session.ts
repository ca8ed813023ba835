import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';
import { buildCatalog } from '../catalog/build-catalog.js';
import { measureCosts } from '../catalog/tokens.js';
import { parseCurationConfig, readCurationConfig } from '../curate/config-file.js';
import * as prompts from '../curate/prompts.js';
import { renderRecord, type Choice } from '../curate/record.js';
import { defaultInclusion, type OperationDecision } from '../curate/select.js';
import { applyToggles, filterOperations, setGroup, summarize, type Selection } from '../curate/selection.js';
import { UserError } from '../errors.js';
import { curateSpec, generateProject, type Curated, type Generated } from '../pipeline.js';
import { writeFiles, type WriteResult } from '../write/write-files.js';

/** Above this many tools or tokens, the session says what the selection costs and suggests narrowing it. */
const largeSelection = { tools: 40, tokens: 20_000 };

export type SessionOptions = {
  /** toolwright.yaml to write (and, for curate, to read). */
  configFile: string;
  spec?: string;
  out?: string;
  /** Take the defaults without asking. */
  yes: boolean;
  mode: 'init' | 'curate';
  log: (line: string) => void;
};

/** What a session wrote: the curation file, and the generated project. */
export type SessionResult = { configFile: string; out: string; generated: Generated; result: WriteResult };

/**
 * `toolwright init` and `toolwright curate`: choose operations, name and describe the tools, pin or hide
 * arguments, then write toolwright.yaml and generate. Nothing is written until every answer is in.
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
  const curated = await curateSpec({ spec, config: existing, dropUnknown: true });
  const { decisions } = curated;
  const isNew = (decision: OperationDecision): boolean => Boolean(existing) && decision.unreviewed;
  const ordered = [...decisions.operations.filter(isNew), ...decisions.operations.filter((d) => !isNew(d))];

  printSummary(curated, log);
  for (const entry of curated.missing) log(`  no longer in the spec (dropped from toolwright.yaml): ${entry.ref}`);
  const newCount = ordered.filter(isNew).length;
  if (newCount > 0) log(`  ${newCount} operation${newCount === 1 ? ' is' : 's are'} new since the last curation, listed first and marked NEW.`);

  const costs = measureCosts(curated.model, curated.decisions);
  let selection: Selection = new Set(
    decisions.operations
      .filter((d) => (isNew(d) ? defaultInclusion(d.risk, d.operation.deprecated).included : d.included))
      .map((d) => d.operation.key),
  );
  const customized = new Map<string, Choice>();

  if (!options.yes) {
    const { byTag } = summarize(decisions.operations);
    for (;;) {
      const action = await prompts.chooseAction(selectionStatus(selection, costs, decisions.operations.length));
      if (action === 'done') break;
      if (action === 'toggle') {
        const tag = await prompts.chooseTag(byTag, true);
        const shown = filterOperations(ordered, { tag, text: await prompts.askFilter() });
        if (shown.length === 0) log('No operation matches.');
        else selection = applyToggles(selection, shown, await prompts.toggleOperations(shown, selection, costs, isNew));
      } else if (action === 'tag') {
        const tag = await prompts.chooseTag(byTag, false);
        selection = setGroup(selection, filterOperations(ordered, { tag }), await prompts.chooseGroupAction());
      } else {
        const riskClass = await prompts.chooseClass();
        selection = setGroup(selection, ordered.filter((d) => d.risk.class === riskClass), await prompts.chooseGroupAction());
      }
    }
    const chosen = ordered.filter((d) => selection.has(d.operation.key));
    if (chosen.length > 0 && (await prompts.askCustomize(chosen.length))) {
      const catalog = buildCatalog({ model: curated.model, decisions: { ...decisions, operations: chosen.map((d) => ({ ...d, included: true })) } }).catalog;
      const taken = new Set(chosen.map((d) => d.name.toLowerCase()));
      for (const decision of chosen) {
        log(`\n${decision.operation.key}${decision.operation.summary ? `: ${decision.operation.summary}` : ''}`);
        taken.delete(decision.name.toLowerCase());
        const name = await prompts.askToolName(decision.name, taken);
        taken.add(name.toLowerCase());
        const described = await prompts.askDescription(decision.description);
        const proposed = prompts.descriptionPrompt(decision.proposed.description).default;
        const tool = catalog.tools.find((candidate) => candidate.name === decision.name)!;
        customized.set(decision.operation.key, {
          included: true,
          reason: decision.entry?.reason ?? includedReason(decision),
          name,
          ...(described !== proposed ? { description: described } : decision.entry?.description ? { description: decision.entry.description } : {}),
          arguments: { ...existingArguments(decision), ...(await askArgumentChoices(tool.inputSchema, tool.confirmation?.argument)) },
        });
      }
    }
  }

  const choices = new Map<string, Choice>();
  for (const decision of decisions.operations) {
    const key = decision.operation.key;
    const included = selection.has(key);
    choices.set(
      key,
      customized.get(key) ?? {
        included,
        reason: included ? (decision.included && decision.entry?.reason) || includedReason(decision) : excludedReason(decision),
        name: decision.name,
        ...(decision.entry?.description ? { description: decision.entry.description } : {}),
        arguments: existingArguments(decision),
      },
    );
  }

  const configDir = path.dirname(configFile);
  const outOption = options.out ?? existing?.out;
  const out = path.resolve(outOption ?? (options.yes ? path.join(configDir, 'mcp-server') : await prompts.askOut(path.relative(process.cwd(), path.join(configDir, 'mcp-server')) || '.')));
  const text = renderRecord({
    decisions,
    choices,
    spec: /^https?:\/\//i.test(spec) ? spec : toPosix(path.relative(configDir, path.resolve(spec))),
    out: toPosix(path.relative(configDir, out)) || '.',
    existing: existing ? await readFile(configFile, 'utf8') : undefined,
  });
  const config = parseCurationConfig(text, configFile);
  const generated = await generateProject({ spec, config });
  const result = await writeFiles({ plan: generated.plan, outDir: out });
  await writeAtomically(configFile, text);
  log(`\nWrote ${path.relative(process.cwd(), configFile)}: ${generated.catalog.tools.length} tools from ${decisions.operations.length} operations.`);
  log(`Generated ${result.written.length} files in ${path.relative(process.cwd(), out) || '.'}.`);
  log(`Next: cd ${path.relative(process.cwd(), out) || '.'} && npm install && npm run build && npm start`);
  return { configFile, out, generated, result };
}

function printSummary(curated: Curated, log: (line: string) => void): void {
  const { byClass, byTag } = summarize(curated.decisions.operations);
  const total = curated.decisions.operations.length;
  log(`${curated.model.title} ${curated.model.version}: ${total} operations`);
  log(`  by class: ${byClass.read} read, ${byClass.write} write, ${byClass.destructive} destructive, ${byClass.admin} admin`);
  const shown = byTag.slice(0, 12).map(([tag, count]) => `${tag} (${count})`);
  log(`  by tag: ${shown.join(', ')}${byTag.length > 12 ? `, and ${byTag.length - 12} more` : ''}`);
  log('  Destructive and admin operations start unselected; read and write ones start selected.');
}

function selectionStatus(selection: Selection, costs: Map<string, number>, total: number): string {
  const tokens = [...selection].reduce((sum, key) => sum + (costs.get(key) ?? 0), 0);
  const status = `${selection.size} of ${total} operations selected: about ${tokens.toLocaleString('en-US')} tokens of tool definitions on every turn.`;
  if (selection.size <= largeSelection.tools && tokens <= largeSelection.tokens) return status;
  return `${status}\nThat is a lot of context: agents choose best among fewer than about 20 tools. Narrow the selection to what the agent needs.`;
}

function includedReason(decision: OperationDecision): string {
  return `${decision.risk.class} (${decision.risk.reasons.join('; ')})`;
}

function excludedReason(decision: OperationDecision): string {
  if (decision.entry?.include === false && decision.entry.reason) return decision.entry.reason;
  const dangerous = decision.risk.class === 'destructive' || decision.risk.class === 'admin';
  return dangerous ? `${decision.risk.class} (${decision.risk.reasons.join('; ')})` : 'not selected';
}

function existingArguments(decision: OperationDecision): Choice['arguments'] {
  const result: Choice['arguments'] = {};
  for (const [name, settings] of Object.entries(decision.entry?.arguments ?? {})) {
    if (settings.hidden) result[name] = { hidden: true };
    else if (settings.pinned) result[name] = { value: settings.pinned.value };
  }
  return result;
}

const valueChecker = new Ajv2020({ strict: false, validateFormats: false });

async function askArgumentChoices(inputSchema: JsonSchema, confirmArgument: string | undefined): Promise<Choice['arguments']> {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((inputSchema.required as string[] | undefined) ?? []);
  const defs = inputSchema.$defs as Record<string, JsonSchema> | undefined;
  const args = Object.entries(properties)
    .filter(([name]) => name !== confirmArgument)
    .map(([name, schema]) => ({ name, schema, required: required.has(name) }));
  const result: Choice['arguments'] = {};
  for (const name of await prompts.chooseArguments(args)) {
    const arg = args.find((candidate) => candidate.name === name)!;
    if ((await prompts.askArgumentTreatment(arg)) === 'hide') {
      result[name] = { hidden: true };
      continue;
    }
    const validate = valueChecker.compile(defs ? { ...arg.schema, $defs: defs } : arg.schema);
    const value: JsonValue = await prompts.askPinnedValue(arg, (candidate) =>
      validate(candidate) ? true : valueChecker.errorsText(validate.errors, { dataVar: 'the value' }),
    );
    result[name] = { value };
  }
  return result;
}

async function writeAtomically(file: string, text: string): Promise<void> {
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

