// The real-world corpus as a test suite: every document of ../shared/corpus (GitHub part and npm part),
// generated with every operation but DELETE included; every tool schema checked against the JSON Schema
// 2020-12 meta-schema and compiled by the server's validator; tool names checked; the project written and
// type-checked with tsc. Prints a table and exits 1 if any document fails.
//
// usage: node bench/corpus-run.mjs [--filter REGEX] [--jobs N] [--no-tsc] [--write-doc]
//   --write-doc  also writes the table into docs/corpus.md (only for a run over the whole corpus)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { buildCatalog } from '../dist/src/catalog/build-catalog.js';
import { selectTools } from '../dist/src/curate/select.js';
import { planFiles } from '../dist/src/emit/plan-files.js';
import { formatDiagnostic } from '../dist/src/errors.js';
import { loadSpec } from '../dist/src/load/load-spec.js';
import { buildModel } from '../dist/src/model/build-model.js';
import { writeFiles } from '../dist/src/write/write-files.js';
import { generateCorpusSpec, listCorpusSpecs, repoRoot } from './corpus.mjs';

const { values: options } = parseArgs({
  options: {
    filter: { type: 'string' },
    jobs: { type: 'string', default: String(Math.max(1, Math.min(2, os.availableParallelism()))) },
    'no-tsc': { type: 'boolean', default: false },
    'write-doc': { type: 'boolean', default: false },
  },
});

/**
 * Documents that cannot be used, with the reason: the run expects them to be refused with a message
 * that contains `expect`. Empty: every document of the corpus is usable.
 * @type {Record<string, { expect: string; why: string }>}
 */
const unusable = {};

const stages = { loadSpec, buildModel, selectTools, buildCatalog, planFiles, writeFiles, formatDiagnostic };
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const specs = listCorpusSpecs();
if (!specs) {
  console.error('The corpus (../shared/corpus) is not beside the project: nothing to run.');
  process.exit(1);
}
const filter = options.filter ? new RegExp(options.filter) : undefined;
const selected = specs.filter((spec) => !filter || filter.test(spec.name));
const root = mkdtempSync(path.join(os.tmpdir(), 'toolwright-corpus-'));
const jobs = Math.max(1, Number(options.jobs));

/** Runs tsc --noEmit on a project; resolves to undefined or the first lines of its complaint. */
function typeCheck(dir) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve(code === 0 ? undefined : output.trim().split('\n').slice(0, 3).join(' | ') || `tsc exited with ${code}`));
  });
}

const rows = [];
const running = new Set();
let index = 0;
try {
  for (const spec of selected) {
    const out = path.join(root, `${String(index++).padStart(3, '0')}`);
    const generated = await generateCorpusSpec({ file: spec.file, out, ajv: new AjvJsonSchemaValidator().ajv, stages });
    const row = { spec, ...generated, catalog: undefined, tscMs: 0 };
    rows.push(row);
    const expected = unusable[spec.name];
    if (expected) {
      row.expected = true;
      if (generated.result === 'refused' && generated.message?.includes(expected.expect)) row.result = 'refused (expected)';
      else row.problems = [...row.problems, `expected a refusal containing "${expected.expect}" (${expected.why})`];
      if (row.problems.length > 0) row.result = 'failed';
    }
    report(row);
    if (generated.result !== 'ok' || options['no-tsc']) continue;
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    while (running.size >= jobs) await Promise.race(running);
    const started = performance.now();
    const task = typeCheck(out).then((complaint) => {
      row.tscMs = performance.now() - started;
      if (complaint) {
        row.result = 'failed';
        row.problems = [...row.problems, `tsc: ${complaint}`];
        report(row, 'tsc');
      }
      rmSync(out, { recursive: true, force: true });
      running.delete(task);
    });
    running.add(task);
  }
  await Promise.all(running);
} finally {
  rmSync(root, { recursive: true, force: true });
}

function report(row, stage = 'generate') {
  const status = row.result === 'ok' ? 'ok' : row.result;
  const detail = row.message ?? row.problems.slice(0, 3).join(' | ');
  process.stderr.write(`${stage === 'tsc' ? '  tsc ' : ''}${status.padEnd(8)} ${row.spec.name} (${row.operations} operations, ${(row.ms / 1000).toFixed(1)} s)${detail ? `: ${detail.slice(0, 500)}` : ''}\n`);
}

const header = ['spec', 'part', 'version', 'operations', 'tools', 'warnings', 'result', 'time'];
const table = rows.map((row) => [
  row.spec.name,
  row.spec.part,
  row.spec.version,
  String(row.operations),
  String(row.tools),
  String(row.warnings),
  row.result === 'ok' ? (options['no-tsc'] ? 'ok (no tsc)' : 'ok') : `${row.result}: ${(row.message ?? row.problems[0] ?? '').slice(0, 160)}`,
  `${(row.ms / 1000).toFixed(1)} s${row.tscMs ? ` + tsc ${(row.tscMs / 1000).toFixed(1)} s` : ''}`,
]);
const markdown = [header, header.map(() => '---'), ...table].map((cells) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
const failed = rows.filter((row) => row.result !== 'ok' && row.result !== 'refused (expected)');
const totals = {
  documents: rows.length,
  operations: rows.reduce((sum, row) => sum + row.operations, 0),
  tools: rows.reduce((sum, row) => sum + row.tools, 0),
};
const summary = `${totals.documents} documents, ${totals.operations} operations, ${totals.tools} tools: ${rows.length - failed.length} passed, ${failed.length} failed.`;
console.log(`${markdown}\n\n${summary}`);

if (options['write-doc']) {
  if (filter || options['no-tsc']) {
    console.error('--write-doc needs a run over the whole corpus with tsc; docs/corpus.md left as it is.');
  } else {
    const doc = path.join(repoRoot, 'docs/corpus.md');
    const text = readFileSync(doc, 'utf8');
    const start = text.indexOf('<!-- corpus-table:start -->');
    const end = text.indexOf('<!-- corpus-table:end -->');
    if (start === -1 || end === -1) throw new Error('docs/corpus.md has no corpus-table markers');
    const generatedAt = `Node ${process.version}, ${os.cpus().length} CPUs; ${summary}`;
    writeFileSync(doc, `${text.slice(0, start)}<!-- corpus-table:start -->\n${generatedAt}\n\n${markdown}\n${text.slice(end)}`);
    console.error(`wrote the table into ${path.relative(process.cwd(), doc)}`);
  }
}
process.exit(failed.length > 0 ? 1 : 0);
