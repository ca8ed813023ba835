import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { readCurationConfig } from '../src/curate/config-file.js';
import { diffCatalogs, type CatalogChange } from '../src/review/diff.js';
import { loadCatalog } from '../src/review/load-catalog.js';
import { describeChange, renderDiffMarkdown, renderJson } from '../src/review/render.js';
import { buildDiffReport } from '../src/review/report.js';
import { compareSchemas } from '../src/review/schema-diff.js';
import type { JsonSchema, ReviewCatalog, ReviewTool } from '../src/review/types.js';
import { repoRoot } from './helpers.js';
import { reviewCatalog as catalog, reviewTool as tool } from './review-fixtures.js';

const v2Dir = path.join(repoRoot, 'examples/petstore-v2');

/** An input schema with the given properties (all optional unless listed in `required`). */
function input(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The changes between two input schemas of one tool. */
function inputChanges(before: JsonSchema, after: JsonSchema): CatalogChange[] {
  return diffCatalogs({ before: catalog([tool({ inputSchema: before })]), after: catalog([tool({ inputSchema: after })]) }).changes;
}

const change = (severity: CatalogChange['severity'], kind: CatalogChange['kind'], path: string, rest: Partial<CatalogChange> = {}): CatalogChange => ({
  severity,
  tool: 'get_pet',
  area: 'input',
  kind,
  path,
  ...rest,
});

describe('diffCatalogs: input-schema changes that break callers', () => {
  const cases: { name: string; before: JsonSchema; after: JsonSchema; want: CatalogChange[] }[] = [
    {
      name: 'a new required argument',
      before: input({ a: { type: 'string' } }),
      after: input({ a: { type: 'string' }, b: { type: 'string' } }, ['b']),
      want: [change('breaking', 'required-property-added', 'b')],
    },
    {
      name: 'a removed argument',
      before: input({ a: { type: 'string' }, b: { type: 'string' } }),
      after: input({ a: { type: 'string' } }),
      want: [change('breaking', 'property-removed', 'b')],
    },
    {
      name: 'an optional argument that became required',
      before: input({ a: { type: 'string' } }),
      after: input({ a: { type: 'string' } }, ['a']),
      want: [change('breaking', 'property-became-required', 'a')],
    },
    {
      name: 'a narrowed type (null no longer allowed)',
      before: input({ a: { type: ['string', 'null'] } }),
      after: input({ a: { type: 'string' } }),
      want: [change('breaking', 'type-narrowed', 'a', { before: ['string', 'null'], after: 'string' })],
    },
    {
      name: 'a narrowed type (number to integer)',
      before: input({ a: { type: 'number' } }),
      after: input({ a: { type: 'integer' } }),
      want: [change('breaking', 'type-narrowed', 'a', { before: 'number', after: 'integer' })],
    },
    {
      name: 'a type that became another (nothing else compared)',
      before: input({ a: { type: 'string', maxLength: 3 } }),
      after: input({ a: { type: 'integer', maximum: 3 } }),
      want: [change('breaking', 'type-changed', 'a', { before: 'string', after: 'integer' })],
    },
    {
      name: 'a removed enum value',
      before: input({ a: { type: 'string', enum: ['x', 'y', 'z'] } }),
      after: input({ a: { type: 'string', enum: ['x', 'z'] } }),
      want: [change('breaking', 'enum-values-removed', 'a', { keyword: 'enum', values: ['y'] })],
    },
    {
      name: 'a new enum on a free value',
      before: input({ a: { type: 'string' } }),
      after: input({ a: { type: 'string', enum: ['x'] } }),
      want: [change('breaking', 'enum-added', 'a', { keyword: 'enum', values: ['x'] })],
    },
    {
      name: 'a changed const',
      before: input({ a: { const: 'x' } }),
      after: input({ a: { const: 'y' } }),
      want: [
        change('breaking', 'enum-values-removed', 'a', { keyword: 'const', values: ['x'] }),
        change('compatible', 'enum-values-added', 'a', { keyword: 'const', values: ['y'] }),
      ],
    },
    {
      name: 'tightened bounds: lower bounds up, upper bounds down',
      before: input({
        n: { type: 'number', minimum: 1, exclusiveMinimum: 0, maximum: 100, exclusiveMaximum: 101 },
        s: { type: 'string', minLength: 1, maxLength: 60 },
        l: { type: 'array', minItems: 1, maxItems: 10 },
      }),
      after: input({
        n: { type: 'number', minimum: 2, exclusiveMinimum: 1, maximum: 50, exclusiveMaximum: 51 },
        s: { type: 'string', minLength: 2, maxLength: 40 },
        l: { type: 'array', minItems: 2, maxItems: 5 },
      }),
      want: [
        change('breaking', 'bound-tightened', 'l', { keyword: 'minItems', before: 1, after: 2 }),
        change('breaking', 'bound-tightened', 'l', { keyword: 'maxItems', before: 10, after: 5 }),
        change('breaking', 'bound-tightened', 'n', { keyword: 'minimum', before: 1, after: 2 }),
        change('breaking', 'bound-tightened', 'n', { keyword: 'exclusiveMinimum', before: 0, after: 1 }),
        change('breaking', 'bound-tightened', 'n', { keyword: 'maximum', before: 100, after: 50 }),
        change('breaking', 'bound-tightened', 'n', { keyword: 'exclusiveMaximum', before: 101, after: 51 }),
        change('breaking', 'bound-tightened', 's', { keyword: 'minLength', before: 1, after: 2 }),
        change('breaking', 'bound-tightened', 's', { keyword: 'maxLength', before: 60, after: 40 }),
      ],
    },
    {
      name: 'a new bound, multipleOf and uniqueItems',
      before: input({ a: { type: 'integer' }, l: { type: 'array' } }),
      after: input({ a: { type: 'integer', maximum: 10, multipleOf: 5 }, l: { type: 'array', uniqueItems: true } }),
      want: [
        change('breaking', 'bound-tightened', 'a', { keyword: 'maximum', after: 10 }),
        change('breaking', 'bound-tightened', 'a', { keyword: 'multipleOf', after: 5 }),
        change('breaking', 'bound-tightened', 'l', { keyword: 'uniqueItems', after: true }),
      ],
    },
    {
      name: 'a new or changed pattern, a new format',
      before: input({ a: { type: 'string' }, b: { type: 'string', pattern: '^[a-z]+$' }, c: { type: 'string' } }),
      after: input({ a: { type: 'string', pattern: '^x' }, b: { type: 'string', pattern: '^[a-z]{2,}$' }, c: { type: 'string', format: 'uuid' } }),
      want: [
        change('breaking', 'pattern-added', 'a', { after: '^x' }),
        change('breaking', 'pattern-changed', 'b', { before: '^[a-z]+$', after: '^[a-z]{2,}$' }),
        change('breaking', 'format-added', 'c', { after: 'uuid' }),
      ],
    },
    {
      name: 'additional properties closed on a nested object',
      before: input({ meta: { type: 'object', properties: { a: { type: 'string' } } } }),
      after: input({ meta: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } }),
      want: [change('breaking', 'additional-properties-closed', 'meta')],
    },
    {
      name: 'changes deep in array items, with a readable path',
      before: input({
        body: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } } },
      }),
      after: input({
        body: {
          type: 'object',
          properties: { items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string', maxLength: 10 }, sku: { type: 'string' } }, required: ['sku'] } } },
        },
      }),
      want: [
        change('breaking', 'bound-tightened', 'body.items[].name', { keyword: 'maxLength', after: 10 }),
        change('breaking', 'required-property-added', 'body.items[].sku'),
      ],
    },
    {
      name: 'a removed anyOf branch',
      before: input({ a: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }),
      after: input({ a: { anyOf: [{ type: 'string' }] } }),
      want: [change('breaking', 'branch-removed', 'a', { keyword: 'anyOf', before: 1 })],
    },
    {
      name: 'a validation keyword it does not reason about',
      before: input({ a: { type: 'string' } }),
      after: input({ a: { type: 'string', not: { const: '' } } }),
      want: [change('breaking', 'keyword-added', 'a', { keyword: 'not', after: { const: '' } })],
    },
  ];
  it.each(cases)('$name', ({ before, after, want }) => {
    expect(inputChanges(before, after)).toStrictEqual(want);
  });
});

