import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCheckReport, type CheckReport } from '../src/cli/check-output.js';
import { repoRoot, tempDir } from './helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

function run(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function checkJson(cwd: string, ...flags: string[]): Promise<{ status: number; report: CheckReport }> {
  const { status, stdout } = await run(['generate', '--check', '--json', ...flags], cwd);
  return { status, report: JSON.parse(stdout) as CheckReport };
}

describe('toolwright generate --check', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-check-'));
    await cp(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(dir, 'openapi.yaml'));
    await cp(path.join(repoRoot, 'examples/petstore/toolwright.yaml'), path.join(dir, 'toolwright.yaml'));
    expect((await run(['generate', '--quiet'], dir)).status).toBe(0);
  });
  afterEach(() => cleanup());

  it('passes on a clean project', async () => {
    const { status, report } = await checkJson(dir, '--strict');
    expect(status).toBe(0);
    expect(report).toStrictEqual({ upToDate: true, files: [], unreviewed: [] });
    expect((await run(['generate', '--check'], dir)).stdout).toBe('The generated project is up to date.\n');
  });

  it('fails with exit code 3 when the spec changed, listing the files with a short diff', async () => {
    const spec = await readFile(path.join(dir, 'openapi.yaml'), 'utf8');
    await writeFile(path.join(dir, 'openapi.yaml'), spec.replace('summary: Get a pet\n', 'summary: Get one pet\n'));
    const { status, report } = await checkJson(dir);
    expect(status).toBe(3);
    expect(report.files.map((file) => [file.file, file.status])).toStrictEqual([
      ['README.md', 'outdated'],
      ['src/tools/get-pet.ts', 'outdated'],
      ['tools.json', 'outdated'],
    ]);
    expect(report.files[1]!.diff).toContain('-/** GET /pets/{petId}: Get a pet */');
    expect(report.files[1]!.diff).toContain('+/** GET /pets/{petId}: Get one pet */');
    const text = await run(['generate', '--check'], dir);
    expect(text.stdout).toContain('3 files differ from what toolwright generates now:\n  README.md: out of date');
  });

  it('reports a generated file edited by hand, and ignores edits to the user-owned hooks file', async () => {
    const server = path.join(dir, 'server');
    const hooks = path.join(server, 'src/hooks.ts');
    await writeFile(hooks, `${await readFile(hooks, 'utf8')}\nexport const mine = 1;\n`);
    expect((await checkJson(dir)).status).toBe(0);
    const tool = path.join(server, 'src/tools/get-pet.ts');
    await writeFile(tool, (await readFile(tool, 'utf8')).replace('Get one pet', 'Fetch one pet'));
    const { status, report } = await checkJson(dir);
    expect(status).toBe(3);
    expect(report.files.map((file) => [file.file, file.status])).toStrictEqual([['src/tools/get-pet.ts', 'edited']]);
    const regenerated = await run(['generate', '--force', '--quiet'], dir);
    expect(regenerated.status).toBe(0);
    expect(await readFile(hooks, 'utf8')).toContain('export const mine = 1;');
    expect((await checkJson(dir)).status).toBe(0);
  });

  it('with --strict, fails with exit code 4 on operations toolwright.yaml has not decided on', async () => {
    const config = await readFile(path.join(dir, 'toolwright.yaml'), 'utf8');
    await writeFile(path.join(dir, 'toolwright.yaml'), config.replace(/ {2}purgeCache:\n(?: {4}.*\n)+/, ''));
    expect((await checkJson(dir)).status).toBe(0);
    const { status, report } = await checkJson(dir, '--strict');
    expect(status).toBe(4);
    expect(report.unreviewed).toStrictEqual([{ operation: 'DELETE /admin/cache', operationId: 'purgeCache', riskClass: 'admin' }]);
  });
});

describe('the --check diff of a file that is one long line (a catalog data module)', () => {
  it('shows where the line changed, cut short, with how much is left out', () => {
    const catalog = (name: string) => `// banner\nexport const tools = JSON.parse(${JSON.stringify(JSON.stringify([...Array(400).keys()].map((index) => ({ name: index === 200 ? name : `tool_${index}`, title: 'A tool' }))))});\n`;
    const report = buildCheckReport([{ file: 'src/tools/index.ts', state: 'edited', current: catalog('renamed_by_hand'), planned: catalog('tool_200') }], []);
    const diff = report.files[0]!.diff!;
    const removed = diff.split('\n').find((line) => line.startsWith('-') && !line.startsWith('---'))!;
    const added = diff.split('\n').find((line) => line.startsWith('+') && !line.startsWith('+++'))!;
    expect(removed).toMatch(/^-\(\d+ characters\) ….*renamed_by_hand.*… \(\d+ more characters\)$/);
    expect(added).toMatch(/^\+\(\d+ characters\) ….*tool_200.*… \(\d+ more characters\)$/);
    expect(Math.max(...diff.split('\n').map((line) => line.length))).toBeLessThan(260);
  });
});
