// Measures what tools cost a model on the wire: each tools/list entry (name, title, description, input and
// output schema, annotations) in o200k tokens, counted as every command counts them, per output-schema policy; GitHub every GET, Stripe and
// Cloudflare default selection. usage: node bench/wire-tokens.mjs
import { countTokens } from 'gpt-tokenizer';
import path from 'node:path';
import { corpusDir, fetchNpmSpecs, githubSpec } from './corpus.mjs';
import { buildCatalog } from '../dist/src/catalog/build-catalog.js';
import { countToolTokens } from '../dist/src/catalog/tokens.js';
import { configIncluding } from '../dist/src/curate/config-file.js';
import { selectTools } from '../dist/src/curate/select.js';
import { loadSpec } from '../dist/src/load/load-spec.js';
import { buildModel } from '../dist/src/model/build-model.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
};

const specs = [
  { label: 'GitHub, every GET', file: fetchNpmSpecs([githubSpec])?.[0], selection: 'gets' },
  { label: 'Stripe, default', file: path.join(corpusDir, 'github/gh-stripe__spec3-2023-09.yaml'), selection: 'default' },
  { label: 'Cloudflare, default', file: path.join(corpusDir, 'github/gh-cloudflare__openapi-2024-08.json'), selection: 'default' },
];

const rows = [];
for (const { label, file, selection } of specs) {
  if (!file) continue;
  const { model } = buildModel(await loadSpec(file));
  const base = selection === 'gets' ? configIncluding(model.operations.filter((operation) => operation.method === 'GET')) : undefined;
  const measure = (outputSchema) => {
    const config = base ? { ...base, output: { outputSchema } } : undefined;
    const { decisions } = selectTools({ model, config });
    const catalog = buildCatalog({ model, decisions: config ? decisions : { ...decisions, output: { outputSchema } } }).catalog;
    const tokens = catalog.tools.map(countToolTokens);
    const output = catalog.tools.map((tool) => (tool.outputSchema ? countTokens(JSON.stringify(tool.outputSchema)) : 0));
    return { tools: tokens.length, median: median(tokens), total: tokens.reduce((a, b) => a + b, 0), output: output.reduce((a, b) => a + b, 0) };
  };
  const full = measure('full');
  const compact = measure('compact');
  const none = measure('none');
  rows.push({ label, full, compact, none });
}
console.log('| catalog | tools | full: median / total (outputSchema) | compact: median / total (outputSchema) | none: median / total | compact / full |');
console.log('|---|---|---|---|---|---|');
for (const { label, full, compact, none } of rows) {
  const show = (m) => `${m.median} / ${m.total.toLocaleString('en-US')}${m.output ? ` (${m.output.toLocaleString('en-US')})` : ''}`;
  console.log(`| ${label} | ${full.tools} | ${show(full)} | ${show(compact)} | ${show(none)} | ${((compact.total / full.total) * 100).toFixed(0)}% |`);
}
