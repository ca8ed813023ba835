import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../src/package-info.js';
import { repoRoot, runNpm, tempDir } from './helpers.js';

describe('the packed package', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-pack-'));
    expect(existsSync(path.join(repoRoot, 'dist/src/cli/main.js')), 'run `npm run build` first').toBe(true);
    const tarball = runNpm(repoRoot, ['pack', '--silent', '--pack-destination', dir]).trim().split('\n').pop()!;
    runNpm(dir, ['init', '-y']);
    runNpm(dir, ['install', '--no-package-lock', path.join(dir, tarball)]);
  }, 400_000);
  afterAll(() => cleanup());

  it('runs with npx from an empty project and generates a server', async () => {
    const npx = (...args: string[]) => runNpm(dir, ['exec', '--no', '--', 'toolwright', ...args]);
    expect(npx('--version').trim()).toBe(packageVersion);
    expect(npx('--help')).toContain('generate');
    const spec = path.join(repoRoot, 'examples/petstore/openapi.yaml');
    npx('generate', spec, '--out', 'server', '--quiet');
    const catalog = JSON.parse(await readFile(path.join(dir, 'server/tools.json'), 'utf8')) as { tools: { name: string }[] };
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['create_pet', 'get_pet', 'list_owner_pets', 'list_pets']);
    expect(existsSync(path.join(dir, 'server/src/runtime/definition.ts'))).toBe(true);
  });
});
