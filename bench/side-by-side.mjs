// toolwright next to its closest peer (openapi-mcp-generator, installed in ~/.cache/toolwright-bench), on the
// same specs and operations, runs interleaved A B A B; prints medians and ratios (toolwright / peer).
//
//   node bench/side-by-side.mjs [--runs 5] [--only gen,start,call,http,scale,tokens] [--specs petstore,github,stripe,kubernetes] [--seconds 10]
//
// gen    generation of every operation: wall time, CPU time, peak RSS (petstore, GitHub REST, Stripe, Kubernetes)
// start  server start to the first tools/list answer over stdio (petstore, GitHub), and the tokens of what each lists
// call   time per tools/call over stdio against an upstream on loopback (petstore)
// http   calls/s, latency and server CPU per call at 32 clients over Streamable HTTP (GitHub and petstore
//        catalogs; toolwright only: the peer's HTTP transport does not serve MCP clients)
// scale  synthetic specs of 1k, 10k and 50k operations and a ~20 MB document: time per 1,000 operations
// tokens what a client receives in tools/list from each server (o200k tokens, whole entries), on GitHub's every
//        GET and Stripe's default selection: both generators get a copy of the spec with only those operations
// Ratios are what count on a shared machine; the load average is printed with the results.
import { countTokens } from 'gpt-tokenizer';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse as parseYaml } from 'yaml';
import { corpusDir, fetchNpmSpecs, githubSpec, repoRoot } from './corpus.mjs';
import { buildProject, envPrefixOf, generators, installPeer, median, peerPackage, peerRuntimeModules, printTable, writeAllOperationsConfig } from './peer.mjs';
import { syntheticSpec } from './synthetic-spec.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const runs = Number(argument('runs', 5));
const only = new Set(argument('only', 'gen,start,call,http,scale,tokens').split(','));
const httpSeconds = Number(argument('seconds', 10));
const work = mkdtempSync(path.join(os.tmpdir(), 'toolwright-side-by-side-'));
const peerBin = installPeer();
const generate = generators(peerBin);
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const githubFile = fetchNpmSpecs([githubSpec])?.[0];
const allSpecs = {
  petstore: path.join(repoRoot, 'examples/petstore/openapi.yaml'),
  github: githubFile,
  stripe: path.join(corpusDir, 'github/gh-stripe__spec3-2023-09.yaml'),
  kubernetes: path.join(corpusDir, 'github/gh-kubernetes__swagger.json'),
};
const chosen = new Set(argument('specs', Object.keys(allSpecs).join(',')).split(','));
const specs = Object.fromEntries(Object.entries(allSpecs).filter(([name]) => chosen.has(name)));

console.log(`toolwright vs ${peerPackage}; ${runs} runs each, interleaved; ${os.cpus().length} CPUs; load average at start ${load()}`);
try {
  if (only.has('gen')) await compareGeneration();
  if (only.has('start') || only.has('call')) await compareServers();
  if (only.has('http')) await measureHttp();
  if (only.has('scale')) await measureScale();
  if (only.has('tokens')) await compareListedTokens();
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`\nload average at the end ${load()}`);

