// The writer stays inside --out: a planted manifest cannot name paths outside it, symbolic links inside it are
// not followed, and a run killed mid-write is recovered by the next one (and seen by --check).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../src/cli/check-output.js';
import { UserError } from '../src/errors.js';
import { journalPath, manifestPath, stagingSuffix } from '../src/write/staging.js';
import { compareWithDisk, writeFiles } from '../src/write/write-files.js';
import { repoRoot, tempDir } from './helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

function run(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const plan = new Map([
  ['README.md', '# x\n'],
  ['src/index.ts', 'export {};\n'],
  ['src/tools/a.ts', 'export const a = 1;\n'],
]);

/** Every file under `dir`, relative, sorted, without following links. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('writing the generated project', () => {
  let root: string;
  let out: string;
  let outside: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('toolwright-write-'));
    out = path.join(root, 'out');
    outside = path.join(root, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'victim.txt'), 'keep me\n');
  });
  afterEach(() => cleanup());

  it.each([
    ['../outside/victim.txt'],
    ['src/../../outside/victim.txt'],
    ['/etc/hostname'],
    ['..\\outside\\victim.txt'],
    ['src/a\0.ts'],
    ['C:/victim.txt'],
    ['./README.md'],
  ])('refuses a manifest that names %j, and deletes nothing', async (entry) => {
    await writeFiles({ plan, outDir: out });
    const manifest = JSON.parse(await readFile(path.join(out, manifestPath), 'utf8')) as { files: Record<string, string> };
    manifest.files[entry] = '0'.repeat(64);
    await writeFile(path.join(out, manifestPath), JSON.stringify(manifest));
    const error = await rejection(writeFiles({ plan: new Map([['README.md', '# y\n']]), outDir: out, force: true }));
    expect(error.diagnostic.message).toContain('not inside the output folder');
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me\n');
    expect(await listTree(out)).toStrictEqual(['.toolwright/manifest.json', 'README.md', 'src/index.ts', 'src/tools/a.ts']);
  });

  it('refuses a manifest that is not JSON with a clear error', async () => {
    await mkdir(path.join(out, '.toolwright'), { recursive: true });
    await writeFile(path.join(out, manifestPath), '{ not json');
    const error = await rejection(writeFiles({ plan, outDir: out }));
    expect(error.diagnostic.message).toContain('is not a toolwright manifest');
  });

  it('does not write through a symbolic link to a folder outside --out', async () => {
    await writeFiles({ plan, outDir: out });
    await import('node:fs/promises').then(({ rm }) => rm(path.join(out, 'src/tools'), { recursive: true }));
    await symlink(outside, path.join(out, 'src/tools'), 'dir');
    const error = await rejection(writeFiles({ plan: new Map([...plan, ['src/tools/victim.txt', 'overwritten\n']]), outDir: out, force: true }));
    expect(error.diagnostic.code).toBe('out-symlink');
    expect(await readdir(outside)).toStrictEqual(['victim.txt']);
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me\n');
  });

  it('does not replace or remove through a symbolic link named like a generated file', async () => {
    await writeFiles({ plan, outDir: out });
    await import('node:fs/promises').then(({ rm }) => rm(path.join(out, 'README.md')));
    await symlink(path.join(outside, 'victim.txt'), path.join(out, 'README.md'));
    const error = await rejection(writeFiles({ plan: new Map([['src/index.ts', 'export {};\n']]), outDir: out, force: true }));
    expect(error.diagnostic.code).toBe('out-symlink');
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me\n');
  });

  it('recovers the exact leftovers of a run killed while renaming: a plain re-run completes and cleans up', async () => {
    // What the writer leaves when killed after staging everything and renaming one file, on a first run.
    const suffix = stagingSuffix(99999);
    await mkdir(path.join(out, 'src/tools'), { recursive: true });
    await mkdir(path.join(out, '.toolwright'));
    const { createHash } = await import('node:crypto');
    const hashes = Object.fromEntries([...plan].map(([file, text]) => [file, createHash('sha256').update(text).digest('hex')]));
    await writeFile(path.join(out, journalPath), JSON.stringify({ generator: 'toolwright', files: hashes }));
    await writeFile(path.join(out, 'README.md'), plan.get('README.md')!);
    await writeFile(path.join(out, `src/index.ts${suffix}`), plan.get('src/index.ts')!);
    await writeFile(path.join(out, `src/tools/a.ts${suffix}`), plan.get('src/tools/a.ts')!);
    await writeFile(path.join(out, `${manifestPath}${suffix}`), '{}');

    const { states } = await compareWithDisk({ plan, outDir: out });
    expect(states.filter((state) => state.state === 'leftover').map((state) => state.file)).toStrictEqual([
      journalPath,
      `.toolwright/manifest.json${suffix}`,
      `src/index.ts${suffix}`,
      `src/tools/a.ts${suffix}`,
    ]);
    await writeFiles({ plan, outDir: out });
    expect(await listTree(out)).toStrictEqual(['.toolwright/manifest.json', 'README.md', 'src/index.ts', 'src/tools/a.ts']);
  });

  it('takes a file the interrupted run renamed into place as generated, not as edited by hand', async () => {
    await writeFiles({ plan, outDir: out });
    const next = new Map([...plan, ['src/tools/a.ts', 'export const a = 2;\n']]);
    const { createHash } = await import('node:crypto');
    await writeFile(path.join(out, journalPath), JSON.stringify({ generator: 'toolwright', files: { 'src/tools/a.ts': createHash('sha256').update(next.get('src/tools/a.ts')!).digest('hex') } }));
    await writeFile(path.join(out, 'src/tools/a.ts'), next.get('src/tools/a.ts')!);
    // The user now generates from the previous spec again: the half-applied file is outdated, not edited.
    const { states } = await compareWithDisk({ plan, outDir: out });
    expect(states.find((state) => state.file === 'src/tools/a.ts')?.state).toBe('outdated');
    await writeFiles({ plan, outDir: out });
    expect(await readFile(path.join(out, 'src/tools/a.ts'), 'utf8')).toBe(plan.get('src/tools/a.ts'));
    expect(existsSync(path.join(out, journalPath))).toBe(false);
  });
});

describe('a generate killed with SIGKILL while writing', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('toolwright-kill-')));
  afterEach(() => cleanup());

  it('leaves a folder that --check reports and a plain re-run completes', async () => {
    const paths: Record<string, unknown> = {};
    for (let index = 0; index < 150; index++) {
      paths[`/items${index}/{id}`] = { get: { operationId: `getItem${index}`, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } };
    }
    await writeFile(path.join(dir, 'spec.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'Items', version: '1' }, servers: [{ url: 'https://api.example.com' }], paths }));
    const out = path.join(dir, 'out');
    let interrupted = false;
    let attempts = 0;
    for (; attempts < 5 && !interrupted; attempts++) {
      const child = spawn(process.execPath, [cli, 'generate', 'spec.json', '--out', 'out', '--quiet', '--force'], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const deadline = Date.now() + 60_000;
      // Busy-wait for the journal: the write phase lasts milliseconds, and the kill must land inside it.
      while (!existsSync(path.join(out, journalPath)) && child.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      child.kill('SIGKILL');
      await exited;
      interrupted = existsSync(path.join(out, journalPath));
    }
    expect(interrupted, 'no run was caught mid-write in 5 attempts').toBe(true);
    const check = await run(['generate', 'spec.json', '--out', 'out', '--check', '--json'], dir);
    expect(check.status).toBe(3);
    expect((JSON.parse(check.stdout) as CheckReport).files.map((file) => file.status)).toContain('leftover');
    const rerun = await run(['generate', 'spec.json', '--out', 'out', '--quiet'], dir);
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    const files = await listTree(out);
    expect(files.filter((file) => file.endsWith('.tmp') || file === journalPath)).toStrictEqual([]);
    expect(files).toContain('src/tools/get-item149.ts');
    const after = await run(['generate', 'spec.json', '--out', 'out', '--check', '--json'], dir);
    expect(JSON.parse(after.stdout)).toMatchObject({ upToDate: true });
  }, 180_000);
});
