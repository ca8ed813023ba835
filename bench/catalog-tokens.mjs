// Tokens on the wire for GitHub (every GET) and Stripe (the default selection): per tool (median) and in
// total, counted with the one function every command uses. usage: node bench/catalog-tokens.mjs
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { generateProject } from '../dist/src/pipeline.js';
import { loadSpec } from '../dist/src/load/load-spec.js';
import { buildModel } from '../dist/src/model/build-model.js';
import { configIncluding } from '../dist/src/curate/config-file.js';
import { corpusDir, fetchNpmSpecs, githubSpec } from './corpus.mjs';

const tokens = await import('../dist/src/catalog/tokens.js');
/** The counting function of this version; a fallback that serialises the listed fields for older builds. */
const count =
  tokens.countListedTokens ??
  ((tool) => {
    const { name, title, description, inputSchema, outputSchema, annotations } = tool;
    return countTokens(JSON.stringify({ name, title, description, inputSchema, ...(outputSchema ? { outputSchema } : {}), annotations }));
  });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function measure(label, spec, selection) {
  let config;
  if (selection === 'gets') {
    const { model } = buildModel(await loadSpec(spec));
    config = configIncluding(model.operations.filter((op) => op.method === 'GET'));
  }
  const { catalog, decisions } = await generateProject({ spec, config });
  const costs = catalog.tools.map(count);
  const total = costs.reduce((sum, value) => sum + value, 0);
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  const output = sum(catalog.tools.map((tool) => (tool.outputSchema ? countTokens(JSON.stringify(tool.outputSchema)) : 0)));
  const descriptions = sum(catalog.tools.map((tool) => countTokens(JSON.stringify(tool.description))));
  const specText = (tool) => [tool.source.summary, tool.source.description].filter(Boolean).join('\n\n');
  const specDescriptions = sum(catalog.tools.map((tool) => countTokens(JSON.stringify(specText(tool)))));
  return { label, server: decisions.server.name, tools: costs.length, median: median(costs), total, output, descriptions, specDescriptions };
}

const github = fetchNpmSpecs([githubSpec])?.[0];
const rows = [];
if (github) rows.push(await measure('GitHub, every GET', github, 'gets'));
rows.push(await measure('Stripe, default', path.join(corpusDir, 'github', 'gh-stripe__spec3-2023-09.yaml'), 'default'));
const f = (value) => (value === undefined || Number.isNaN(value) ? '-' : value.toLocaleString('en-US'));
console.log('| catalog | server | tools | median tokens/tool | total tokens | of which outputSchema | descriptions | spec text of the same operations |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(`| ${row.label} | ${row.server} | ${row.tools} | ${f(row.median)} | ${f(row.total)} | ${f(row.output)} | ${f(row.descriptions)} | ${f(row.specDescriptions)} |`);
}
