import { execFile, execFileSync } from 'node:child_process';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSpec } from '../../bench/synthetic-inventory.mjs';
import { configIncluding } from '../../src/curate/config-file.js';
import { contextBudgetTokens, measureModeCosts } from '../../src/discovery/modes.js';
import { curateSpec, generateProject } from '../../src/pipeline.js';
import { writeFiles } from '../../src/write/write-files.js';
import { repoRoot, tempDir } from '../helpers.js';
import { startUpstream } from '../upstream.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

describe('a generated server in discovery mode, over stdio, for an API of 1,000 tools', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let spec: string;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let client: Client;
  let serverLog = '';

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    spec = path.join(dir, 'inventory.json');
    await writeFile(spec, JSON.stringify(syntheticSpec(1000)));
    const { model } = await curateSpec({ spec });
    const generated = await generateProject({ spec, config: configIncluding(model.operations), mode: 'discovery' });
    expect(generated.catalog.tools).toHaveLength(1000);
    const out = path.join(dir, 'server');
    await writeFiles({ plan: generated.plan, outDir: out });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', out], { stdio: 'inherit', timeout: 300_000 });
    upstream = await startUpstream((request) =>
      request.method === 'PATCH' ? { status: 200, body: { id: 5, name: JSON.parse(request.body).name } } : { status: 500, body: 'unexpected request' },
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(out, 'build/index.js')],
      env: { ...getDefaultEnvironment(), INVENTORY_BASE_URL: `${upstream.url}/v1` },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
    client = new Client({ name: 'toolwright-e2e', version: '1.0.0' });
    await client.connect(transport);
  }, 600_000);

  afterAll(async () => {
    await client?.close();
    await upstream?.close();
    await cleanup?.();
  });

  it('lists the three meta-tools, with instructions naming the main areas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['search_tools', 'describe_tools', 'call_tool']);
    expect(client.getInstructions()).toMatch(/^Inventory 1\.0\.0: 1000 operations; search_tools finds them, .* Main areas: area0, area1, /);
    expect(measureModeCosts(tools as never).discovery).toBeLessThan(1500);
  });

  it('finds, describes and calls an operation with the index generated with it; the audit line names the operation', async () => {
    const found = await client.callTool({ name: 'search_tools', arguments: { query: 'rename widget0042', limit: 3 } });
    expect((found.structuredContent as { tools: { name: string }[] }).tools[0]!.name).toBe('update_widget0042');
    const described = await client.callTool({ name: 'describe_tools', arguments: { names: ['update_widget0042'] } });
    const [definition] = (described.structuredContent as { tools: { inputSchema: { properties: object } }[] }).tools;
    expect(Object.keys(definition!.inputSchema.properties)).toEqual(expect.arrayContaining(['id', 'name']));
    const called = await client.callTool({ name: 'call_tool', arguments: { name: 'update_widget0042', arguments: { id: 5, name: 'Sprocket' } } });
    expect(called.isError).toBeFalsy();
    expect(called.structuredContent).toEqual({ id: 5, name: 'Sprocket' });
    expect(upstream.requests.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual(['PATCH /v1/widget0042s/5 {"name":"Sprocket"}']);
    const audit = serverLog.split('\n').filter((line) => line.includes('"type":"audit"')).map((line) => JSON.parse(line) as { tool: string; outcome: string });
    expect(audit.at(-1)).toMatchObject({ tool: 'update_widget0042', outcome: 'ok' });
  });

  it('is what `generate` picks, and says so, for an API over the context budget without a toolwright.yaml', async () => {
    const medium = path.join(dir, 'medium.json');
    await writeFile(medium, JSON.stringify(syntheticSpec(200)));
    const generated = await generateProject({ spec: medium });
    expect(generated.mode).toMatchObject({ mode: 'discovery', reason: 'over-budget' });
    expect(generated.mode.toolTokens).toBeGreaterThan(contextBudgetTokens);
    const auto = await promisify(execFile)(process.execPath, [cli, 'generate', medium, '--out', path.join(dir, 'auto')], { timeout: 120_000 });
    expect(auto.stderr).toMatch(/over the budget of 20,000 tokens, so the server uses discovery mode: it lists only search_tools, describe_tools and call_tool \(about \d[\d,]* tokens\)/);
    expect(await readFile(path.join(dir, 'auto/src/server-definition.ts'), 'utf8')).toContain('mode: "discovery"');
    const listed = await promisify(execFile)(process.execPath, [cli, 'generate', medium, '--out', path.join(dir, 'listed'), '--mode', 'tools'], { timeout: 120_000 });
    expect(listed.stderr).not.toContain('discovery mode');
    expect(await readFile(path.join(dir, 'listed/src/search-index.ts'), 'utf8')).toContain('searchIndex: SearchIndex | undefined = undefined');
  }, 300_000);
});
