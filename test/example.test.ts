import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurationConfig } from '../src/curate/config-file.js';
import { generateProject } from '../src/pipeline.js';
import { manifestPath, writeFiles } from '../src/write/write-files.js';
import { repoRoot, tempDir } from './helpers.js';

const exampleDir = path.join(repoRoot, 'examples/petstore');

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => {
      const relative = path.posix.join(prefix, entry.name);
      return entry.isDirectory() ? listFiles(dir, relative) : Promise.resolve([relative]);
    }),
  );
  return files.flat().sort();
}

async function generateExample() {
  const config = await readCurationConfig(path.join(exampleDir, 'toolwright.yaml'));
  return generateProject({ spec: config.spec!, config });
}

describe('examples/petstore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('regenerates byte for byte what is committed', async () => {
    const { plan } = await generateExample();
    await writeFiles({ plan, outDir: dir });
    const committed = path.join(exampleDir, 'server');
    const want = (await listFiles(committed)).filter((file) => !file.startsWith('node_modules/') && !file.startsWith('build/'));
    expect(await listFiles(dir)).toStrictEqual(want);
    for (const file of want) {
      const [got, expected] = await Promise.all([readFile(path.join(dir, file), 'utf8'), readFile(path.join(committed, file), 'utf8')]);
      expect(got, `${file} differs from the committed example; run \`npm run examples\` and review the change`).toBe(expected);
    }
    expect(want).toContain(manifestPath);
  });

  it('gives identical output when generated twice', async () => {
    const [first, second] = await Promise.all([generateExample(), generateExample()]);
    expect([...second.plan]).toStrictEqual([...first.plan]);
  });

  it('has the tools the config asks for, and nothing else', async () => {
    const { catalog, decisions } = await generateExample();
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['add_pet', 'get_pet', 'list_owner_pets', 'list_pets', 'remove_pet']);
    expect(decisions.operations.filter((d) => !d.included).map((d) => [d.operation.key, d.reason])).toStrictEqual([
      ['DELETE /admin/cache', 'admin only'],
    ]);
  });
});
