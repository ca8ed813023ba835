// Loading a spec is bounded and contained: $refs of a remote spec stay under its folder on its origin, a local
// spec does not reach the network, and size, depth, YAML aliases and download time have limits that fail fast
// with exit 1, naming the limit and how to raise it.
import { execFile } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { resolveLimits } from '../src/load/limits.js';
import { loadSpec } from '../src/load/load-spec.js';
import { repoRoot, tempDir } from './helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

type Handler = (url: string, res: import('node:http').ServerResponse) => void;

/** A loopback HTTP server whose requests are recorded; `handle` answers them. */
async function serve(handle: Handler): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handle(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const specWithRef = (ref: string) =>
  JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Refs', version: '1' },
    paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } } } } },
  });
const petSchema = JSON.stringify({ Pet: { type: 'object', properties: { name: { type: 'string' } } } });

async function loadError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('$ref policy', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let other: Awaited<ReturnType<typeof serve>>;
  let api: Awaited<ReturnType<typeof serve>>;
  const specs = new Map<string, string>();
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-refs-'));
    await writeFile(path.join(dir, 'secret.json'), JSON.stringify({ Secret: { type: 'string', description: 'TOP SECRET' } }));
    other = await serve((_url, res) => res.end(petSchema));
    api = await serve((url, res) => {
      if (url === '/specs/redirect.json') {
        res.writeHead(302, { location: `${other.url}/pet.json` });
        res.end();
        return;
      }
      const body = specs.get(url) ?? (url === '/specs/schemas/pet.json' || url === '/other/pet.json' ? petSchema : undefined);
      res.writeHead(body ? 200 : 404).end(body ?? 'not found');
    });
  });
  afterAll(async () => {
    await other.close();
    await api.close();
    await cleanup();
  });
  afterEach(() => (other.paths.length = 0));

  const remote = async (name: string, ref: string, allowRefs?: string[]) => {
    specs.set(`/specs/${name}`, specWithRef(ref));
    return loadSpec(`${api.url}/specs/${name}`, { allowRefs });
  };

  it('a remote spec reads refs under its own folder', async () => {
    const loaded = await remote('good.json', 'schemas/pet.json#/Pet');
    expect(JSON.stringify(loaded.document)).toContain('"name":{"type":"string"}');
  });

  it('a remote spec may not read a local file', async () => {
    const error = await loadError(remote('file.json', `${pathToFileURL(path.join(dir, 'secret.json')).href}#/Secret`));
    expect(error.diagnostic.code).toBe('spec-ref-refused');
    expect(error.diagnostic.message).toContain('may not refer to local files');
    expect(error.diagnostic.help).toContain('--allow-ref');
  });

  it('a remote spec may not reach another port, nor a path outside its folder, nor be redirected there', async () => {
    expect((await loadError(remote('port.json', `${other.url}/pet.json#/Pet`))).diagnostic.message).toContain('another host or port');
    expect((await loadError(remote('up.json', '../other/pet.json#/Pet'))).diagnostic.message).toContain(`only refer to files under ${api.url}/specs/`);
    expect((await loadError(remote('encoded.json', '%2e%2e/other/pet.json#/Pet'))).diagnostic.message).toContain('only refer to files under');
    expect((await loadError(remote('redirected.json', 'redirect.json#/Pet'))).diagnostic.message).toContain(`it redirects to ${other.url}/pet.json`);
    expect(other.paths).toStrictEqual([]);
  });

  it('--allow-ref widens the policy, prefix by prefix', async () => {
    const loaded = await remote('allowed.json', `${other.url}/pet.json#/Pet`, [`${other.url}/`]);
    expect(JSON.stringify(loaded.document)).toContain('"name":{"type":"string"}');
    expect(other.paths).toStrictEqual(['/pet.json']);
    await loadError(remote('prefix.json', `${other.url}/pet.json#/Pet`, [`${other.url}/pe`]));
  });

  it('a local spec may not reach the network unless allowed', async () => {
    const file = path.join(dir, 'local.json');
    await writeFile(file, specWithRef(`${other.url}/pet.json#/Pet`));
    expect((await loadError(loadSpec(file))).diagnostic.message).toContain('a local spec may not refer to the network');
    expect(other.paths).toStrictEqual([]);
    await loadSpec(file, { allowRefs: [other.url] });
    expect(other.paths).toStrictEqual(['/pet.json']);
  });

  it('the CLI refuses with exit 1 and accepts --allow-ref', async () => {
    specs.set('/specs/cli.json', specWithRef(`${pathToFileURL(path.join(dir, 'secret.json')).href}#/Secret`));
    const refused = await run(['inspect', `${api.url}/specs/cli.json`], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*\$ref ".*secret\.json#\/Secret" is not followed: a spec read from a URL may not refer to local files\n  hint: If that location is trusted, allow it with --allow-ref /);
    const allowed = await run(['inspect', `${api.url}/specs/cli.json`, '--allow-ref', dir, '--json'], dir);
    expect(allowed.status).toBe(0);
  });
});

