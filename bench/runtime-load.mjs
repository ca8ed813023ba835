// Load test of a generated server over Streamable HTTP on loopback: the petstore example is built, started as its
// own process with `--transport http` and static-token authentication, and LOAD_CLIENTS SDK clients (half on
// 2025-11-25, half on 2026-07-28) call tools for LOAD_SECONDS against an upstream on 127.0.0.1. Prints
// throughput, latency percentiles and the server's memory; exits 1 on any failed call.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clients = Number(process.env.LOAD_CLIENTS ?? 32);
const seconds = Number(process.env.LOAD_SECONDS ?? 30);
const warmupSeconds = Math.min(2, seconds / 5);
const token = randomBytes(32).toString('hex');
const pet = { id: 7, name: 'Rex', species: 'dog', tags: ['good'], status: 'available' };

const dir = mkdtempSync(path.join(os.tmpdir(), 'toolwright-load-'));
let child;
let upstream;
const connected = [];
try {
  cpSync(path.join(repoRoot, 'examples/petstore/server'), dir, { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit' });

  upstream = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const body = url.pathname === '/v1/pets' ? [pet, { ...pet, id: 8 }] : { ...pet, id: Number(url.pathname.split('/').pop()) || 7 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  upstream.keepAliveTimeout = 30_000;
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));

  const serverUrl = await startServer();
  for (let i = 0; i < clients; i++) connected.push(await connect(serverUrl, i % 2 === 0 ? { mode: 'legacy' } : { mode: { pin: '2026-07-28' } }));

  await drive(warmupSeconds * 1000);
  const memory = [];
  const sampler = setInterval(() => memory.push(rssOf(child.pid)), 1000);
  const cpuBefore = { server: cpuOf(child.pid), clients: process.cpuUsage() };
  const run = await drive(seconds * 1000);
  const serverCpuMs = cpuOf(child.pid) - cpuBefore.server;
  const clientCpu = process.cpuUsage(cpuBefore.clients);
  clearInterval(sampler);
  memory.push(rssOf(child.pid));

  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
  const half = memory.slice(Math.floor(memory.length / 2));
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const rows = [
    ['clients (half 2025-11-25, half 2026-07-28)', String(clients)],
    ['duration (after warm-up)', `${seconds} s`],
    ['calls', String(sorted.length)],
    ['failed calls', String(run.failures.length)],
    ['throughput', `${(sorted.length / seconds).toFixed(0)} calls/s`],
    ['latency p50 / p95 / p99', `${at(50)} / ${at(95)} / ${at(99)} ms`],
    ['latency max', `${sorted.at(-1).toFixed(1)} ms`],
    ['server CPU per call', Number.isNaN(serverCpuMs) ? 'n/a' : `${(serverCpuMs / sorted.length).toFixed(2)} ms (${((serverCpuMs / (seconds * 1000)) * 100).toFixed(0)}% of a core)`],
    ['client and upstream CPU (this process)', `${(((clientCpu.user + clientCpu.system) / 1000 / (seconds * 1000)) * 100).toFixed(0)}% of a core`],
    ['server RSS first / last / peak', `${mb(memory[0])} / ${mb(memory.at(-1))} / ${mb(Math.max(...memory))}`],
    ['server RSS change over the second half', mb(half.at(-1) - half[0])],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  const auditLines = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  if (run.failures.length > 0 || auditLines < sorted.length) {
    console.error(`failures: ${run.failures.slice(0, 5).join('\n')}\naudit lines: ${auditLines}`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(connected.map((client) => client.close().catch(() => undefined)));
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  upstream?.closeAllConnections();
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve()));
  rmSync(dir, { recursive: true, force: true });
}

async function startServer() {
  const { port } = upstream.address();
  child = spawn(process.execPath, ['build/index.js', '--transport', 'http'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PETSTORE_BASE_URL: `http://127.0.0.1:${port}/v1`,
      PETSTORE_API_KEY: randomBytes(16).toString('hex'),
      PETSTORE_PORT: '0',
      PETSTORE_AUTH_TOKEN_HASHES: `load=sha256:${createHash('sha256').update(token).digest('hex')}`,
      PETSTORE_AUDIT_FILE: path.join(dir, 'audit.jsonl'),
      PETSTORE_MAX_CONCURRENCY: '64',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 15_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const url = /"url":"([^"]+)"/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
  });
}

async function connect(url, versionNegotiation) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'load', version: '1.0.0' }, { versionNegotiation });
  await client.connect(transport, { timeout: 10_000 });
  return client;
}

async function drive(durationMs) {
  const latencies = [];
  const failures = [];
  const deadline = Date.now() + durationMs;
  await Promise.all(
    connected.map(async (client, i) => {
      for (let n = 1; Date.now() < deadline; n++) {
        const call = n % 2 === 0 ? { name: 'list_pets', arguments: { limit: 5 } } : { name: 'get_pet', arguments: { petId: i * 100_000 + n } };
        const started = performance.now();
        try {
          const result = await client.callTool(call, { timeout: 10_000 });
          if (result.isError) failures.push(JSON.stringify(result).slice(0, 300));
        } catch (error) {
          failures.push(error.message);
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { latencies, failures };
}

function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
  } catch {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
  }
}

/** User plus system CPU time of a process in milliseconds (Linux), NaN elsewhere. */
function cpuOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