describe('diffCatalogs: input-schema changes that keep calls valid', () => {
  const cases: { name: string; before: JsonSchema; after: JsonSchema; want: CatalogChange[] }[] = [
    {
      name: 'a new optional argument',
      before: input({ a: { type: 'string' } }),
      after: input({ a: { type: 'string' }, b: { type: 'string' } }),
      want: [change('compatible', 'optional-property-added', 'b')],
    },
    {
      name: 'a required argument that became optional',
      before: input({ a: { type: 'string' } }, ['a']),
      after: input({ a: { type: 'string' } }),
      want: [change('compatible', 'property-became-optional', 'a')],
    },
    {
      name: 'a widened type',
      before: input({ a: { type: 'integer' }, b: { type: 'string' } }),
      after: input({ a: { type: 'number' }, b: { type: ['string', 'null'] } }),
      want: [
        change('compatible', 'type-widened', 'a', { before: 'integer', after: 'number' }),
        change('compatible', 'type-widened', 'b', { before: 'string', after: ['string', 'null'] }),
      ],
    },
    {
      name: 'an added enum value, and an enum lifted',
      before: input({ a: { type: 'string', enum: ['x'] }, b: { type: 'string', enum: ['x'] } }),
      after: input({ a: { type: 'string', enum: ['x', 'y'] }, b: { type: 'string' } }),
      want: [
        change('compatible', 'enum-values-added', 'a', { keyword: 'enum', values: ['y'] }),
        change('compatible', 'enum-removed', 'b', { keyword: 'enum', values: ['x'] }),
      ],
    },
    {
      name: 'loosened bounds: lower bounds down, upper bounds up, bounds removed',
      before: input({ n: { type: 'integer', minimum: 5, maximum: 10 }, s: { type: 'string', minLength: 3, maxLength: 5 }, l: { type: 'array', maxItems: 3, uniqueItems: true } }),
      after: input({ n: { type: 'integer', minimum: 1, maximum: 20 }, s: { type: 'string', maxLength: 9 }, l: { type: 'array' } }),
      want: [
        change('compatible', 'bound-loosened', 'l', { keyword: 'maxItems', before: 3 }),
        change('compatible', 'bound-loosened', 'l', { keyword: 'uniqueItems', before: true }),
        change('compatible', 'bound-loosened', 'n', { keyword: 'minimum', before: 5, after: 1 }),
        change('compatible', 'bound-loosened', 'n', { keyword: 'maximum', before: 10, after: 20 }),
        change('compatible', 'bound-loosened', 's', { keyword: 'minLength', before: 3 }),
        change('compatible', 'bound-loosened', 's', { keyword: 'maxLength', before: 5, after: 9 }),
      ],
    },
    {
      name: 'a removed pattern and format',
      before: input({ a: { type: 'string', pattern: '^x', format: 'email' } }),
      after: input({ a: { type: 'string' } }),
      want: [change('compatible', 'pattern-removed', 'a', { before: '^x' }), change('compatible', 'format-removed', 'a', { before: 'email' })],
    },
    {
      name: 'additional properties opened at the root',
      before: input({ a: { type: 'string' } }),
      after: { type: 'object', properties: { a: { type: 'string' } }, required: [] },
      want: [change('compatible', 'additional-properties-opened', '')],
    },
    {
      name: 'a value that became a union with its old self as a branch',
      before: input({ assignees: { type: 'array', items: { type: 'string' } } }),
      after: input({ assignees: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { login: { type: 'string' } } }] } } }),
      want: [change('compatible', 'branch-added', 'assignees[]', { keyword: 'oneOf', after: 1 })],
    },
    {
      name: 'a nullable value that became a union covering both types',
      before: input({ type: { type: ['string', 'null'] } }),
      after: input({ type: { oneOf: [{ type: 'string' }, { type: 'object' }, { type: 'null' }] } }),
      want: [change('compatible', 'branch-added', 'type', { keyword: 'oneOf', after: 1 })],
    },
  ];
  it.each(cases)('$name', ({ before, after, want }) => {
    expect(inputChanges(before, after)).toStrictEqual(want);
  });

  it('matches union branches by title and compares them', () => {
    const rule = (type: string, parameters: JsonSchema) => ({ type: 'object', title: type, properties: { type: { type: 'string', enum: [type] }, parameters } });
    const before = input({ rules: { type: 'array', items: { type: 'object', oneOf: [rule('a', { type: 'object' }), rule('b', { type: 'string' })] } } });
    const after = input({ rules: { type: 'array', items: { type: 'object', oneOf: [rule('a', { type: 'object' }), rule('b', { type: 'integer' }), rule('c', {})] } } });
    expect(inputChanges(before, after)).toStrictEqual([
      change('breaking', 'type-changed', 'rules[].parameters', { before: 'string', after: 'integer' }),
      change('compatible', 'branch-added', 'rules[]', { keyword: 'oneOf', after: 2 }),
    ]);
  });
});

