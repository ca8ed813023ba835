// Generates one spec into a folder and prints what it cost, as JSON on stdout.
// usage: node bench/generate-once.mjs SPEC OUT [default|gets]
//   default: the classifier's selection (read and write operations); gets: every GET operation.
import { generateProject } from '../dist/src/pipeline.js';
import { writeFiles } from '../dist/src/write/write-files.js';
import { loadSpec } from '../dist/src/load/load-spec.js';
import { buildModel } from '../dist/src/model/build-model.js';
import { configIncluding } from '../dist/src/curate/config-file.js';

const [spec, out, selection = 'default'] = process.argv.slice(2);
let config;
if (selection === 'gets') {
  const { model } = buildModel(await loadSpec(spec));
  config = configIncluding(model.operations.filter((op) => op.method === 'GET'));
}
const started = performance.now();
const generated = await generateProject({ spec, config });
await writeFiles({ plan: generated.plan, outDir: out, force: true });
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    operations: generated.model.operations.length,
    tools: generated.catalog.tools.length,
    files: generated.plan.size,
    toolsJsonBytes: Buffer.byteLength(generated.plan.get('tools.json') ?? ''),
    warnings: generated.warnings.length,
  }),
);
