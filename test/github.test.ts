import { execFileSync } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configIncluding } from '../src/curate/config-file.js';
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

  it('generates every GET operation as a tool, and the project type-checks', async () => {
    const { model } = await curateSpec({ spec: spec! });
    const gets = model.operations.filter((operation) => operation.method === 'GET');
    const config = configIncluding(gets);
    const generated = await generateProject({ spec: spec!, config });
    expect(gets.length).toBeGreaterThan(500);
    expect(generated.catalog.tools).toHaveLength(gets.length);
    const names = generated.catalog.tools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    await writeFiles({ plan: generated.plan, outDir: dir });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', dir], {
      stdio: 'inherit',
      timeout: 600_000,
    });
  }, 900_000);
});