describe('diffCatalogs: other changes', () => {
  it('reports argument descriptions and defaults as info', () => {
    expect(inputChanges(input({ a: { type: 'integer', description: 'old', default: 1 } }), input({ a: { type: 'integer', description: 'new', default: 2 } }))).toStrictEqual([
      change('info', 'description-changed', 'a', { before: 'old', after: 'new' }),
      change('info', 'default-changed', 'a', { before: 1, after: 2 }),
    ]);
  });

  it('follows local $refs and stops on recursion', () => {
    const tree = (extra: JsonSchema) => ({
      ...input({ root: { $ref: '#/$defs/node' } }),
      $defs: { node: { type: 'object', properties: { name: { type: 'string', ...extra }, children: { type: 'array', items: { $ref: '#/$defs/node' } } } } },
    });
    expect(inputChanges(tree({}), tree({ maxLength: 5 }))).toStrictEqual([change('breaking', 'bound-tightened', 'root.name', { keyword: 'maxLength', after: 5 })]);
  });

  it('reports title, description, annotations, confirmation, risk class, source and output as info', () => {
    const before = tool({
      outputSchema: { type: 'object', properties: { id: { type: 'integer' } } },
    });
    const after = tool({
      title: 'Get one pet',
      description: 'Get one pet by its id.',
      annotations: { readOnlyHint: true, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      confirmation: { argument: 'confirm' },
      risk: { class: 'destructive', reasons: ['DELETE method'] },
      source: { method: 'GET', path: '/v2/pets/{petId}', operationId: 'getPet' },
      outputSchema: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    });
    const tools = (t: ReviewTool) => ({ ...t, name: 'get_pet' });
    expect(diffCatalogs({ before: catalog([tools(before)]), after: catalog([tools(after)]) }).changes).toStrictEqual([
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'source-changed', before: 'GET /pets/{petId}', after: 'GET /v2/pets/{petId}' },
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'title-changed', before: 'Get a pet', after: 'Get one pet' },
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'description-changed', before: 'Get one pet by its id. Returns the pet: id, name, species, status.', after: 'Get one pet by its id.' },
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'annotation-changed', keyword: 'destructiveHint', before: false, after: true },
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'annotation-changed', keyword: 'openWorldHint', before: true, after: false },
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'confirmation-added', after: 'confirm' },
      { severity: 'info', tool: 'get_pet', area: 'tool', kind: 'risk-changed', before: 'read', after: 'destructive' },
      { severity: 'info', tool: 'get_pet', area: 'output', kind: 'type-changed', path: 'id', before: 'integer', after: 'string' },
      { severity: 'info', tool: 'get_pet', area: 'output', kind: 'optional-property-added', path: 'name' },
    ]);
  });

  it('finds tools added, removed and renamed (by source operation), in a fixed order', () => {
    const list = tool({ name: 'list_pets', source: { method: 'GET', path: '/pets', operationId: 'listPets' } });
    const renamedBefore = tool({ name: 'get_pet', source: { method: 'GET', path: '/pets/{petId}' } });
    const renamedAfter = tool({ name: 'fetch_pet', source: { method: 'GET', path: '/pets/{id}' } });
    const added = tool({ name: 'delete_pet', risk: { class: 'destructive', reasons: ['DELETE method'] }, source: { method: 'DELETE', path: '/pets/{petId}' } });
    const diff = diffCatalogs({ before: catalog([renamedBefore, list]), after: catalog([added, renamedAfter], '2.0.0') });
    expect(diff.changes).toStrictEqual([
      { severity: 'breaking', tool: 'fetch_pet', area: 'tool', kind: 'tool-renamed', before: 'get_pet', after: 'fetch_pet' },
      { severity: 'breaking', tool: 'list_pets', area: 'tool', kind: 'tool-removed' },
      { severity: 'compatible', tool: 'delete_pet', area: 'tool', kind: 'tool-added' },
      { severity: 'info', tool: 'fetch_pet', area: 'tool', kind: 'source-changed', before: 'GET /pets/{petId}', after: 'GET /pets/{id}' },
    ]);
    expect(diff.renamed).toStrictEqual([{ from: 'get_pet', to: 'fetch_pet', source: { method: 'GET', path: '/pets/{id}' } }]);
    expect(diff.added.map((t) => [t.name, t.riskClass])).toStrictEqual([['delete_pet', 'destructive']]);
    expect(diff.removed.map((t) => t.name)).toStrictEqual(['list_pets']);
    expect(diff.summary).toStrictEqual({ breaking: 2, compatible: 1, info: 1 });
    expect(diff.before.api).toStrictEqual({ title: 'Pets', version: '1.0.0' });
    expect(diff.after.api).toStrictEqual({ title: 'Pets', version: '2.0.0' });
  });

  it('says nothing about identical catalogs', () => {
    const diff = diffCatalogs({ before: catalog([tool()]), after: catalog([tool()]) });
    expect(diff.changes).toStrictEqual([]);
    expect(diff.tokens.tools).toStrictEqual([]);
    expect(renderDiffMarkdown({ ...diff, unreviewed: [] })).toContain('No changes to the tool catalog.');
  });

  it('compares schemas with changes it cannot classify as breaking', () => {
    expect(compareSchemas({ before: { type: 'object', if: { required: ['a'] } }, after: { type: 'object', if: { required: ['b'] } } })).toStrictEqual([
      { kind: 'keyword-changed', severity: 'breaking', path: '', keyword: 'if', before: { required: ['a'] }, after: { required: ['b'] } },
    ]);
  });
});

