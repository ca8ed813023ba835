import { execFileSync } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { configIncluding } from '../src/curate/config-file.js';
import { maxToolModules } from '../src/emit/plan-files.js';
import { curateSpec, generateProject } from '../src/pipeline.js';
import { writeFiles } from '../src/write/write-files.js';
import { fetchNpmSpecs, githubSpec } from '../bench/corpus.mjs';
import { repoRoot, tempDir } from './helpers.js';

const spec = fetchNpmSpecs([githubSpec])?.[0];
if (!spec) console.warn('skipping the GitHub spec test: ../shared/corpus is not beside the project');

describe.skipIf(!spec)("GitHub's REST API (@octokit/openapi, 1,223 operations)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('generates every GET operation as a tool, as one data module, builds, and serves every tool to a client', async () => {
    const { model } = await curateSpec({ spec: spec! });
    const gets = model.operations.filter((operation) => operation.method === 'GET');
    const config = configIncluding(gets);
    const generated = await generateProject({ spec: spec!, config });
    expect(gets.length).toBeGreaterThan(500);
    expect(generated.catalog.tools).toHaveLength(gets.length);
    const names = generated.catalog.tools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(gets.length).toBeGreaterThan(maxToolModules);
    expect([...generated.plan.keys()].filter((file) => file.startsWith('src/tools/'))).toStrictEqual(['src/tools/index.ts']);
    await writeFiles({ plan: generated.plan, outDir: dir });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      stdio: 'inherit',
      timeout: 600_000,
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(dir, 'build/index.js')],
      env: { ...getDefaultEnvironment(), [`${generated.catalog.server.envPrefix}_BASE_URL`]: 'http://127.0.0.1:9' },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'toolwright-github-test', version: '1.0.0' });
    try {
      await client.connect(transport, { timeout: 60_000 });
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name).sort()).toStrictEqual([...names].sort());
      const served = listed.tools.find((tool) => tool.name === names[0])!;
      const entry = generated.catalog.tools.find((tool) => tool.name === names[0])!;
      expect(served.inputSchema).toStrictEqual(entry.inputSchema);
    } finally {
      await client.close();
    }
  }, 900_000);
});
