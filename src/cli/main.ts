#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { enableCompileCache } from '../compile-cache.js';
import type { CurationConfig } from '../curate/config-file.js';
import type { ServerMode } from '../discovery/modes.js';
import { UserError, formatDiagnostic } from '../errors.js';
import { packageRoot, packageVersion } from '../package-info.js';
import type { Curated, Generated } from '../pipeline.js';
import { groupDiagnostics, renderDiagnostics } from './diagnostics.js';
import { Progress } from './progress.js';
import { addLoadFlags, loadOptionsFrom, type LoadFlags } from './load-flags.js';
import { registerReviewCommands } from './review-commands.js';
import { formatCount } from '../format-count.js';

enableCompileCache();

const issuesUrl = 'https://github.com/toolwright/toolwright/issues/new';
const defaultConfigFile = 'toolwright.yaml';

type GenerateOptions = LoadFlags & {
  out?: string;
  config?: string;
  force?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  failOnWarnings?: boolean;
  check?: boolean;
  strict?: boolean;
  json?: boolean;
  mode?: ServerMode;
};
type InspectOptions = LoadFlags & { json?: boolean; config?: string; verbose?: boolean };

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Finds the line of a pointer in a local spec, reading it only when asked. */
async function specLineLocator(source: string): Promise<(pointer: string) => number | undefined> {
  const { createLineLocator } = await import('../load/line-locator.js');
  let locate: ((pointer: string) => number | undefined) | undefined;
  return (pointer) => {
    if (/^https?:\/\//i.test(source)) return undefined;
    locate ??= createLineLocator(readFileSync(source, 'utf8').replace(/^\uFEFF/, ''));
    return locate(pointer);
  };
}

/** The curation file: the one named, else ./toolwright.yaml when no spec is named on the command line. */
function configFileFor(option: string | undefined, specArgument: string | undefined): string | undefined {
  if (option) return path.resolve(option);
  if (!specArgument && existsSync(defaultConfigFile)) return path.resolve(defaultConfigFile);
  return undefined;
}

async function readConfigFile(file: string | undefined): Promise<CurationConfig | undefined> {
  return file ? (await import('../curate/config-file.js')).readCurationConfig(file) : undefined;
}

function resolveSpec(argument: string | undefined, config: CurationConfig | undefined): string {
  const spec = argument ?? config?.spec;
  if (!spec) {
    throw new UserError({
      code: 'no-spec',
      message: 'no spec given',
      help: 'Pass the spec path or URL (`toolwright generate openapi.yaml --out server`), or set `spec:` in toolwright.yaml.',
    });
  }
  return spec;
}

async function reportWarnings(curated: Curated, { quiet, verbose }: { quiet?: boolean; verbose?: boolean }): Promise<void> {
  if (quiet) return;
  const lines = renderDiagnostics(groupDiagnostics(curated.warnings, curated, verbose, await specLineLocator(curated.model.source)));
  if (lines.length > 0) stderr(`\n${lines.join('\n')}`);
}

async function generate(specArgument: string | undefined, options: GenerateOptions): Promise<void> {
  // When the command line names the spec and the output folder, toolwright.yaml is parsed on another thread
  // while the spec loads; otherwise it is read first, as it may name them.
  const configFile = configFileFor(options.config, specArgument);
  const aside = specArgument !== undefined && options.out !== undefined && configFile !== undefined;
  const configuration = aside ? (await import('../curate/config-thread.js')).readCurationConfigAside(configFile) : readConfigFile(configFile);
  const early = aside ? undefined : await configuration;
  const spec = resolveSpec(specArgument, early);
  const out = options.out ? path.resolve(options.out) : early?.out;
  if (!out) {
    throw new UserError({
      code: 'no-out',
      message: 'no output folder given',
      help: 'Pass --out <dir>, or set `out:` in toolwright.yaml.',
    });
  }
  const progress = new Progress(Progress.modeFor(Boolean(options.quiet || options.check)));
  const { generateProject } = await import('../pipeline.js');
  const generated = await generateProject({
    spec,
    config: configuration,
    load: loadOptionsFrom(options),
    onStage: (stage) => progress.step(stage, stage === 'load' ? spec : ''),
    ...(options.mode ? { mode: options.mode } : {}),
  });
  progress.finish();
  if (options.check) return check(generated, out, options);
  await reportWarnings(generated, { quiet: options.quiet, verbose: options.verbose });
  if (options.failOnWarnings && generated.warnings.length > 0) {
    throw new UserError({ code: 'warnings', message: 'stopping because of warnings (--fail-on-warnings); nothing was written' });
  }
  progress.step('write', path.relative(process.cwd(), out) || '.');
  const { writeFiles } = await import('../write/write-files.js');
  const result = await writeFiles({ plan: generated.plan, outDir: out, force: options.force });
  progress.finish();
  if (options.json) {
    const { generateSummary } = await import('./summary.js');
    process.stdout.write(`${JSON.stringify(generateSummary(generated, out, result, { verbose: options.verbose, locate: await specLineLocator(generated.model.source) }), null, 2)}\n`);
    return;
  }
  if (!options.quiet) {
    const excluded = generated.decisions.operations.length - generated.catalog.tools.length;
    stderr(
      `\n${generated.catalog.tools.length} tools from ${generated.decisions.operations.length} operations (${excluded} left out; \`toolwright inspect\` says why).`,
    );
    const { countCatalogTokens } = await import('../catalog/tokens.js');
    const tokens = generated.mode.toolTokens ?? countCatalogTokens(generated.catalog.tools);
    stderr(`The tool definitions cost ${formatCount(tokens)} tokens of context on every turn (tools/list as served, o200k_base).`);
    if (generated.mode.mode !== 'tools') await reportMode(generated);
    else if (generated.catalog.tools.length > 40 || tokens > 20_000) {
      stderr('That is a lot: agents choose best among fewer than about 20 tools. Narrow the selection with `toolwright curate` or in toolwright.yaml.');
    }
    stderr(`Wrote ${result.written.length} files to ${path.relative(process.cwd(), out) || '.'} (${result.unchanged.length} unchanged, ${result.removed.length} removed).`);
    if (result.written.length > 0) {
      stderr(`Next: cd ${path.relative(process.cwd(), out) || '.'} && npm install && npm run build && npm start`);
    }
  }
}

async function reportMode({ mode, catalog }: Generated): Promise<void> {
  const { contextBudgetTokens, measureModeCosts } = await import('../discovery/modes.js');
  const costs = measureModeCosts(catalog.tools, catalog.server.coreTools);
  const listed = mode.mode === 'hybrid' ? `${catalog.server.coreTools?.length ?? 0} core tools plus search_tools, describe_tools and call_tool` : 'only search_tools, describe_tools and call_tool';
  if (mode.reason === 'over-budget') {
    stderr(
      `That is over the budget of ${formatCount(contextBudgetTokens)} tokens, so the server uses discovery mode: it lists ${listed} ` +
        `(about ${formatCount(costs.discovery)} tokens), which find, describe and call every tool. ` +
        'Pass --mode tools, or set `mode:` in toolwright.yaml, to list each tool instead.',
    );
  } else {
    stderr(`In ${mode.mode} mode the server lists ${listed}: about ${formatCount(costs[mode.mode])} tokens.`);
  }
}

/** `generate --check`: compare a fresh generation with the disk, write nothing. */
async function check(generated: Generated, out: string, options: GenerateOptions): Promise<void> {
  const { compareWithDisk } = await import('../write/write-files.js');
  const { buildCheckReport, checkExitCodes, renderCheckReport } = await import('./check-output.js');
  const { states } = await compareWithDisk({ plan: generated.plan, outDir: out });
  const report = buildCheckReport(states, generated.decisions.operations.filter((decision) => decision.unreviewed));
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(renderCheckReport(report, Boolean(options.strict)));
  if (!report.upToDate) process.exitCode = checkExitCodes.outOfDate;
  else if (options.strict && report.unreviewed.length > 0) process.exitCode = checkExitCodes.unreviewed;
}

async function inspect(specArgument: string | undefined, options: InspectOptions): Promise<void> {
  const config = await readConfigFile(configFileFor(options.config, specArgument));
  const spec = resolveSpec(specArgument, config);
  const [{ curateSpec }, { measureCosts }, { renderInspection }] = await Promise.all([
    import('../pipeline.js'),
    import('../catalog/tokens.js'),
    import('./inspect-output.js'),
  ]);
  const curated = await curateSpec({ spec, config, load: loadOptionsFrom(options) });
  process.stdout.write(renderInspection(curated, measureCosts(curated.model, curated.decisions), options.json ? 'json' : 'text'));
  await reportWarnings(curated, { quiet: options.json, verbose: options.verbose });
}

type InitOptions = { out?: string; config?: string; yes?: boolean; force?: boolean; json?: boolean; name?: string; envPrefix?: string };

async function init(specArgument: string | undefined, options: InitOptions): Promise<void> {
  const configFile = path.resolve(options.config ?? defaultConfigFile);
  const { assertNoConfig, runSession } = await import('./session.js');
  assertNoConfig(configFile, Boolean(options.force));
  if (options.json && !options.yes) {
    throw new UserError({ code: 'json-needs-yes', message: '--json needs --yes: an interactive session prints for a person', help: 'Run `toolwright init <spec> --yes --json`.' });
  }
  const log = options.json ? () => {} : stderr;
  const session = await runSession({
    configFile,
    spec: specArgument ?? bundledExample(log),
    out: options.out,
    ...(options.name ? { serverName: options.name } : {}),
    ...(options.envPrefix ? { envPrefix: options.envPrefix } : {}),
    yes: Boolean(options.yes),
    mode: 'init',
    log,
  });
  if (options.json) {
    const { generateSummary } = await import('./summary.js');
    const summary = generateSummary(session.generated, session.out, session.result);
    process.stdout.write(`${JSON.stringify({ config: path.relative(process.cwd(), session.configFile), ...summary }, null, 2)}\n`);
  }
}

/** Inside a clone of toolwright, `init` without a spec tries the bundled petstore example. */
function bundledExample(log: (line: string) => void): string {
  const example = path.join(packageRoot, 'examples', 'petstore', 'openapi.yaml');
  if (!existsSync(example) || path.relative(packageRoot, process.cwd()).startsWith('..')) {
    throw new UserError({ code: 'no-spec', message: 'no spec given', help: 'Pass the path or URL of an OpenAPI document: `toolwright init openapi.yaml`.' });
  }
  const relative = path.relative(process.cwd(), example);
  log(`No spec given: trying the bundled example, ${relative}.`);
  return relative;
}

async function curate(options: { config?: string; yes?: boolean }): Promise<void> {
  const configFile = path.resolve(options.config ?? defaultConfigFile);
  const { runSession } = await import('./session.js');
  await runSession({ configFile, yes: Boolean(options.yes), mode: 'curate', log: stderr });
}

async function handleError(error: unknown): Promise<never> {
  if (error instanceof UserError) {
    stderr(`error: ${formatDiagnostic(error.diagnostic)}`);
    process.exit(1);
  }
  const { isCancel } = await import('../curate/prompts.js');
  if (isCancel(error)) {
    stderr('Cancelled: nothing was written.');
    process.exit(130);
  }
  stderr(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  stderr(`This is a bug in toolwright. Please report it with the command you ran: ${issuesUrl}`);
  process.exit(2);
}

const program = new Command()
  .name('toolwright')
  .description('Turn an OpenAPI document into a curated, standalone MCP server.')
  .version(packageVersion)
  .showHelpAfterError();

program
  .command('init')
  .description('Choose, name and describe the tools interactively; write toolwright.yaml and generate the server.')
  .argument('[spec]', 'OpenAPI 3.x or Swagger 2.0 document: a path or an http(s) URL (inside a clone of toolwright: the petstore example)')
  .option('-o, --out <dir>', 'folder to generate the server project into (asked when not given)')
  .option('-c, --config <file>', 'where to write the curation file', defaultConfigFile)
  .option('--name <name>', "the MCP server's name (asked when not given; default: from the spec's title)")
  .option('--env-prefix <prefix>', "prefix of the server's environment variables (default: from the name)")
  .option('-y, --yes', 'take the defaults without asking: read and write operations in, destructive and admin ones out')
  .option('--force', 'start over even if the curation file exists')
  .option('--json', 'with --yes: print a JSON summary of what was written on stdout')
  .action((spec: string | undefined, options: InitOptions) => init(spec, options));

program
  .command('curate')
  .description('Revisit the decisions in toolwright.yaml against the current spec; new operations come first.')
  .option('-c, --config <file>', 'the curation file', defaultConfigFile)
  .option('-y, --yes', 'record new operations with their defaults and drop the ones the spec no longer has, without asking')
  .action((options: { config?: string; yes?: boolean }) => curate(options));

const generateCommand = program
  .command('generate')
  .description('Generate the MCP server project from a spec and toolwright.yaml, without prompts.')
  .argument('[spec]', 'OpenAPI 3.x or Swagger 2.0 document: a path or an http(s) URL (default: `spec` in toolwright.yaml)')
  .option('-o, --out <dir>', 'folder to write the server project into (default: `out` in toolwright.yaml)')
  .option('-c, --config <file>', 'curation file (default: ./toolwright.yaml when it exists and no spec is given)')
  .option('--force', 'overwrite a folder that toolwright did not generate, or generated files edited by hand')
  .option('--check', 'write nothing; exit with 3 if the files on disk differ from a fresh generation')
  .option('--strict', 'with --check: also exit with 4 if the spec has operations toolwright.yaml has not decided on')
  .option('--json', 'print a JSON summary of what was written (with --check: the report) on stdout')
  .option('--fail-on-warnings', 'exit with an error, writing nothing, when the spec has warnings')
  .addOption(
    new Option('--mode <mode>', 'list every tool (tools), only search_tools/describe_tools/call_tool (discovery), or the core tools plus those (hybrid); default: `mode` in toolwright.yaml').choices([
      'tools',
      'discovery',
      'hybrid',
    ]),
  )
  .option('-q, --quiet', 'print errors only: no progress, warnings or summary')
  .option('--verbose', 'also show warnings about operations that are not generated');
addLoadFlags(generateCommand).action((spec: string | undefined, options: GenerateOptions) => generate(spec, options));

const inspectCommand = program
  .command('inspect')
  .description('List every operation of a spec with its proposed tool name and whether it would be included, and why.')
  .argument('[spec]', 'OpenAPI 3.x or Swagger 2.0 document: a path or an http(s) URL (default: `spec` in toolwright.yaml)')
  .option('-c, --config <file>', 'curation file (default: ./toolwright.yaml when it exists and no spec is given)')
  .option('--json', 'print JSON instead of a table')
  .option('--verbose', 'also show warnings about operations that are not included');
addLoadFlags(inspectCommand).action((spec: string | undefined, options: InspectOptions) => inspect(spec, options));

registerReviewCommands(program);
program.parseAsync(process.argv).catch(handleError);
