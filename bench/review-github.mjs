// Review commands on GitHub's REST API spec: wall time of `inspect` and `lint` on the current
// @octokit/openapi release, and of `diff` between it and an older release a few versions back.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchNpmSpecs, githubSpec, repoRoot } from './corpus.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const oldVersion = process.env.BENCH_OLD_OCTOKIT ?? '21.0.0';
const cli = path.join(repoRoot, 'dist/src/cli/main.js');

const spec = fetchNpmSpecs([githubSpec])?.[0];
if (!spec) {
  console.error('The corpus (../shared/corpus) is not beside the project: nothing to measure.');
  process.exit(1);
}

/**
 * The api.github.com.json of an older @octokit/openapi release, fetched once with `npm pack` into
 * .cache/octokit-openapi/<version>.
 * @param {string} version
 */
function fetchOldSpec(version) {
  const dir = path.join(repoRoot, '.cache', 'octokit-openapi', version);
  const file = path.join(dir, 'package', 'generated', 'api.github.com.json');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', `@octokit/openapi@${version}`, '--pack-destination', dir, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack @octokit/openapi@${version} wrote no tarball`);
  execFileSync('tar', ['-xzf', tarball, 'package/generated/api.github.com.json'], { cwd: dir });
  rmSync(path.join(dir, tarball));
  return file;
}

const oldSpec = fetchOldSpec(oldVersion);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// An empty folder, so that no ./toolwright.yaml is picked up.
const cwd = mkdtempSync(path.join(os.tmpdir(), 'toolwright-review-bench-'));

/** Runs the CLI `runs` times; returns the median wall time, the last exit code and output. */
function measure(args) {
  const samples = [];
  let last;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    last = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    samples.push(performance.now() - started);
    if (last.error) throw last.error;
  }
  return { ms: median(samples), status: last.status, stdout: last.stdout };
}

try {
  const inspect = measure(['inspect', spec]);
  const lint = measure(['lint', spec]);
  const diff = measure(['diff', oldSpec, spec]);
  const diffJson = measure(['diff', oldSpec, spec, '--json']);
  const lintSummary = lint.stdout.split('\n').filter(Boolean).at(-1);
  const inspectSummary = inspect.stdout.split('\n').filter(Boolean).at(-1);
  const diffSummary = diff.stdout.split('\n')[3];
  const rows = [
    ['spec', `@octokit/openapi api.github.com.json ${path.basename(spec)}; older release ${oldVersion}`],
    [`inspect wall time (median of ${runs})`, `${(inspect.ms / 1000).toFixed(2)} s, exit ${inspect.status}: ${inspectSummary}`],
    [`lint wall time (median of ${runs})`, `${(lint.ms / 1000).toFixed(2)} s, exit ${lint.status}: ${lintSummary}`],
    [`diff wall time (median of ${runs})`, `${(diff.ms / 1000).toFixed(2)} s, exit ${diff.status}: ${diffSummary}`],
    ['diff Markdown size', `${(Buffer.byteLength(diff.stdout) / 1024).toFixed(1)} KB (a GitHub comment holds 64 KB)`],
    [`diff --json wall time (median of ${runs})`, `${(diffJson.ms / 1000).toFixed(2)} s, ${(Buffer.byteLength(diffJson.stdout) / 1024).toFixed(0)} KB, ${JSON.parse(diffJson.stdout).changes.length} changes`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
