// generate reports its steps (a live line on a terminal, plain lines otherwise), groups warnings by root cause
// for the operations it generates, and prints a JSON summary with --json (init --yes --json too).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { repoRoot, tempDir } from './helpers.js';
import { Terminal } from './terminal.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const petstore = path.join(repoRoot, 'examples/petstore/openapi.yaml');

function run(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Six operations share one defective schema; one selected operation has its own server; a left-out one has
 * a server whose variable has no default.
 */
function diagnosticsSpec(): string {
  const paths: Record<string, Record<string, unknown>> = {};
  for (let index = 0; index < 6; index++) {
    paths[`/things${index}`] = { get: { operationId: `listThings${index}`, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Loop' } } } } } } };
  }
  paths['/elsewhere'] = { get: { operationId: 'getElsewhere', servers: [{ url: 'https://other.example.com' }], responses: { '200': { description: 'ok' } } } };
  paths['/things0']!.delete = { operationId: 'deleteThings', servers: [{ url: 'https://{region}.third.example.com' }], responses: { '204': { description: 'gone' } } };
  return JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, servers: [{ url: 'https://api.example.com' }], paths, components: { schemas: { Loop: { $ref: '#/components/schemas/Loop' } } } }, null, 1);
}

describe('generate output', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-progress-'));
    await writeFile(path.join(dir, 'diag.json'), diagnosticsSpec());
  });
  afterAll(() => cleanup());

  it('prints one plain line per step without a terminal, and nothing with --quiet', async () => {
    const { status, stderr } = await run(['generate', petstore, '--out', 'plain'], dir);
    expect(status).toBe(0);
    const steps = stderr.split('\n').filter((line) => line.endsWith('...'));
    expect(steps).toStrictEqual([`Loading the spec ${petstore}...`, 'Validating the spec...', 'Building the tool catalog...', 'Emitting the server project...', 'Writing the files plain...']);
    expect(stderr).not.toContain('\r');
    const quiet = await run(['generate', petstore, '--out', 'quiet', '--quiet'], dir);
    expect(quiet.stderr).toBe('');
  });

  it('groups a defect shared by six operations into one entry, gives an operation on another host its own base URL, and hides left-out operations', async () => {
    const { status, stderr } = await run(['generate', 'diag.json', '--out', 'diag'], dir);
    expect(status).toBe(0);
    const warnings = stderr.slice(stderr.indexOf('\n2 warnings'));
    expect(warnings).toMatch(/^\n2 warnings \(1 more for operations that are not generated; --verbose shows them\):\n/);
    expect(warnings).not.toContain('declares its own server');
    expect(await readFile(path.join(dir, 'diag', '.env.example'), 'utf8')).toContain('T_OTHER_EXAMPLE_BASE_URL=https://other.example.com');
    expect(warnings.match(/refers back to itself/g)).toHaveLength(1);
    const loopLine = (await readFile(path.join(dir, 'diag.json'), 'utf8')).split('\n').findIndex((line) => line.includes('"Loop"')) + 1;
    expect(warnings).toContain(`  diag.json:${loopLine} at /components/schemas/Loop: $ref "#/components/schemas/Loop" refers back to itself without nesting`);
    expect(warnings).toContain('    affects 6 operations: GET /things0, GET /things1, GET /things2, GET /things3, GET /things4, GET /things5\n');
    expect(warnings).not.toContain('third.example.com');
    const verbose = await run(['generate', 'diag.json', '--out', 'diag', '--verbose'], dir);
    expect(verbose.stderr).toContain('3 warnings:');
    expect(verbose.stderr).toContain('server "https://{region}.third.example.com" has no default for {region}');
    const failing = await run(['generate', 'diag.json', '--out', 'diag-fail', '--fail-on-warnings'], dir);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain('stopping because of warnings (--fail-on-warnings); nothing was written');
  });

  it('prints a JSON summary of what was written with --json', async () => {
    const { status, stdout } = await run(['generate', 'diag.json', '--out', 'json-out', '--json'], dir);
    expect(status).toBe(0);
    const summary = JSON.parse(stdout) as { out: string; tools: { name: string }[]; written: string[]; warnings: { code: string; operations: string[]; urgent: boolean }[]; hiddenWarnings: number };
    expect(summary.out).toBe('json-out');
    expect(summary.tools).toHaveLength(7);
    expect(summary.written).toContain('src/server-definition.ts');
    expect(summary.warnings[0]!.operations).toHaveLength(6);
    expect(summary.warnings.map((warning) => warning.code)).toStrictEqual(['schema', 'no-upstream-auth']);
    expect(summary.hiddenWarnings).toBe(1);
    const again = JSON.parse((await run(['generate', 'diag.json', '--out', 'json-out', '--json'], dir)).stdout) as { written: string[]; unchanged: string[] };
    expect(again.written).toStrictEqual([]);
    expect(again.unchanged.length).toBeGreaterThan(10);
  });

  it('init --yes --json prints what it wrote', async () => {
    const { status, stdout } = await run(['init', petstore, '--yes', '--json', '--out', 'init-out', '--config', 'init.yaml'], dir);
    expect(status).toBe(0);
    const summary = JSON.parse(stdout) as { config: string; out: string; written: string[]; tools: unknown[] };
    expect(summary).toMatchObject({ config: 'init.yaml', out: 'init-out' });
    expect(summary.tools).toHaveLength(4);
    expect(summary.written).toContain('README.md');
    expect(await readFile(path.join(dir, 'init.yaml'), 'utf8')).toContain('operations:');
  });

  it.skipIf(!Terminal.available())('shows one live line on a terminal while a step takes long, then clears it', async () => {
    const text = await readFile(petstore, 'utf8');
    const slow = createServer((_req, res) => setTimeout(() => res.end(text), 2500));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/openapi.yaml`;
    const terminal = Terminal.start(`node ${cli} generate ${url} --out tty-out`, dir);
    try {
      const during = await terminal.waitFor(`Loading the spec ${url}... 1 s`, 20_000);
      expect(during).not.toContain('Validating');
      const after = await terminal.waitFor('[exit 0]', 30_000);
      expect(after).not.toContain('Loading the spec');
      expect(after).not.toContain('Validating the spec');
      expect(after).toContain('Wrote ');
    } finally {
      terminal.close();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  }, 60_000);
});
