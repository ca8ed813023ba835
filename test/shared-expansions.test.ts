// Translations of one document share the expansions of `$ref` targets that stand alone (see `sharedExpansions`
// in src/catalog/schema-translator.ts). Whatever was translated before, each tool must come out as it does alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { configIncluding } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import path from 'node:path';
import { fetchNpmSpecs, githubSpec } from '../bench/corpus.mjs';
import { corpusDir, hasCorpus, tempDir, writeSpec } from './helpers.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });

/** Shared types, recursive ones, fields with a pattern that warns, and readOnly and writeOnly fields. */
const spec = {
  openapi: '3.0.3',
  info: { title: 'Shared', version: '1' },
  paths: {
    '/trees/{id}': { get: { operationId: 'getTree', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok', ...json(ref('node')) } } } },
    '/repos': {
      get: { operationId: 'listRepos', responses: { 200: { description: 'ok', ...json({ type: 'array', items: ref('repo') }) } } },
      post: { operationId: 'createRepo', requestBody: { required: true, ...json(ref('repo')) }, responses: { 201: { description: 'ok', ...json(ref('repo')) } } },
    },
    '/teams': { get: { operationId: 'listTeams', responses: { 200: { description: 'ok', ...json({ type: 'array', items: ref('team') }) } } } },
    '/users': { post: { operationId: 'createUser', requestBody: { required: true, ...json(ref('user')) }, responses: { 201: { description: 'ok', ...json(ref('user')) } } } },
    '/checked': { get: { operationId: 'getChecked', responses: { 200: { description: 'ok', ...json(ref('checked')) } } } },
    '/licenses': {
      post: { operationId: 'createLicense', requestBody: { required: true, ...json({ type: 'object', properties: { license: ref('license') } }) }, responses: { 204: { description: 'ok' } } },
      put: { operationId: 'putLicense', requestBody: { required: true, ...json({ type: 'object', properties: { license: ref('license') } }) }, responses: { 204: { description: 'ok' } } },
    },
    '/forks': { get: { operationId: 'listForks', responses: { 200: { description: 'ok', ...json({ type: 'object', properties: { items: { type: 'array', items: ref('fork') } } }) } } } },
  },
  components: {
    schemas: {
      user: { type: 'object', properties: { id: { type: 'integer', readOnly: true }, login: { type: 'string' }, password: { type: 'string', writeOnly: true }, org: ref('org') } },
      org: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, owner: ref('user') } },
      repo: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, owner: ref('user'), team: ref('team'), parent: ref('repo'), license: ref('checked') } },
      team: { type: 'object', properties: { name: { type: 'string' }, members: { type: 'array', items: ref('user') }, parent: ref('team') } },
      node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: ref('node') }, owner: ref('user') } },
      checked: { type: 'object', properties: { key: { type: 'string', pattern: '(?<unclosed' }, owner: ref('user') } },
      license: { type: 'object', properties: { key: { type: 'string', pattern: '(?<unclosed' }, name: { type: 'string' } } },
      fork: { allOf: [ref('repo'), { type: 'object', properties: { forked_at: { type: 'string' } } }] },
    },
  },
};

/**
 * `t` and `u` refer to each other. The first operation meets `t` so deep that the way back from `u` is cut;
 * the second meets `t` at the same depth while expanding `u`, which must then refer back to `u`.
 */
const cutCycle = {
  openapi: '3.0.3',
  info: { title: 'Cut cycle', version: '1' },
  paths: {
    '/first': { get: { operationId: 'first', responses: { 200: { description: 'ok', ...json({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'object', properties: { t: ref('t') } } } } } }) } } } },
    '/second': { get: { operationId: 'second', responses: { 200: { description: 'ok', ...json({ type: 'object', properties: { a: { type: 'object', properties: { u: ref('u') } } } }) } } } },
  },
  components: {
    schemas: {
      t: { type: 'object', properties: { name: { type: 'string' }, u: ref('u') } },
      u: { type: 'object', properties: { id: { type: 'integer' }, t: ref('t') } },
    },
  },
};

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('toolwright-shared-')));
afterAll(() => cleanup());

/** Each tool and its schema warnings, from a catalog of the named operations (all when none), on a fresh load. */
async function toolsOf(file: string, outputSchema: 'compact' | 'full', only?: string): Promise<Map<string, string>> {
  const { model } = buildModel(await loadSpec(file));
  const operations = only ? model.operations.filter((operation) => operation.key === only) : model.operations;
  const { decisions } = selectTools({ model, config: { ...configIncluding(operations), output: { outputSchema } } });
  const { catalog, warnings } = buildCatalog({ model, decisions });
  const keyOf = new Map(decisions.operations.map((decision) => [decision.name, decision.operation.key]));
  return new Map(catalog.tools.map((tool) => [keyOf.get(tool.name)!, JSON.stringify({ tool, warnings: warnings.filter((warning) => warning.message.startsWith(`${tool.name}:`)) })]));
}

async function expectAsAlone(file: string, outputSchema: 'compact' | 'full', keys?: string[]): Promise<number> {
  const together = await toolsOf(file, outputSchema);
  let compared = 0;
  for (const key of keys ?? [...together.keys()]) {
    const alone = await toolsOf(file, outputSchema, key);
    expect(alone.get(key), key).toBe(together.get(key));
    compared++;
  }
  return compared;
}

describe('translations that share expansions', () => {
  it.each(['compact', 'full'] as const)('give each tool as it is alone, in a JSON spec (%s output schemas)', async (outputSchema) => {
    const file = await writeSpec(dir, `shared-${outputSchema}.json`, JSON.stringify(spec));
    const together = await toolsOf(file, outputSchema);
    expect([...together.values()].some((entry) => entry.includes('$defs'))).toBe(true);
    expect([...together.values()].some((entry) => entry.includes('is not a valid regular expression'))).toBe(true);
    expect(await expectAsAlone(file, outputSchema)).toBe(9);
  });

  it('give each tool as it is alone when a cycle is cut at the depth limit in one and not in the other', async () => {
    const file = await writeSpec(dir, 'cut-cycle.json', JSON.stringify(cutCycle));
    const together = await toolsOf(file, 'full');
    expect(together.get('GET /second')).toContain('$defs');
    expect(await expectAsAlone(file, 'full')).toBe(2);
  });

  it.skipIf(!hasCorpus)('give each tool as it is alone, in real specs', async () => {
    const files = [path.join(corpusDir, 'github', 'gh-kubernetes__swagger.json'), ...(fetchNpmSpecs([githubSpec]) ?? [])];
    for (const file of files) {
      const { model } = buildModel(await loadSpec(file));
      const sample = model.operations.filter((_, index) => index % 151 === 0).map((operation) => operation.key);
      expect(await expectAsAlone(file, 'compact', sample)).toBeGreaterThan(5);
    }
  }, 300_000);
});
