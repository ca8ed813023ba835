import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './helpers.js';
import { startUpstream } from './upstream.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const petstore = path.join(repoRoot, 'examples/petstore/openapi.yaml');

/** Runs the built CLI in a child process; async, so that servers in this process keep answering. */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('toolwright CLI', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  // What the precompiled OpenAPI schema validators require: Ajv's runtime, not the whole of swagger-parser.
  const validatorRuntime = ['ajv', 'fast-deep-equal'];
  it.each([
    { args: ['--version'], loads: ['commander'] },
    { args: ['--help'], loads: ['commander'] },
    { args: ['inspect', petstore], loads: [...validatorRuntime, 'commander', 'gpt-tokenizer', 'yaml'].sort() },
    {
      args: ['diff', petstore, path.join(repoRoot, 'examples/petstore-v2/openapi.yaml')],
      loads: [...validatorRuntime, 'commander', 'gpt-tokenizer', 'yaml'].sort(),
    },
  ])('$args.0 loads only the packages it needs: no emitter, no prompts', async ({ args, loads }) => {
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const trace = path.join(repoRoot, 'test/fixtures/import-trace.mjs');
      execFile(process.execPath, ['--import', trace, cli, ...args], { cwd: repoRoot, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, _stdout, stderr) =>
        resolve({ status: error ? 1 : 0, stderr }),
      );
    });
    expect(result.status).toBe(0);
    const imported = [...result.stderr.matchAll(/^imported: (.+)$/gm)].map((match) => match[1]);
    expect(imported).toStrictEqual(loads);
  });

  it('inspect lists every operation with its tool name, inclusion and reason', async () => {
    const { status, stdout } = await run(['inspect', petstore]);
    expect(status).toBe(0);
    expect(stdout).toContain('GET     /pets/{petId}           getPet         get_pet          read         164     yes  read (GET only reads): included by default');
    expect(stdout).toContain('POST    /pets                   createPet      create_pet       write        245     yes  write (POST changes data): included by default');
    expect(stdout).toContain(
      'DELETE  /admin/cache            purgeCache     purge_cache      admin        109     no   admin, irreversible ("admin" in the path; tagged "admin"; "purge" cannot be taken back; DELETE method): left out unless toolwright.yaml sets include: true',
    );
    expect(stdout).toContain('6 operations, 4 included as tools (942 tokens of tool definitions), 2 left out.');
  });

  it('inspect --json prints machine-readable rows', async () => {
    const { status, stdout } = await run(['inspect', petstore, '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { operations: unknown[] };
    expect(report.operations[0]).toStrictEqual({
      method: 'GET',
      path: '/pets',
      operationId: 'listPets',
      tool: 'list_pets',
      risk: 'read',
      riskSensitivities: [],
      riskReasons: ['GET only reads'],
      tokens: 281,
      included: true,
      reason: 'read (GET only reads): included by default',
    });
  });

  it('reads the spec from an http URL', async () => {
    const text = await readFile(petstore, 'utf8');
    const server = await startUpstream(() => ({ status: 200, body: text }));
    try {
      const { status, stdout } = await run(['inspect', `${server.url}/openapi.yaml`, '--json']);
      expect(status).toBe(0);
      expect((JSON.parse(stdout) as { operations: unknown[] }).operations).toHaveLength(6);
      const missing = await startUpstream(() => ({ status: 404, body: 'not here' }));
      try {
        const failed = await run(['inspect', `${missing.url}/openapi.yaml`]);
        expect(failed.status).toBe(1);
        expect(failed.stderr).toContain('cannot download the spec: HTTP 404');
      } finally {
        await missing.close();
      }
    } finally {
      await server.close();
    }
  });

  it('names the file and line of an operation in toolwright.yaml that the spec does not have', async () => {
    const config = path.join(dir, 'bad.yaml');
    await writeFile(config, `spec: ${petstore}\noperations:\n  listPets: {}\n  listKittens: {}\n`);
    const { status, stderr } = await run(['generate', '--config', config, '--out', path.join(dir, 'out')]);
    expect(status).toBe(1);
    expect(stderr).toContain(`error: ${config}:4: operation "listKittens" does not exist in the spec`);
    expect(stderr).toContain('hint:');
  });

  it('reports a broken toolwright.yaml (read while the spec loads) with its line, before any problem of the spec', async () => {
    const config = path.join(dir, 'broken.yaml');
    await writeFile(config, 'operations:\n  listPets:\n    include: "no"\n');
    const withSpec = await run(['generate', petstore, '--config', config, '--out', path.join(dir, 'out')]);
    expect(withSpec.status).toBe(1);
    expect(withSpec.stderr).toContain(`error: ${config}:3 at /operations/listPets/include: "include" in operation "listPets" must be a boolean`);
    const withMissingSpec = await run(['generate', path.join(dir, 'nope.yaml'), '--config', config, '--out', path.join(dir, 'out')]);
    expect(withMissingSpec.status).toBe(1);
    expect(withMissingSpec.stderr).toContain(`error: ${config}:3`);
    expect(withMissingSpec.stderr).not.toContain('no such file');
    await writeFile(config, 'operations:\n  listPets: [\n');
    const syntax = await run(['generate', petstore, '--config', config, '--out', path.join(dir, 'out')]);
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toContain(`error: ${config}:3: invalid YAML`);
  });

  it('refuses a missing spec with exit code 1 and a hint', async () => {
    const { status, stderr } = await run(['generate', path.join(dir, 'nope.yaml'), '--out', path.join(dir, 'out')]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Loading the spec .*nope\.yaml\.\.\.\nerror: .*nope\.yaml: no such file\n {2}hint: /);
  });

  it('rejects an unknown flag', async () => {
    const { status, stderr } = await run(['generate', petstore, '--outt', 'x']);
    expect(status).not.toBe(0);
    expect(stderr).toContain("unknown option '--outt'");
  });

  it('generates, leaves unchanged files alone, and refuses to overwrite hand edits without --force', async () => {
    const out = path.join(dir, 'server');
    expect((await run(['generate', petstore, '--out', out])).status).toBe(0);
    const again = await run(['generate', petstore, '--out', out]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('Wrote 0 files');
    const readme = path.join(out, 'README.md');
    await writeFile(readme, `${await readFile(readme, 'utf8')}\nlocal notes\n`);
    const refused = await run(['generate', petstore, '--out', out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('these generated files were changed by hand since they were generated:\n    README.md');
    expect(await readFile(readme, 'utf8')).toContain('local notes');
    expect((await run(['generate', petstore, '--out', out, '--force'])).status).toBe(0);
    expect(await readFile(readme, 'utf8')).not.toContain('local notes');
  });

  it('refuses to write into a folder it did not generate', async () => {
    const out = path.join(dir, 'mine');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'notes.txt'), 'mine');
    const { status, stderr } = await run(['generate', petstore, '--out', out]);
    expect(status).toBe(1);
    expect(stderr).toContain('the output folder is not empty and was not generated by toolwright');
  });
});