describe('limits', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('toolwright-limits-')));
  afterAll(() => cleanup());

  it('stops a billion-laughs YAML at once, naming the limit and how to raise it', async () => {
    let yaml = 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths: {}\nx-laughs:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (const [index, name] of [...'bcdefghi'].entries()) yaml += `  ${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(', ')}]\n`;
    expect(yaml.length).toBeLessThan(900);
    const file = path.join(dir, 'laughs.yaml');
    await writeFile(file, yaml);
    const started = Date.now();
    const { status, stderr } = await run(['generate', file, '--out', path.join(dir, 'laughs-out')], dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(status).toBe(1);
    expect(stderr).toContain('over the YAML alias expansion limit of 10,000 aliases');
    expect(stderr).toContain('--max-yaml-aliases <aliases> or TOOLWRIGHT_MAX_YAML_ALIASES=<aliases>');
  }, 30_000);

  it('stops a 3,000-deep schema with exit 1, and --max-depth raises the limit', async () => {
    const deepSpec = (levels: number) => {
      let schema = '{"type":"string"}';
      for (let index = 0; index < levels; index++) schema = `{"type":"object","properties":{"a":${schema}}}`;
      return `{"openapi":"3.0.3","info":{"title":"d","version":"1"},"paths":{"/x":{"post":{"operationId":"x","requestBody":{"content":{"application/json":{"schema":${schema}}}},"responses":{"200":{"description":"ok"}}}}}}`;
    };
    await writeFile(path.join(dir, 'deep.json'), deepSpec(3000));
    const refused = await run(['inspect', 'deep.json'], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('deep.json: objects and arrays nest too deep: over the nesting depth limit of 1,000 levels');
    expect(refused.stderr).toContain('--max-depth <levels> or TOOLWRIGHT_MAX_DEPTH=<levels>');
    await writeFile(path.join(dir, 'deeper.json'), deepSpec(600));
    expect((await run(['inspect', 'deeper.json'], dir)).status).toBe(1);
    expect((await run(['inspect', 'deeper.json', '--max-depth', '1500'], dir)).status).toBe(0);
    expect((await run(['inspect', 'deeper.json'], dir, { TOOLWRIGHT_MAX_DEPTH: '1500' })).status).toBe(0);
  }, 60_000);

  it('cuts off an endless download at the byte limit without holding it in memory', async () => {
    let sent = 0;
    const endless = await serve((_url, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 2 ** 32 && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"openapi":"3.0.3",');
      pump();
    });
    try {
      const error = await loadError(loadSpec(`${endless.url}/spec.json`, { limits: { ...resolveLimits({}), maxSpecBytes: 8 * 1024 * 1024 } }));
      expect(error.diagnostic.message).toContain('over the spec size limit of 8,388,608 bytes');
      expect(error.diagnostic.help).toContain('--max-spec-bytes');
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await endless.close();
    }
  });

  it('refuses a local file over the size limit before reading it', async () => {
    await writeFile(path.join(dir, 'big.json'), `{"openapi":"3.0.3","x":"${'x'.repeat(2000)}"}`);
    const { status, stderr } = await run(['inspect', 'big.json', '--max-spec-bytes', '1000'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('big.json: the file is 2,026 bytes: over the spec size limit of 1,000 bytes');
  });

  it('ends a download that never answers, or answers too slowly, with the time limit and how to raise it', async () => {
    const silent = await serve(() => {});
    const slow = await serve((_url, res) => {
      res.writeHead(200);
      res.write('{"openapi":');
    });
    try {
      for (const url of [`${silent.url}/spec.json`, `${slow.url}/spec.json`]) {
        const started = Date.now();
        const { status, stderr } = await run(['inspect', url, '--fetch-timeout', '1'], dir);
        expect(status).toBe(1);
        expect(stderr).toContain('the download did not finish in time: over the download time limit of 1 seconds');
        expect(stderr).toContain('--fetch-timeout <seconds> or TOOLWRIGHT_FETCH_TIMEOUT=<seconds>');
        expect(stderr).not.toContain('internal error');
        expect(Date.now() - started).toBeLessThan(20_000);
      }
    } finally {
      await silent.close();
      await slow.close();
    }
  }, 60_000);

  it('rejects a limit that is not a positive number', async () => {
    const { status, stderr } = await run(['inspect', 'x.json', '--max-depth', 'lots'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('--max-depth must be a positive number of levels, not "lots"');
  });
});

describe('bad paths and encodings', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('toolwright-paths-')));
  afterAll(() => cleanup());

  it('generates from a JSON spec that starts with a UTF-8 byte-order mark', async () => {
    const spec = JSON.stringify({ openapi: '3.0.3', info: { title: 'Bom', version: '1' }, servers: [{ url: 'https://api.example.com' }], paths: { '/a': { get: { operationId: 'getA', responses: { '200': { description: 'ok' } } } } } });
    await writeFile(path.join(dir, 'bom.json'), `\uFEFF${spec}`);
    const { status, stderr } = await run(['generate', 'bom.json', '--out', 'bom-out', '--quiet'], dir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it.each([
    ['a file', ['generate', '../../examples/petstore/openapi.yaml', '--out', 'file.txt'], 'is a file, not a folder'],
    ['inside a file', ['generate', '../../examples/petstore/openapi.yaml', '--out', 'file.txt/sub'], 'is a file, not a folder'],
    ['a folder as the spec', ['inspect', '.'], 'is a folder, not a spec file'],
  ])('exits 1 with a message, no stack trace, for --out or a spec that is %s', async (_name, args, message) => {
    await writeFile(path.join(dir, 'file.txt'), 'keep\n');
    await mkdir(path.join(dir, 'work', 'here'), { recursive: true });
    const { status, stderr } = await run(args.map((arg) => arg.replace('../../examples', path.join(repoRoot, 'examples')).replace(/^file\.txt/, path.join(dir, 'file.txt'))), path.join(dir, 'work', 'here'));
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    expect(status).toBe(1);
  });
});