async function compareGeneration() {
  const rows = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec) continue;
    const config = path.join(work, `${name}.yaml`);
    const operations = await writeAllOperationsConfig(spec, config);
    const samples = { toolwright: [], peer: [] };
    for (let run = 0; run < runs; run++) {
      for (const tool of run % 2 === 0 ? ['toolwright', 'peer'] : ['peer', 'toolwright']) {
        const out = path.join(work, `gen-${tool}-${name}`);
        rmSync(out, { recursive: true, force: true });
        samples[tool].push(await generate[tool](spec, out, config));
      }
    }
    const m = (tool, key) => median(samples[tool].map((sample) => sample[key]));
    rows.push([
      `${name} (${operations} ops)`,
      `${seconds(m('toolwright', 'wallMs'))} / ${seconds(m('peer', 'wallMs'))} = ${ratio(m('toolwright', 'wallMs'), m('peer', 'wallMs'))}`,
      `${seconds(m('toolwright', 'cpuMs'))} / ${seconds(m('peer', 'cpuMs'))} = ${ratio(m('toolwright', 'cpuMs'), m('peer', 'cpuMs'))}`,
      `${m('toolwright', 'peakRssMb').toFixed(0)} / ${m('peer', 'peakRssMb').toFixed(0)} MB = ${ratio(m('toolwright', 'peakRssMb'), m('peer', 'peakRssMb'))}`,
    ]);
  }
  console.log(`\nGeneration of every operation, toolwright with validation on (median of ${runs}; toolwright / peer = ratio)`);
  printTable(['spec', 'wall', 'CPU', 'peak RSS'], rows);
}

