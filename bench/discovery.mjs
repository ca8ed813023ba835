// Discovery mode: search ranking (recall@1 and @5 of the natural-language tasks in test/discovery/ranking-tasks.json
// over GitHub, Stripe, Cloudflare and Kubernetes, every operation), search time at GitHub's size, tools/list tokens
// of GitHub in each mode, and the start-up of a generated 1,000-tool discovery server against the petstore example.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusDir, fetchNpmSpecs, githubSpec, repoRoot } from './corpus.mjs';
import { syntheticSpec } from './synthetic-inventory.mjs';

const dist = (file) => import(path.join(repoRoot, 'dist', file));
const { curateSpec, generateProject } = await dist('src/pipeline.js');
const { configIncluding } = await dist('src/curate/config-file.js');
const { buildSearchDocuments } = await dist('src/discovery/search-documents.js');
const { measureModeCosts } = await dist('src/discovery/modes.js');
const { writeFiles } = await dist('src/write/write-files.js');
const { buildSearchIndex, searchTools } = await dist('templates/runtime/tool-search.js');

const rows = [];
const report = (label, value) => rows.push([label, value]);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

const specs = {
  github: fetchNpmSpecs([githubSpec])?.[0],
  stripe: path.join(corpusDir, 'github', 'gh-stripe__spec3-2023-09.yaml'),
  cloudflare: path.join(corpusDir, 'github', 'gh-cloudflare__openapi-2024-08.json'),
  kubernetes: path.join(corpusDir, 'github', 'gh-kubernetes__swagger.json'),
};

if (specs.github) {
  const tasks = JSON.parse(readFileSync(path.join(repoRoot, 'test/discovery/ranking-tasks.json'), 'utf8'));
  let atOne = 0;
  let atFive = 0;
  const searchMs = [];
  for (const [api, spec] of Object.entries(specs)) {
    const { model } = await curateSpec({ spec });
    const { decisions } = await curateSpec({ spec, config: configIncluding(model.operations) });
    const index = buildSearchIndex(buildSearchDocuments(model, decisions.operations));
    const nameOf = new Map(decisions.operations.map((decision) => [decision.operation.key, decision.name]));
    const mine = tasks.filter((task) => task.api === api);
    for (const task of mine) {
      const wanted = task.operations.map((key) => nameOf.get(key));
      const hits = searchTools(index, task.task, 5).map((hit) => hit.name);
      if (wanted.includes(hits[0])) atOne++;
      if (hits.some((hit) => wanted.includes(hit))) atFive++;
    }
    if (api === 'github') {
      const json = JSON.stringify(index);
      report('GitHub search index (every operation)', `${index.names.length} tools, ${(json.length / 1024).toFixed(0)} KB of JSON`);
      const loaded = JSON.parse(json);
      for (let round = 0; round < 20; round++) {
        for (const task of mine) {
          const started = performance.now();
          searchTools(loaded, task.task, 8);
          if (round > 0) searchMs.push(performance.now() - started);
        }
      }
    }
  }
  report('ranking tasks', `${tasks.length} over ${Object.keys(specs).length} APIs`);
  report('recall@1', `${((atOne / tasks.length) * 100).toFixed(1)}%`);
  report('recall@5', `${((atFive / tasks.length) * 100).toFixed(1)}%`);
  report('search time at GitHub size (median / p95)', `${median(searchMs).toFixed(2)} ms / ${percentile(searchMs, 95).toFixed(2)} ms`);

  const github = await generateProject({ spec: specs.github, mode: 'hybrid' });
  const core = ['issues_create', 'issues_get', 'issues_list_for_repo', 'pulls_create', 'pulls_get', 'pulls_list', 'repos_get', 'repos_get_content', 'search_code', 'search_issues_and_pull_requests'];
  const costs = measureModeCosts(github.catalog.tools, core);
  report(`GitHub tools/list tokens, default selection (${github.catalog.tools.length} tools)`, `tools ${costs.tools.toLocaleString('en-US')}; discovery ${costs.discovery.toLocaleString('en-US')}; hybrid (${core.length} core) ${costs.hybrid.toLocaleString('en-US')}`);
} else {
  report('ranking, search time and GitHub tokens', 'skipped: ../shared/corpus is not beside the project');
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'toolwright-discovery-'));
try {
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  const petstore = path.join(dir, 'petstore');
  cpSync(path.join(repoRoot, 'examples/petstore/server'), petstore, { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(petstore, 'node_modules'), 'dir');
  execFileSync(process.execPath, [tsc, '-p', petstore], { stdio: 'inherit' });

  const spec = path.join(dir, 'inventory.json');
  writeFileSync(spec, JSON.stringify(syntheticSpec(1000)));
  const { model } = await curateSpec({ spec });
  const generated = await generateProject({ spec, config: configIncluding(model.operations), mode: 'discovery' });
  const large = path.join(dir, 'inventory');
  await writeFiles({ plan: generated.plan, outDir: large });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(large, 'node_modules'), 'dir');
  execFileSync(process.execPath, [tsc, '-p', large], { stdio: 'inherit' });

  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const small = [];
  const big = [];
  for (let run = 0; run < runs; run++) {
    small.push(await startUp(path.join(petstore, 'build/index.js'), { PETSTORE_BASE_URL: 'http://127.0.0.1:9' }));
    big.push(await startUp(path.join(large, 'build/index.js'), { INVENTORY_BASE_URL: 'http://127.0.0.1:9' }));
  }
  report('start-up to first tools/list, petstore (5 tools, median)', `${median(small).toFixed(0)} ms`);
  report(`start-up to first tools/list, ${generated.catalog.tools.length}-tool discovery server (median)`, `${median(big).toFixed(0)} ms`);
  report('start-up ratio (target ≤ 1.5)', (median(big) / median(small)).toFixed(2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([label]) => label.length));
console.log('\nDiscovery mode');
for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);

/** Milliseconds from spawning the server to the answer of its first tools/list over stdio (after initialize). */
async function startUp(entry, env) {
  const started = performance.now();
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  let buffer = '';
  const answered = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not answer in 30 s`)), 30_000);
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (const line of buffer.split('\n')) {
        if (line.includes('"id":2')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      }
    });
  });
  const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } } });
  send({ method: 'notifications/initialized' });
  send({ id: 2, method: 'tools/list', params: {} });
  try {
    return await answered;
  } finally {
    child.kill();
  }
}
