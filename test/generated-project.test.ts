import { execFileSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { repoRoot, tempDir } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quietNpm = { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

describe('the generated petstore project, as a user gets it', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-project-'));
    await cp(path.join(repoRoot, 'examples/petstore/server'), dir, { recursive: true });
  });
  afterAll(() => cleanup());

  it('installs from the registry, builds, and passes its own npm test', () => {
    const run = (...args: string[]) => execFileSync(npm, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: quietNpm, timeout: 300_000 });
    run('install', '--no-package-lock');
    run('run', 'build');
    run('test');
  }, 600_000);
});
