import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchNpmSpecs, githubSpec } from '../../bench/corpus.mjs';
import { configIncluding } from '../../src/curate/config-file.js';
import { buildSearchDocuments } from '../../src/discovery/search-documents.js';
import { curateSpec } from '../../src/pipeline.js';
import { buildSearchIndex, searchTools } from '../../templates/runtime/tool-search.js';
import { corpusDir, hasCorpus } from '../helpers.js';

/** Natural-language requests, each with the operation(s) that do it, over four real APIs. */
type RankingTask = { api: string; task: string; operations: string[] };
const tasks = JSON.parse(readFileSync(path.join(import.meta.dirname, 'ranking-tasks.json'), 'utf8')) as RankingTask[];

const specs: { [api: string]: () => string | undefined } = {
  github: () => fetchNpmSpecs([githubSpec])?.[0],
  stripe: () => path.join(corpusDir, 'github', 'gh-stripe__spec3-2023-09.yaml'),
  cloudflare: () => path.join(corpusDir, 'github', 'gh-cloudflare__openapi-2024-08.json'),
  kubernetes: () => path.join(corpusDir, 'github', 'gh-kubernetes__swagger.json'),
};

if (!hasCorpus) console.warn('skipping the search ranking test: ../shared/corpus is not beside the project');

describe.skipIf(!hasCorpus)('search ranking over every operation of GitHub, Stripe, Cloudflare and Kubernetes', () => {
  it('has at least 100 tasks over the four APIs', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(100);
    expect(new Set(tasks.map((task) => task.api))).toEqual(new Set(Object.keys(specs)));
  });

  it('finds the operation for at least 90% of the tasks in its first five results', async () => {
    let atOne = 0;
    let atFive = 0;
    const misses: string[] = [];
    for (const api of Object.keys(specs)) {
      const spec = specs[api]!()!;
      const { model } = await curateSpec({ spec });
      const { decisions } = await curateSpec({ spec, config: configIncluding(model.operations) });
      const index = buildSearchIndex(buildSearchDocuments(model, decisions.operations));
      const nameOf = new Map(decisions.operations.map((decision) => [decision.operation.key, decision.name]));
      for (const task of tasks.filter((one) => one.api === api)) {
        const wanted = task.operations.map((key) => {
          const name = nameOf.get(key);
          if (!name) throw new Error(`${api}: no operation ${key} for "${task.task}"`);
          return name;
        });
        const hits = searchTools(index, task.task, 5).map((hit) => hit.name);
        if (wanted.includes(hits[0]!)) atOne++;
        if (hits.some((hit) => wanted.includes(hit))) atFive++;
        else misses.push(`${api}: "${task.task}" wants ${wanted.join(' or ')}, got ${hits.join(', ')}`);
      }
    }
    const percent = (count: number) => `${((count / tasks.length) * 100).toFixed(1)}%`;
    console.log(`search ranking over ${tasks.length} tasks: recall@1 ${percent(atOne)}, recall@5 ${percent(atFive)}\n  misses:\n  ${misses.join('\n  ')}`);
    expect(atFive / tasks.length).toBeGreaterThanOrEqual(0.9);
  }, 600_000);
});
