// Generation cost on the largest corpus specs besides GitHub's: Kubernetes (Swagger 2.0, 1,123 operations)
// and Stripe (OpenAPI 3.0, 468 operations, cyclic schemas). For each: wall time and peak memory of
// generation (median of BENCH_RUNS, default 3, each in a fresh process via bench/generate-once.mjs with the
// default selection), tools, size of tools.json, warnings, and tsc time of the generated project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusDir, repoRoot } from './corpus.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const specs = [
  { label: 'Kubernetes (Swagger 2.0)', file: path.join(corpusDir, 'github', 'gh-kubernetes__swagger.json') },
  { label: 'Stripe (OpenAPI 3.0)', file: path.join(corpusDir, 'github', 'gh-stripe__spec3-2023-09.yaml') },
];
if (!specs.every((spec) => existsSync(spec.file))) {
  console.error('The corpus (../shared/corpus) is not beside the project: nothing to measure.');
  process.exit(1);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const spec of specs) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'toolwright-bench-'));
  try {
    const samples = [];
    for (let run = 0; run < runs; run++) {
      const stdout = execFileSync(process.execPath, [path.join(repoRoot, 'bench/generate-once.mjs'), spec.file, out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      samples.push(JSON.parse(stdout));
    }
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    const tscStarted = performance.now();
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', out], { stdio: 'inherit' });
    const tscMs = performance.now() - tscStarted;
    const last = samples.at(-1);
    const rows = [
      ['spec', `${spec.label}, ${path.basename(spec.file)} (${last.operations} operations)`],
      ['tools generated (default selection)', String(last.tools)],
      ['files written', String(last.files)],
      ['tools.json', `${(last.toolsJsonBytes / 1024 / 1024).toFixed(2)} MB`],
      ['warnings', String(last.warnings)],
      [`generation wall time (median of ${runs})`, `${(median(samples.map((s) => s.ms)) / 1000).toFixed(2)} s`],
      [`generation peak RSS (median of ${runs})`, `${median(samples.map((s) => s.peakRssMb)).toFixed(0)} MB`],
      ['tsc --noEmit of the generated project', `${(tscMs / 1000).toFixed(1)} s`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log('');
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
