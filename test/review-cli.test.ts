import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerReviewCommands, reviewCheckFailed } from '../src/cli/review-commands.js';
import { UserError } from '../src/errors.js';
import type { DiffReport } from '../src/review/render.js';
import type { LintReport } from '../src/review/lint.js';
import type { ReviewCatalog } from '../src/review/types.js';
import { repoRoot, tempDir } from './helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const petstoreProject = path.join(repoRoot, 'examples/petstore/server');
const petstoreToolsJson = path.join(petstoreProject, 'tools.json');
const v1 = path.join(repoRoot, 'examples/petstore/openapi.yaml');
const v2 = path.join(repoRoot, 'examples/petstore-v2/openapi.yaml');
const exampleConfig = path.join(repoRoot, 'examples/petstore/toolwright.yaml');
const petstoreTools = (JSON.parse(readFileSync(petstoreToolsJson, 'utf8')) as ReviewCatalog).tools.map((tool) => tool.name);
/** The child-process tests need `toolwright diff` and `lint` in the built CLI, which main.ts wires in. */
const wired = readFileSync(path.join(repoRoot, 'src/cli/main.ts'), 'utf8').includes('registerReviewCommands');

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs diff or lint in this process on a fresh commander program; returns what it printed and the exit code it set. */
async function runInProcess(args: string[]): Promise<Run & { error?: unknown }> {
  const program = new Command().name('toolwright').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerReviewCommands(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'toolwright', ...args]);
    return { status: Number(process.exitCode ?? 0), stdout, stderr };
  } catch (error) {
    return { status: null, stdout, stderr, error };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

/** Runs the built CLI in a child process. */
function run(args: string[], cwd = repoRoot): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('review commands, in process', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let changedToolsJson: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const catalog = JSON.parse(await readFile(petstoreToolsJson, 'utf8')) as ReviewCatalog;
    const getPet = catalog.tools.find((tool) => tool.name === 'get_pet')!;
    getPet.inputSchema = { ...getPet.inputSchema, properties: { ...(getPet.inputSchema.properties as object), expand: { type: 'boolean', description: 'Also return the owner.' } } };
    catalog.tools = catalog.tools.filter((tool) => tool.name !== 'list_owner_pets');
    changedToolsJson = path.join(dir, 'tools.json');
    await writeFile(changedToolsJson, `${JSON.stringify(catalog, null, 2)}\n`);
  });
  afterAll(() => cleanup());
  afterEach(() => vi.restoreAllMocks());

  it('diff compares two tools.json files and prints Markdown', async () => {
    const { status, stdout, error } = await runInProcess(['diff', petstoreToolsJson, changedToolsJson]);
    expect(error).toBeUndefined();
    expect(status).toBe(0);
    expect(stdout.split('\n').slice(0, 2)).toStrictEqual(['<!-- toolwright:catalog-diff -->', '### Tool catalog: Petstore 1.2.0']);
    expect(stdout).toContain('- `list_owner_pets`: tool removed (was `GET /owners/{ownerId}/pets`)');
    expect(stdout).toContain('- `get_pet`: new optional argument `expand`');
  });

  it('diff accepts a project folder, prints JSON, and exits with 3 under --fail-on breaking', async () => {
    const { status, stdout, stderr } = await runInProcess(['diff', petstoreProject, changedToolsJson, '--json', '--fail-on', 'breaking']);
    expect(status).toBe(reviewCheckFailed);
    const report = JSON.parse(stdout) as DiffReport;
    expect(report.summary).toStrictEqual({ breaking: 1, compatible: 1, info: 0 });
    expect(report.unreviewed).toStrictEqual([]);
    expect(stderr).toBe('1 breaking change (--fail-on breaking).\n');
  });

  it('diff --fail-on any fails on compatible changes too, and passes on identical catalogs', async () => {
    expect((await runInProcess(['diff', petstoreToolsJson, petstoreProject, '--fail-on', 'any'])).status).toBe(0);
    const compatibleOnly = await runInProcess(['diff', petstoreToolsJson, petstoreToolsJson, '--fail-on', 'breaking']);
    expect(compatibleOnly.status).toBe(0);
    expect(compatibleOnly.stdout).toContain('No changes to the tool catalog.');
  });

  it('diff refuses an unknown --fail-on level', async () => {
    const { error } = await runInProcess(['diff', petstoreToolsJson, changedToolsJson, '--fail-on', 'compatible']);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).code).toBe('commander.invalidArgument');
  });

  it('diff compares two spec versions under one toolwright.yaml', async () => {
    const { status, stdout, stderr } = await runInProcess(['diff', v1, v2, '--config', exampleConfig, '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as DiffReport;
    expect(report.summary.breaking).toBe(3);
    expect(report.unreviewed.map((operation) => operation.operation)).toStrictEqual(['POST /adoptions/{adoptionId}/cancel']);
    expect(stderr).toContain(`toolwright.yaml decides on 1 operation that ${v2} does not have (ignored): GET /owners/{ownerId}/pets`);
  });

  it('lint prints a table and findings, and --json the report', async () => {
    const text = await runInProcess(['lint', petstoreProject]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^Petstore 1\\.2\\.0: ${petstoreTools.length} tools, [\\d,]+ tokens of tool definitions\\.\\n\\nTools by cost:\\n {2}TOOL +TOKENS {2}SHARE {2}CLASS\\n`));
    const json = await runInProcess(['lint', petstoreToolsJson, '--json']);
    const report = JSON.parse(json.stdout) as LintReport;
    expect(report.summary.tools).toBe(petstoreTools.length);
    expect(report.budgets).toStrictEqual({ maxTokens: null, maxTools: null, maxToolTokens: null });
  });

  it('lint exits with 3 when a budget is exceeded', async () => {
    const { status, stdout } = await runInProcess(['lint', petstoreToolsJson, '--max-tools', '3', '--max-tokens', '100000']);
    expect(status).toBe(reviewCheckFailed);
    expect(stdout).toContain(`(catalog): ${petstoreTools.length} tools, over the budget of 3 (--max-tools).`);
  });

  it('lint lints a spec with its toolwright.yaml', async () => {
    const { status, stdout } = await runInProcess(['lint', '--config', exampleConfig, '--json']);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as LintReport).tools.map((tool) => tool.name).sort()).toStrictEqual(petstoreTools);
  });

  it('lint refuses a budget that is not a whole number', async () => {
    const { error } = await runInProcess(['lint', petstoreToolsJson, '--max-tokens', '10k']);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).message).toContain('expected a whole number');
  });

  it('reports unusable targets as input errors that name the file and the place', async () => {
    const missing = await runInProcess(['lint', path.join(dir, 'nope.json')]);
    expect((missing.error as UserError).diagnostic.code).toBe('review-target-missing');
    await mkdir(path.join(dir, 'empty'));
    const empty = await runInProcess(['lint', path.join(dir, 'empty')]);
    expect((empty.error as UserError).diagnostic.code).toBe('review-not-a-project');
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ api: { title: 'x', version: '1' }, server: { name: 'x', version: '1' }, tools: [{ name: 'a', title: 'A', description: 'A tool.', inputSchema: {} }] }));
    const invalid = await runInProcess(['lint', broken]);
    expect((invalid.error as UserError).diagnostic).toStrictEqual({
      code: 'review-catalog-invalid',
      file: broken,
      pointer: '/tools/0/annotations',
      message: 'not a toolwright tool catalog: expected an object with the four boolean hints',
      help: 'Pass a tools.json written by `toolwright generate`, a generated project folder, or an OpenAPI document.',
    });
  });

  it('lint without a target needs toolwright.yaml', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { error } = await runInProcess(['lint']);
      expect((error as UserError).diagnostic.code).toBe('no-target');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe.skipIf(!wired)('review commands, through the built CLI', () => {
  it('diff prints the committed example and exits 0, or 3 with --fail-on breaking', async () => {
    const args = ['diff', 'examples/petstore/openapi.yaml', 'examples/petstore-v2/openapi.yaml', '--config', 'examples/petstore/toolwright.yaml'];
    const plain = await run(args);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe(await readFile(path.join(repoRoot, 'examples/petstore-v2/catalog-diff.md'), 'utf8'));
    const json = await run([...args, '--json']);
    expect(json.stdout).toBe(await readFile(path.join(repoRoot, 'examples/petstore-v2/catalog-diff.json'), 'utf8'));
    expect((await run([...args, '--fail-on', 'breaking'])).status).toBe(3);
  });

  it('lint exits 0 on the example, 3 over budget, 1 on a missing file', async () => {
    expect((await run(['lint', 'examples/petstore/server'])).status).toBe(0);
    expect((await run(['lint', 'examples/petstore/server', '--max-tokens', '10'])).status).toBe(3);
    const missing = await run(['lint', 'no-such-tools.json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('error: no-such-tools.json: no such file or folder');
  });
});

if (!wired) {
  console.warn('review-cli: toolwright diff and lint are not wired into src/cli/main.ts yet; the child-process tests are skipped.');
}