describe('renderDiffMarkdown', () => {
  it('keeps spec text inside code spans, cut around where it changed', () => {
    const before = tool({ description: 'Ask `owner` first. '.repeat(8) + 'Then call it.' });
    const after = tool({ description: 'Ask `owner` first. '.repeat(8) + 'Then ping @octocat <b>now</b>.' });
    const diff = diffCatalogs({ before: catalog([before]), after: catalog([after]) });
    expect(describeChange(diff.changes[0]!, diff)).toBe('description ``…first. Ask `owner` first. Then call it.`` → ``…first. Ask `owner` first. Then ping @octocat <b>now</b>.``');
  });

  it('cuts long sections and says how much is left out', () => {
    const tools = Array.from({ length: 120 }, (_, i) => tool({ name: `tool_${String(i).padStart(3, '0')}`, source: { method: 'GET', path: `/t/${i}` } }));
    const markdown = renderDiffMarkdown({ ...diffCatalogs({ before: catalog([]), after: catalog(tools) }), unreviewed: [] });
    expect(markdown).toContain('- `tool_099`: new tool (read, `GET /t/99`)\n- … and 20 more lines (`toolwright diff --json` lists every change)\n');
    expect(markdown).not.toContain('tool_100`: new tool');
    expect(markdown).toContain('| 95 more tools | | | +');
  });
});

