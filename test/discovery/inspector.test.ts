// The MCP Inspector CLI, a third-party client, run with Node 22 (the registry's `node@22` package) as it
// requires: it lists a generated discovery-mode server's tools and calls through the meta-tools. Both are
// installed into .cache/inspector on first run; the test is skipped only when the npm registry is unreachable.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCurationConfig } from '../../src/curate/config-file.js';
import { generateProject } from '../../src/pipeline.js';
import { writeFiles } from '../../src/write/write-files.js';
import { repoRoot, tempDir } from '../helpers.js';
import { startUpstream } from '../upstream.js';

const inspectorVersion = '2.12.0';
const nodeVersion = '22.23.3';
const cacheDir = path.join(repoRoot, '.cache', 'inspector');
const node22 = path.join(cacheDir, 'node_modules', '.bin', 'node');
const launcher = path.join(cacheDir, 'node_modules', '.bin', 'mcp-inspector');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Installs the Inspector and Node 22 into the cache; undefined when done, else why it could not be (registry unreachable). */
function installInspector(): string | undefined {
  if (existsSync(node22) && existsSync(launcher)) return undefined;
  try {
    execFileSync(npm, ['ping'], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    return 'the npm registry is unreachable, so @modelcontextprotocol/inspector and node@22 cannot be installed';
  }
  execFileSync(npm, ['install', '--prefix', cacheDir, '--no-audit', '--no-fund', '--loglevel=error', `@modelcontextprotocol/inspector@${inspectorVersion}`, `node@${nodeVersion}`], {
    stdio: 'inherit',
    timeout: 600_000,
  });
  return undefined;
}

describe('the MCP Inspector CLI against a generated server in discovery mode', () => {
  let skipped: string | undefined;
  let dir: string;
  let cleanup: () => Promise<void>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let server: string;

  beforeAll(async () => {
    await mkdir(cacheDir, { recursive: true });
    skipped = installInspector();
    if (skipped) return console.warn(`skipping the MCP Inspector test: ${skipped}`);
    ({ dir, cleanup } = await tempDir());
    const configFile = path.join(repoRoot, 'examples/petstore/toolwright.yaml');
    const config = parseCurationConfig(await readFile(configFile, 'utf8'), configFile);
    const generated = await generateProject({ spec: config.spec!, config, mode: 'discovery' });
    await writeFiles({ plan: generated.plan, outDir: dir });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit', timeout: 120_000 });
    server = path.join(dir, 'build/index.js');
    upstream = await startUpstream((request) =>
      request.method === 'GET' && request.url === '/v1/pets/7' ? { status: 200, body: { id: 7, name: 'Rex', species: 'dog', tags: [], status: 'available' } } : { status: 404, body: { message: 'No pet' } },
    );
  }, 900_000);

  afterAll(async () => {
    await upstream?.close();
    await cleanup?.();
  });

  const inspect = async (era: 'legacy' | 'modern', args: string[]): Promise<{ code: number; stdout: string }> => {
    const command = [realpathSync(launcher), '--cli', '--protocol-era', era, '-e', `PETSTORE_BASE_URL=${upstream.url}/v1`, '-e', 'PETSTORE_API_KEY=inspector-test-key', process.execPath, server, ...args];
    try {
      const { stdout } = await promisify(execFile)(node22, command, { timeout: 60_000 });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  };

  it.each(['legacy', 'modern'] as const)('lists the three meta-tools and calls an operation through them (%s protocol)', async (era) => {
    if (skipped) return;
    expect(execFileSync(node22, ['--version'], { encoding: 'utf8' })).toMatch(/^v22\./);

    const listed = await inspect(era, ['--method', 'tools/list', '--strict']);
    expect(listed.code, listed.stdout).toBe(0);
    expect((JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((tool) => tool.name)).toEqual(['search_tools', 'describe_tools', 'call_tool']);

    const found = await inspect(era, ['--method', 'tools/call', '--tool-name', 'search_tools', '--tool-args-json', '{"query":"find a pet by its id","limit":3}']);
    expect(found.code).toBe(0);
    expect((JSON.parse(found.stdout) as { structuredContent: { tools: { name: string }[] } }).structuredContent.tools[0]!.name).toBe('get_pet');

    const called = await inspect(era, ['--method', 'tools/call', '--tool-name', 'call_tool', '--tool-args-json', '{"name":"get_pet","arguments":{"petId":7}}']);
    expect(called.code).toBe(0);
    expect(JSON.parse(called.stdout)).toMatchObject({ structuredContent: { id: 7, name: 'Rex' } });

    const unknown = await inspect(era, ['--method', 'tools/call', '--tool-name', 'call_tool', '--tool-args-json', '{"name":"get_pets","arguments":{}}']);
    expect(unknown.code).toBe(5);
    expect(unknown.stdout).toContain('There is no tool named \\"get_pets\\". Did you mean get_pet');
  }, 120_000);
});
