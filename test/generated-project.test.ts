import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { repoRoot, runNpm, tempDir } from './helpers.js';

describe('the generated petstore project, as a user gets it', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-project-'));
    await cp(path.join(repoRoot, 'examples/petstore/server'), dir, { recursive: true });
  });
  afterAll(() => cleanup());

  it('installs from the registry, builds, and passes its own npm test', () => {
    runNpm(dir, ['install', '--no-package-lock']);
    runNpm(dir, ['run', 'build']);
    runNpm(dir, ['test']);
  }, 600_000);
});
