// Generation cost on GitHub's REST API spec (1,223 operations, every GET included):
// wall time and peak memory of generation, tools, size of tools.json, and tsc time of the project.
import { fetchNpmSpecs, githubSpec } from './corpus.mjs';
import { measureGeneration } from './measure-generation.mjs';

const spec = fetchNpmSpecs([githubSpec])?.[0];
if (!spec) {
  console.error('The corpus (../shared/corpus) is not beside the project: nothing to measure.');
  process.exit(1);
}
measureGeneration({
  file: spec,
  label: '@octokit/openapi api.github.com.json',
  selection: 'gets',
  selectionLabel: 'every GET',
  runs: Number(process.env.BENCH_RUNS ?? 3),
});
