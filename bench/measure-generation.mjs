// Measures generating one spec: each run in a fresh process (bench/generate-once.mjs), then tsc on the
// generated project; prints a table of the figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './corpus.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * @param {{ file: string; label: string; selection: 'default' | 'gets'; selectionLabel: string; runs: number }} options
 */
export function measureGeneration({ file, label, selection, selectionLabel, runs }) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'toolwright-bench-'));
  try {
    const samples = [];
    for (let run = 0; run < runs; run++) {
      const stdout = execFileSync(process.execPath, [path.join(repoRoot, 'bench/generate-once.mjs'), file, out, selection], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      samples.push(JSON.parse(stdout));
    }
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    const tscStarted = performance.now();
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', out], { stdio: 'inherit' });
    const tscMs = performance.now() - tscStarted;
    const last = samples.at(-1);
    const rows = [
      ['spec', `${label} (${last.operations} operations)`],
      [`tools generated (${selectionLabel})`, String(last.tools)],
      ['files written', String(last.files)],
      ['tools.json', `${(last.toolsJsonBytes / 1024 / 1024).toFixed(2)} MB`],
      ['spec warnings', String(last.warnings)],
      [`generation wall time (median of ${runs})`, `${(median(samples.map((s) => s.ms)) / 1000).toFixed(2)} s`],
      [`generation peak RSS (median of ${runs})`, `${median(samples.map((s) => s.peakRssMb)).toFixed(0)} MB`],
      ['tsc --noEmit of the generated project', `${(tscMs / 1000).toFixed(1)} s`],
    ];
    const width = Math.max(...rows.map(([text]) => text.length));
    console.log('');
    for (const [text, value] of rows) console.log(`${text.padEnd(width)}  ${value}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
