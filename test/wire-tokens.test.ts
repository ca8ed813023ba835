// Issue 11: what tools cost a model on the wire, on real catalogs (counted as every command counts them):
// GitHub with every GET and Stripe's default selection stay within a median of 350 tokens per tool and 40% of
// what they cost before model-ready catalogs (733k and 925k tokens), every compact output schema within
// its token budget, and the tokenizer-free bound of schemas and descriptions never below their count.
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { defaultOutputSchemaTokens } from '../src/catalog/output-policy.js';
import { tokenUpperBound } from '../src/catalog/token-bound.js';
import { countToolTokens } from '../src/catalog/tokens.js';
import { configIncluding } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { paginationProperty } from '../templates/runtime/pagination.js';
import { fetchNpmSpecs, githubSpec } from '../bench/corpus.mjs';
import { corpusDir, hasCorpus } from './helpers.js';

const catalogs = [
  { label: 'GitHub, every GET', file: () => fetchNpmSpecs([githubSpec])?.[0], selection: 'gets', before: 733_000, tools: 639 },
  { label: 'Stripe, default', file: () => path.join(corpusDir, 'github/gh-stripe__spec3-2023-09.yaml'), selection: 'default', before: 925_000, tools: 196 },
] as const;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe.skipIf(!hasCorpus)('tokens on the wire', () => {
  it.each(catalogs)('$label: median per tool within 350, total within 40% of before, compact output schemas within budget', async ({ file, selection, before, tools: count }) => {
    const { model } = buildModel(await loadSpec(file()!));
    const config = selection === 'gets' ? configIncluding(model.operations.filter((operation) => operation.method === 'GET')) : undefined;
    const { decisions } = selectTools({ model, config });
    const { tools } = buildCatalog({ model, decisions }).catalog;
    expect(tools).toHaveLength(count);
    const tokens = tools.map(countToolTokens);
    const total = tokens.reduce((sum, value) => sum + value, 0);
    console.log(`median ${median(tokens)}, total ${total}`);
    expect(median(tokens)).toBeLessThanOrEqual(350);
    expect(total).toBeLessThanOrEqual(before * 0.4);
    for (const tool of tools.filter((candidate) => candidate.outputSchema)) {
      const { [paginationProperty]: _paging, ...properties } = (tool.outputSchema!.properties ?? {}) as { [name: string]: unknown };
      const schema = tool.outputSchema!.properties ? { ...tool.outputSchema, properties } : tool.outputSchema;
      expect(countTokens(JSON.stringify(schema)), tool.name).toBeLessThanOrEqual(defaultOutputSchemaTokens);
    }
    for (const tool of tools) {
      for (const text of [JSON.stringify(tool.inputSchema), JSON.stringify(tool.outputSchema ?? {}), tool.description]) {
        expect(tokenUpperBound(text), tool.name).toBeGreaterThanOrEqual(countTokens(text));
      }
    }
  }, 120_000);
});
