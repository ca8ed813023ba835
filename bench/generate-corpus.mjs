// Generation cost on the largest corpus specs besides GitHub's: Kubernetes (Swagger 2.0, 1,123 operations)
// and Stripe (OpenAPI 3.0, 468 operations, cyclic schemas). For each: wall time and peak memory of
// generation (median of BENCH_RUNS, default 3, each in a fresh process via bench/generate-once.mjs with the
// default selection), tools, size of tools.json, warnings, and tsc time of the generated project.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from './corpus.mjs';
import { measureGeneration } from './measure-generation.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const specs = [
  { label: 'Kubernetes (Swagger 2.0)', file: path.join(corpusDir, 'github', 'gh-kubernetes__swagger.json') },
  { label: 'Stripe (OpenAPI 3.0)', file: path.join(corpusDir, 'github', 'gh-stripe__spec3-2023-09.yaml') },
];
if (!specs.every((spec) => existsSync(spec.file))) {
  console.error('The corpus (../shared/corpus) is not beside the project: nothing to measure.');
  process.exit(1);
}

for (const spec of specs) {
  measureGeneration({ file: spec.file, label: spec.label, selection: 'default', selectionLabel: 'default selection', runs });
}
