import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CurationConfig } from '../curate/config-file.js';
import { UserError, formatDiagnostic } from '../errors.js';
import type { LoadedCatalog } from '../review/load-catalog.js';

/** Exit code of `diff --fail-on` and `lint` when the check fails (breaking changes, lint errors, a budget exceeded). */
export const reviewCheckFailed = 3;

const defaultConfigFile = 'toolwright.yaml';
const maxListedWarnings = 5;

type DiffOptions = { config?: string; json?: boolean; failOn?: 'breaking' | 'any' };
type LintOptions = { config?: string; json?: boolean; maxTokens?: number; maxTools?: number };

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Reads `--config`, or ./toolwright.yaml when it exists, once, and only when a spec needs it. */
function configReader(option: string | undefined): () => Promise<CurationConfig | undefined> {
  let pending: Promise<CurationConfig | undefined> | undefined;
  const read = async (file: string) => (await import('../curate/config-file.js')).readCurationConfig(path.resolve(file));
  return () => {
    pending ??= option ? read(option) : existsSync(defaultConfigFile) ? read(defaultConfigFile) : Promise.resolve(undefined);
    return pending;
  };
}

function parseCount(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError('expected a whole number, such as 20 or 8000.');
  return Number(text.trim());
}

/** Says on stderr what was ignored or repaired while reading a spec: it never changes the report itself. */
function reportLoad(loaded: LoadedCatalog): void {
  if (loaded.missing.length > 0) {
    stderr(
      `note: toolwright.yaml decides on ${loaded.missing.length} operation${loaded.missing.length === 1 ? '' : 's'} that ${loaded.file} does not have (ignored): ${loaded.missing.join(', ')}`,
    );
  }
  const warnings = loaded.warnings.filter((warning) => warning.code !== 'unreviewed');
  if (warnings.length === 0) return;
  stderr(`${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${loaded.file}:`);
  for (const warning of warnings.slice(0, maxListedWarnings)) stderr(`  ${formatDiagnostic(warning).replace(/\n/g, '\n  ')}`);
  if (warnings.length > maxListedWarnings) stderr(`  ... and ${warnings.length - maxListedWarnings} more (\`toolwright generate\` lists them all)`);
}

function assertUniqueNames(loaded: LoadedCatalog): void {
  const seen = new Set<string>();
  for (const tool of loaded.catalog.tools) {
    if (seen.has(tool.name)) {
      throw new UserError({
        code: 'review-duplicate-tool',
        file: loaded.file,
        message: `the catalog has two tools named "${tool.name}", so they cannot be told apart`,
        help: 'Run `toolwright lint` on it, and give each tool its own name.',
      });
    }
    seen.add(tool.name);
  }
}

async function diff(before: string, after: string, options: DiffOptions): Promise<void> {
  const [{ loadCatalog }, { buildDiffReport }, { renderDiffMarkdown, renderJson }] = await Promise.all([
    import('../review/load-catalog.js'),
    import('../review/report.js'),
    import('../review/render.js'),
  ]);
  const config = configReader(options.config);
  const [old, current] = await Promise.all([loadCatalog({ target: before, config }), loadCatalog({ target: after, config })]);
  for (const loaded of [old, current]) {
    assertUniqueNames(loaded);
    reportLoad(loaded);
  }
  const report = buildDiffReport({ before: old, after: current });
  process.stdout.write(options.json ? renderJson(report) : renderDiffMarkdown(report));
  const failed = options.failOn === 'breaking' ? report.summary.breaking > 0 : options.failOn === 'any' ? report.changes.length > 0 : false;
  if (failed) {
    stderr(
      options.failOn === 'breaking'
        ? `${report.summary.breaking} breaking change${report.summary.breaking === 1 ? '' : 's'} (--fail-on breaking).`
        : `${report.changes.length} change${report.changes.length === 1 ? '' : 's'} (--fail-on any).`,
    );
    process.exitCode = reviewCheckFailed;
  }
}

async function lint(targetArgument: string | undefined, options: LintOptions): Promise<void> {
  const [{ loadCatalog }, { lintCatalog }, { renderJson, renderLintText }] = await Promise.all([
    import('../review/load-catalog.js'),
    import('../review/lint.js'),
    import('../review/render.js'),
  ]);
  const config = configReader(options.config);
  const target = targetArgument ?? (await config())?.spec;
  if (!target) {
    throw new UserError({
      code: 'no-target',
      message: 'nothing to lint',
      help: 'Pass a tools.json, a generated project folder or a spec (`toolwright lint server`), or run it where toolwright.yaml sets `spec:`.',
    });
  }
  const loaded = await loadCatalog({ target, config });
  reportLoad(loaded);
  const report = lintCatalog({ catalog: loaded.catalog, budgets: { maxTokens: options.maxTokens, maxTools: options.maxTools } });
  process.stdout.write(options.json ? renderJson(report) : renderLintText(report));
  if (report.summary.errors > 0) process.exitCode = reviewCheckFailed;
}

const targetHelp = 'a tools.json, a generated project folder, or an OpenAPI document (path or http(s) URL)';

/**
 * Adds `toolwright diff` and `toolwright lint` to the program. Both print their report on stdout (Markdown
 * or text, or JSON with `--json`) and notes on stderr; they exit with 3 when the check fails, and leave
 * input errors (UserError, exit 1) to the program's error handler.
 */
export function registerReviewCommands(program: Command): void {
  program
    .command('diff')
    .description('Compare two tool catalogs: tools added, removed and renamed; breaking and compatible argument changes; token cost.')
    .argument('<old>', `the catalog before: ${targetHelp}`)
    .argument('<new>', `the catalog after: ${targetHelp}`)
    .option('-c, --config <file>', 'curation file applied to spec arguments (default: ./toolwright.yaml when it exists)')
    .option('--json', 'print JSON instead of Markdown')
    .addOption(
      new Option('--fail-on <level>', `exit with ${reviewCheckFailed} when there are breaking changes (breaking) or any change (any)`).choices(['breaking', 'any']),
    )
    .action((before: string, after: string, options: DiffOptions) => diff(before, after, options));

  program
    .command('lint')
    .description('Check a tool catalog for agents: descriptions, names, arguments, confirmation, number of tools and token cost.')
    .argument('[target]', `${targetHelp} (default: \`spec\` in toolwright.yaml)`)
    .option('-c, --config <file>', 'curation file applied to a spec (default: ./toolwright.yaml when it exists)')
    .option('--json', 'print JSON instead of text')
    .option('--max-tokens <n>', `exit with ${reviewCheckFailed} when the tool definitions cost more tokens than this`, parseCount)
    .option('--max-tools <n>', `exit with ${reviewCheckFailed} when there are more tools than this`, parseCount)
    .action((target: string | undefined, options: LintOptions) => lint(target, options));
}
