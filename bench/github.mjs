// Generation cost on GitHub's REST API spec (1,223 operations, every GET included):
// wall time and peak memory of generation, tools, size of tools.json, and tsc time of the project.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchNpmSpecs, githubSpec, repoRoot } from './corpus.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const spec = fetchNpmSpecs([githubSpec])?.[0];
if (!spec) {
  console.error('The corpus (../shared/corpus) is not beside the project: nothing to measure.');
  process.exit(1);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const out = mkdtempSync(path.join(os.tmpdir(), 'toolwright-bench-'));
try {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const stdout = execFileSync(process.execPath, [path.join(repoRoot, 'bench/generate-once.mjs'), spec, out, 'gets'], { encoding: 'utf8' });
    samples.push(JSON.parse(stdout));
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  const tscStarted = performance.now();
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', out], { stdio: 'inherit' });
  const tscMs = performance.now() - tscStarted;
  const last = samples.at(-1);
  const rows = [
    ['spec', `@octokit/openapi api.github.com.json (${last.operations} operations)`],
    ['tools generated (every GET)', String(last.tools)],
    ['files written', String(last.files)],
    ['tools.json', `${(last.toolsJsonBytes / 1024 / 1024).toFixed(2)} MB`],
    ['spec warnings', String(last.warnings)],
    [`generation wall time (median of ${runs})`, `${(median(samples.map((s) => s.ms)) / 1000).toFixed(2)} s`],
    [`generation peak RSS (median of ${runs})`, `${median(samples.map((s) => s.peakRssMb)).toFixed(0)} MB`],
    ['tsc --noEmit of the generated project', `${(tscMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
