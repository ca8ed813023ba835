import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runNpm, tempDir } from './helpers.js';

/** The runtime stage of the Dockerfile: its ENV settings and the CMD it starts the server with. */
function readDockerfile(text: string): { env: Record<string, string>; command: string[]; copied: string[]; healthcheck: string } {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const runtime = joined.slice(joined.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of runtime.split('\n').filter((candidate) => candidate.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[name!] = value!;
  }
  const command = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]!) as string[];
  const copied = [...runtime.matchAll(/^COPY --from=build \/app\/(\S+) /gm)].map((match) => match[1]!);
  return { env, command, copied, healthcheck: /^HEALTHCHECK .*$/m.exec(runtime)![0].trim() };
}

describe('the generated petstore project, as a user gets it', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let project: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-project-'));
    project = path.join(dir, 'build-stage');
    await cp(path.join(repoRoot, 'examples/petstore/server'), project, { recursive: true });
  });
  afterAll(() => cleanup());

  it('installs from the registry, builds, and passes its own npm test (stdio, HTTP, /healthz, /metrics, traces)', () => {
    runNpm(project, ['install']);
    runNpm(project, ['run', 'build']);
    const output = runNpm(project, ['test']);
    expect(output, 'no test of the project was skipped: the optional OpenTelemetry packages were installed').toMatch(/# skipped 0|ℹ skipped 0/);
    expect(output).toMatch(/exports a span per tool call/);
  }, 600_000);

  it("builds the image's context the Dockerfile's way and serves /healthz and /metrics as its CMD starts it", async () => {
    const dockerfile = await readFile(path.join(project, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:\S+ AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm run build && npm ci --omit=dev$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const stage = readDockerfile(dockerfile);
    expect(stage.env).toMatchObject({ PETSTORE_TRANSPORT: 'http', PETSTORE_HOST: '0.0.0.0', PETSTORE_PORT: '3000' });
    expect(stage.healthcheck).toContain('/healthz');

    // The build stage's `npm ci` and `npm run build` ran in the test above, from the lock file it wrote.
    runNpm(project, ['ci', '--omit=dev']);
    const image = path.join(dir, 'image');
    await mkdir(image);
    for (const entry of stage.copied) await cp(path.join(project, entry), path.join(image, entry), { recursive: true });
    const token = randomBytes(24).toString('hex');
    const env = {
      PATH: process.env.PATH ?? '',
      ...stage.env,
      // docker run -e: loopback and a free port here, as tests bind 127.0.0.1 only.
      PETSTORE_HOST: '127.0.0.1',
      PETSTORE_PORT: '0',
      PETSTORE_AUTH_TOKEN_HASHES: `prometheus=sha256:${createHash('sha256').update(token).digest('hex')}`,
      PETSTORE_API_KEY: 'not-used-here',
    };
    const [command, ...args] = stage.command;
    expect(command).toBe('node');
    const child = spawn(process.execPath, args, { cwd: image, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 20_000);
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = /"url":"([^"]+)"/.exec(stderr)?.[1];
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        });
        child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
      });
      const base = url.replace(/\/mcp$/, '');
      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.json()]).toStrictEqual([200, { status: 'ok' }]);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^mcp_server_info\{server="petstore",version="1\.2\.0"\} 1$/m);
      const [, probe] = /CMD (\[.*\])$/.exec(stage.healthcheck)!;
      const [probeCommand, ...probeArgs] = JSON.parse(probe!) as string[];
      expect(probeCommand).toBe('node');
      const healthy = spawn(process.execPath, probeArgs, { cwd: image, env: { ...env, PETSTORE_PORT: new URL(url).port }, stdio: 'ignore' });
      expect(await new Promise((resolve) => healthy.once('exit', resolve))).toBe(0);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 600_000);
});
