// Generates one spec into a folder and prints what it cost, as JSON on stdout.
import { generateProject } from '../dist/src/pipeline.js';
import { writeFiles } from '../dist/src/write/write-files.js';

const [spec, out] = process.argv.slice(2);
const started = performance.now();
const generated = await generateProject({ spec });
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