describe('diff token cost', () => {
  it('counts each tool as gpt-tokenizer does (o200k_base), on the petstore catalog', async () => {
    const petstore = JSON.parse(await readFile(path.join(repoRoot, 'examples/petstore/server/tools.json'), 'utf8')) as ReviewCatalog;
    const own = (t: ReviewTool) =>
      countTokens(
        JSON.stringify({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}), annotations: t.annotations }),
      );
    const shorter = { ...petstore, tools: petstore.tools.slice(1) };
    const diff = diffCatalogs({ before: petstore, after: shorter });
    const total = petstore.tools.reduce((sum, t) => sum + own(t), 0);
    expect(diff.tokens.before).toBe(total);
    expect(diff.tokens.after).toBe(total - own(petstore.tools[0]!));
    expect(diff.tokens.tools).toStrictEqual([{ tool: petstore.tools[0]!.name, before: own(petstore.tools[0]!), after: null, delta: -own(petstore.tools[0]!) }]);
  });

  it('lists per-tool cost changes sorted by name', () => {
    const diff = diffCatalogs({
      before: catalog([tool({ name: 'b' }), tool({ name: 'a' })]),
      after: catalog([tool({ name: 'a', description: 'Get one pet by its id. Returns the pet: id, name, species, tags, owner, status and birth date.' }), tool({ name: 'b' })]),
    });
    expect(diff.tokens.tools.map((t) => [t.tool, t.delta > 0])).toStrictEqual([['a', true]]);
    expect(diff.tokens.delta).toBe(diff.tokens.tools[0]!.delta);
  });
});