/** Generates and builds the petstore and GitHub projects of both generators, then measures start-up and calls. */
async function compareServers() {
  const upstream = await startUpstream();
  const base = `http://127.0.0.1:${upstream.address().port}`;
  const projects = {};
  for (const name of ['petstore', 'github']) {
    if (!specs[name]) continue;
    const config = path.join(work, `${name}-serve.yaml`);
    await writeAllOperationsConfig(specs[name], config);
    const ours = path.join(work, `serve-toolwright-${name}`);
    const theirs = path.join(work, `serve-peer-${name}`);
    await generate.toolwright(specs[name], ours, config);
    await generate.peer(specs[name], theirs);
    buildProject(ours, path.join(repoRoot, 'node_modules'));
    if (!buildProject(theirs, peerRuntimeModules(theirs), { tolerateTypeErrors: true })) {
      console.log(`note: the peer's ${name} project does not type-check; the JavaScript tsc emitted anyway is what runs.`);
    }
    const prefix = envPrefixOf(ours);
    projects[name] = {
      toolwright: { dir: ours, env: { [`${prefix}_BASE_URL`]: base } },
      peer: { dir: theirs, env: { API_BASE_URL: base } },
    };
  }
  try {
    if (only.has('start')) {
      const rows = [];
      for (const [name, pair] of Object.entries(projects)) {
        const samples = { toolwright: [], peer: [] };
        for (let run = 0; run < runs; run++) {
          for (const tool of run % 2 === 0 ? ['toolwright', 'peer'] : ['peer', 'toolwright']) {
            const started = performance.now();
            const client = await connectStdio(pair[tool]);
            const { tools } = await client.listTools();
            samples[tool].push(performance.now() - started);
            pair[tool].tools = tools.length;
            pair[tool].tokens ??= tools.map((listed) => countTokens(JSON.stringify(listed)));
            await client.close();
          }
        }
        const [a, b] = [median(samples.toolwright), median(samples.peer)];
        rows.push([`${name} (${pair.toolwright.tools} / ${pair.peer.tools} tools)`, `${a.toFixed(0)} ms`, `${b.toFixed(0)} ms`, ratio(a, b)]);
      }
      console.log(`\nServer start to the first tools/list answer over stdio (median of ${runs})`);
      printTable(['catalog', 'toolwright', 'peer', 'ratio'], rows);
      const sum = (values) => values.reduce((total, value) => total + value, 0);
      const tokenRows = Object.entries(projects).map(([name, pair]) => [
        name,
        `${median(pair.toolwright.tokens)} / ${sum(pair.toolwright.tokens).toLocaleString('en-US')}`,
        `${median(pair.peer.tokens)} / ${sum(pair.peer.tokens).toLocaleString('en-US')}`,
        ratio(sum(pair.toolwright.tokens), sum(pair.peer.tokens)),
      ]);
      console.log('\nTokens of the tools/list entries each server sends (o200k_base; median per tool / total; same operations)');
      printTable(['catalog', 'toolwright', 'peer', 'ratio of totals'], tokenRows);
    }
    if (only.has('call') && projects.petstore) {
      const calls = 200;
      const samples = { toolwright: [], peer: [] };
      for (let run = 0; run < runs; run++) {
        for (const tool of run % 2 === 0 ? ['toolwright', 'peer'] : ['peer', 'toolwright']) {
          const client = await connectStdio(projects.petstore[tool]);
          const { tools } = await client.listTools();
          const name = tools.find((listed) => listed.name.toLowerCase().replace(/[^a-z]/g, '') === 'getpet').name;
          for (let i = 0; i < 20; i++) await client.callTool({ name, arguments: { petId: 7 } });
          const started = performance.now();
          for (let i = 0; i < calls; i++) {
            const result = await client.callTool({ name, arguments: { petId: i + 1 } });
            if (result.isError) throw new Error(`${tool}: ${JSON.stringify(result).slice(0, 300)}`);
          }
          samples[tool].push((performance.now() - started) / calls);
          await client.close();
        }
      }
      const [a, b] = [median(samples.toolwright), median(samples.peer)];
      console.log(`\nOne tools/call over stdio, petstore get pet, upstream on loopback (${calls} sequential calls, median of ${runs})`);
      printTable(['', 'toolwright', 'peer', 'ratio'], [['time per call', `${a.toFixed(2)} ms`, `${b.toFixed(2)} ms`, ratio(a, b)]]);
    }
  } finally {
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
}

/**
 * Tokens of the tools/list entries each generated server sends, counted as Toolwright counts them, for the
 * selections issue-level targets name: every GET of GitHub's REST API, and Stripe's default selection.
 */
async function compareListedTokens() {
  const { loadSpec } = await import(path.join(repoRoot, 'dist/src/load/load-spec.js'));
  const { buildModel } = await import(path.join(repoRoot, 'dist/src/model/build-model.js'));
  const { selectTools } = await import(path.join(repoRoot, 'dist/src/curate/select.js'));
  const selections = [
    { label: 'GitHub, every GET', spec: allSpecs.github, keep: (model) => model.operations.filter((operation) => operation.method === 'GET') },
    {
      label: 'Stripe, default',
      spec: allSpecs.stripe,
      keep: (model) => selectTools({ model }).decisions.operations.filter((decision) => decision.included).map((decision) => decision.operation),
    },
  ];
  const rows = [];
  for (const { label, spec, keep } of selections) {
    if (!spec) continue;
    const { model, document } = { ...buildModel(await loadSpec(spec)), document: parseDocument(spec) };
    const kept = new Set(keep(model).map((operation) => `${operation.method.toLowerCase()} ${operation.path}`));
    const file = path.join(work, `tokens-${label.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(onlyOperations(document, kept)));
    const config = path.join(work, `tokens-${label.replace(/\W+/g, '-')}.yaml`);
    await writeAllOperationsConfig(file, config);
    const counts = {};
    for (const tool of ['toolwright', 'peer']) {
      const dir = path.join(work, `tokens-${tool}-${label.replace(/\W+/g, '-')}`);
      await generate[tool](file, dir, config);
      const built = tool === 'toolwright' ? buildProject(dir, path.join(repoRoot, 'node_modules')) : buildProject(dir, peerRuntimeModules(dir), { tolerateTypeErrors: true });
      if (!built && tool === 'toolwright') throw new Error(`the ${label} project does not build`);
      const client = await connectStdio({ dir, env: tool === 'toolwright' ? { [`${envPrefixOf(dir)}_BASE_URL`]: 'http://127.0.0.1:9' } : { API_BASE_URL: 'http://127.0.0.1:9' } });
      const { tools } = await client.listTools();
      await client.close();
      counts[tool] = tools.map((listed) => countTokens(JSON.stringify(listed)));
    }
    const sum = (values) => values.reduce((total, value) => total + value, 0);
    const show = (tokens) => `${tokens.length} tools, median ${median(tokens)}, total ${sum(tokens).toLocaleString('en-US')}`;
    rows.push([`${label} (${kept.size} operations)`, show(counts.toolwright), show(counts.peer), ratio(sum(counts.toolwright), sum(counts.peer))]);
  }
  console.log('\nTokens of the tools/list entries each server sends, o200k_base, same operations (the spec cut to them)');
  printTable(['selection', 'toolwright', 'peer', 'ratio of totals'], rows);
}

/** The spec as its file holds it (JSON or YAML), unresolved. */
function parseDocument(file) {
  const text = readFileSync(file, 'utf8');
  return /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
}

/** A copy of a spec with only the operations `kept` names (`get /path`); components and everything else stay. */
function onlyOperations(document, kept) {
  const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  const paths = {};
  for (const [route, item] of Object.entries(document.paths ?? {})) {
    const operations = Object.keys(item).filter((key) => methods.has(key) && kept.has(`${key} ${route}`));
    if (operations.length === 0) continue;
    paths[route] = Object.fromEntries(Object.entries(item).filter(([key]) => !methods.has(key) || operations.includes(key)));
  }
  return { ...document, paths };
}

async function connectStdio({ dir, env }) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(dir, 'build/index.js')], env: { PATH: process.env.PATH, ...env }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(transport, { timeout: 60_000 });
  return client;
}

/** An upstream API on loopback that answers every request with one small JSON object. */
async function startUpstream() {
  const server = createServer((req, res) => {
    const id = Number(new URL(req.url ?? '/', 'http://upstream').pathname.split('/').pop()) || 7;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, name: 'Rex', full_name: 'octo/rex', species: 'dog', tags: ['good'], status: 'available' }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** toolwright's HTTP transport on the GitHub and petstore catalogs: throughput and server CPU per call. */
async function measureHttp() {
  const upstream = await startUpstream();
  const base = `http://127.0.0.1:${upstream.address().port}`;
  const rows = [];
  try {
    for (const [name, call] of [
      ['petstore', { path: '/pets/{petId}', args: (i) => ({ petId: i + 1 }) }],
      ['github', { path: '/repos/{owner}/{repo}', args: (i) => ({ owner: 'octo', repo: `r${i}` }) }],
    ]) {
      if (!specs[name]) continue;
      const config = path.join(work, `${name}-http.yaml`);
      await writeAllOperationsConfig(specs[name], config);
      const dir = path.join(work, `http-${name}`);
      await generate.toolwright(specs[name], dir, config);
      buildProject(dir, path.join(repoRoot, 'node_modules'));
      const tool = JSON.parse(readFileSync(path.join(dir, 'tools.json'), 'utf8')).tools.find((entry) => entry.source.method === 'GET' && entry.source.path === call.path).name;
      const prefix = envPrefixOf(dir);
      const result = await loadHttp({ dir, env: { [`${prefix}_BASE_URL`]: base, [`${prefix}_PORT`]: '0', [`${prefix}_MAX_CONCURRENCY`]: '64' }, tool, args: call.args });
      rows.push([name, `${result.callsPerSecond.toFixed(0)}`, `${result.p50.toFixed(1)} ms`, `${result.cpuPerCall.toFixed(2)} ms`, String(result.failures)]);
    }
  } finally {
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
  console.log(`\nStreamable HTTP, 32 clients (half 2025-11-25, half 2026-07-28), ${httpSeconds} s after warm-up, toolwright`);
  printTable(['catalog', 'calls/s', 'p50', 'server CPU per call', 'failed'], rows);
  const [pet, github] = [rows.find((row) => row[0] === 'petstore'), rows.find((row) => row[0] === 'github')];
  if (pet && github) console.log(`GitHub / petstore server CPU per call: ${ratio(parseFloat(github[3]), parseFloat(pet[3]))}`);
  console.log('The peer is not measured here: the Streamable HTTP server it generates does not answer MCP clients.');
}

async function loadHttp({ dir, env, tool, args }) {
  const child = spawn(process.execPath, ['build/index.js', '--transport', 'http'], { cwd: dir, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const clients = [];
  try {
    const url = await new Promise((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 60_000);
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const found = /"url":"([^"]+)"/.exec(stderr)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
    });
    for (let i = 0; i < 32; i++) {
      const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: i % 2 === 0 ? { mode: 'legacy' } : { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)), { timeout: 30_000 });
      clients.push(client);
    }
    const drive = async (ms) => {
      const latencies = [];
      let failures = 0;
      const deadline = Date.now() + ms;
      await Promise.all(
        clients.map(async (client, c) => {
          for (let n = 0; Date.now() < deadline; n++) {
            const started = performance.now();
            const result = await client.callTool({ name: tool, arguments: args(c * 100_000 + n) }, { timeout: 30_000 }).catch(() => ({ isError: true }));
            if (result.isError) failures++;
            latencies.push(performance.now() - started);
          }
        }),
      );
      return { latencies, failures };
    };
    await drive(2000);
    const cpuBefore = cpuOf(child.pid);
    const { latencies, failures } = await drive(httpSeconds * 1000);
    const cpuMs = cpuOf(child.pid) - cpuBefore;
    return { callsPerSecond: latencies.length / httpSeconds, p50: median(latencies), cpuPerCall: cpuMs / latencies.length, failures };
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** User plus system CPU time of a process in milliseconds (Linux). */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Generation time per 1,000 operations as the spec grows (the classifier's default selection). */
async function measureScale() {
  const sizes = [
    { label: '1k', operations: 1_000 },
    { label: '10k', operations: 10_000 },
    { label: '50k', operations: 50_000 },
    { label: '~20 MB (11k ops)', operations: 11_000, padding: 900 },
  ];
  const scaleRuns = Number(argument('scale-runs', 1));
  const rows = [];
  mkdirSync(path.join(work, 'scale'), { recursive: true });
  for (const size of sizes) {
    const spec = path.join(work, 'scale', `synthetic-${size.operations}.json`);
    writeFileSync(spec, JSON.stringify(syntheticSpec(size)));
    const bytes = readFileSync(spec).length;
    const samples = { toolwright: [], peer: [] };
    for (let run = 0; run < scaleRuns; run++) {
      for (const tool of run % 2 === 0 ? ['toolwright', 'peer'] : ['peer', 'toolwright']) {
        const out = path.join(work, 'scale', `out-${tool}`);
        rmSync(out, { recursive: true, force: true });
        samples[tool].push(await generate[tool](spec, out));
      }
      rmSync(path.join(work, 'scale', 'out-toolwright'), { recursive: true, force: true });
      rmSync(path.join(work, 'scale', 'out-peer'), { recursive: true, force: true });
    }
    const per1k = (tool) => median(samples[tool].map((sample) => sample.wallMs)) / (size.operations / 1000);
    const rss = (tool) => median(samples[tool].map((sample) => sample.peakRssMb));
    rows.push([size.label, `${(bytes / 1024 / 1024).toFixed(1)} MB`, `${per1k('toolwright').toFixed(0)} ms`, `${rss('toolwright').toFixed(0)} MB`, `${per1k('peer').toFixed(0)} ms`, `${rss('peer').toFixed(0)} MB`]);
    rmSync(spec, { force: true });
  }
  console.log(`\nScale: generation wall time per 1,000 operations (median of ${scaleRuns}; toolwright with validation on, default selection)`);
  printTable(['spec', 'size', 'toolwright', 'peak RSS', 'peer', 'peak RSS'], rows);
  const base = parseFloat(rows[0][2]);
  console.log(`toolwright at 50k / at 1k, per 1,000 operations: ${ratio(parseFloat(rows[2][2]), base)}`);
}
