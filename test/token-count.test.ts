// Issue 11: the token count every command prints is the count of what a client receives in tools/list. The
// petstore example is generated with the built CLI, built, started over stdio and listed by the MCP SDK client;
// each served entry is serialised and counted here, independently of toolwright's own counting function.
import { execFile, execFileSync } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const config = path.join(repoRoot, 'examples/petstore/toolwright.yaml');

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const figure = (text: string, pattern: RegExp): number => Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

describe('token counts agree with the served tools/list', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let client: Client;
  let printed: number;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const generated = await run(['generate', '--config', config, '--out', dir]);
    expect(generated.status).toBe(0);
    printed = figure(generated.stderr, /cost ([\d,]+) tokens of context/);
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit', timeout: 120_000 });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(dir, 'build/index.js')],
      env: { ...getDefaultEnvironment(), PETSTORE_BASE_URL: 'http://127.0.0.1:9/v1', PETSTORE_API_KEY: 'not-used' },
      stderr: 'pipe',
    });
    client = new Client({ name: 'toolwright-token-count', version: '1.0.0' });
    await client.connect(transport);
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await cleanup?.();
  });

  it('generate prints the tokens of the served tools/list, and inspect and lint print the same', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBe(5);
    expect(tools.some((tool) => tool.outputSchema !== undefined)).toBe(true);
    const served = tools.map((tool) => ({ name: tool.name, tokens: countTokens(JSON.stringify(tool)) }));
    const total = served.reduce((sum, tool) => sum + tool.tokens, 0);
    expect(printed).toBe(total);

    const linted = await run(['lint', dir, '--json']);
    const report = JSON.parse(linted.stdout) as { summary: { tokens: number }; tools: { name: string; tokens: number }[] };
    expect(report.summary.tokens).toBe(total);
    const byName = (rows: { name: string; tokens: number }[]) => [...rows].sort((a, b) => (a.name < b.name ? -1 : 1)).map(({ name, tokens }) => ({ name, tokens }));
    expect(byName(report.tools)).toStrictEqual(byName(served));

    const inspected = await run(['inspect', path.join(repoRoot, 'examples/petstore/openapi.yaml'), '--config', config]);
    expect(figure(inspected.stdout, /included as tools \(([\d,]+) tokens/)).toBe(total);
  }, 60_000);
});