describe('examples/petstore-v2', () => {
  async function report() {
    const config = await readCurationConfig(path.join(repoRoot, 'examples/petstore/toolwright.yaml'));
    const [before, after] = await Promise.all([
      loadCatalog({ target: path.join(repoRoot, 'examples/petstore/openapi.yaml'), config }),
      loadCatalog({ target: path.join(v2Dir, 'openapi.yaml'), config }),
    ]);
    expect(after.missing).toStrictEqual(['GET /owners/{ownerId}/pets']);
    return buildDiffReport({ before, after });
  }

  it('regenerates the committed catalog-diff.md and catalog-diff.json byte for byte', async () => {
    const diff = await report();
    const hint = 'differs from the committed example; regenerate it (see examples/petstore-v2/README.md) and review the change';
    expect(renderDiffMarkdown(diff), `catalog-diff.md ${hint}`).toBe(await readFile(path.join(v2Dir, 'catalog-diff.md'), 'utf8'));
    expect(renderJson(diff), `catalog-diff.json ${hint}`).toBe(await readFile(path.join(v2Dir, 'catalog-diff.json'), 'utf8'));
  });

  it('shows the changes the example was made for', async () => {
    const diff = await report();
    const breaking = diff.changes.filter((c) => c.severity === 'breaking').map((c) => [c.tool, c.kind, c.path ?? null]);
    expect(breaking).toStrictEqual([
      ['add_pet', 'bound-tightened', 'name'],
      ['add_pet', 'required-property-added', 'shelterId'],
      ['list_owner_pets', 'tool-removed', null],
    ]);
    expect(diff.unreviewed).toStrictEqual([{ operation: 'POST /adoptions/{adoptionId}/cancel', operationId: 'cancelAdoption', riskClass: 'destructive', included: false }]);
  });
});
