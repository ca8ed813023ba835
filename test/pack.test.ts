import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../src/package-info.js';
import { repoRoot, tempDir } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quietNpm = { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

describe('the packed package', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-pack-'));
    expect(existsSync(path.join(repoRoot, 'dist/src/cli/main.js')), 'run `npm run build` first').toBe(true);
    const tarball = execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8', env: quietNpm }).trim().split('\n').pop()!;
    execFileSync(npm, ['init', '-y'], { cwd: dir, stdio: 'ignore', env: quietNpm });
    execFileSync(npm, ['install', '--no-package-lock', path.join(dir, tarball)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: quietNpm, timeout: 300_000 });
  }, 400_000);
  afterAll(() => cleanup());

  it('runs with npx from an empty project and generates a server', async () => {
    const npx = (...args: string[]) => execFileSync('npx', ['--no-install', 'toolwright', ...args], { cwd: dir, encoding: 'utf8', env: quietNpm });
    expect(npx('--version').trim()).toBe(packageVersion);
    expect(npx('--help')).toContain('generate');
    const spec = path.join(repoRoot, 'examples/petstore/openapi.yaml');
    npx('generate', spec, '--out', 'server', '--quiet');
    const catalog = JSON.parse(await readFile(path.join(dir, 'server/tools.json'), 'utf8')) as { tools: { name: string }[] };
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['get_pet', 'list_owner_pets', 'list_pets']);
    expect(existsSync(path.join(dir, 'server/src/runtime/definition.ts'))).toBe(true);
  });
});
