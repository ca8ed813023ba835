import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchNpmSpecs, githubSpec } from '../bench/corpus.mjs';
import { prepareArguments } from '../templates/runtime/arguments.js';
import { buildRequest } from '../templates/runtime/request.js';
import type { JsonSchema } from '../templates/runtime/definition.js';
import { findSchemaError } from '../templates/runtime/validation.js';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { checkCursor, checkGemini, checkOpenAiStrict, type ProfileCheck } from '../src/catalog/profile-rules.js';
import { applyProfiles, type ClientProfile } from '../src/catalog/profiles.js';
import type { CatalogTool } from '../src/catalog/types.js';
import { configIncluding } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { corpusDir, hasCorpus } from './helpers.js';

function tool(inputSchema: CatalogTool['inputSchema'], name = 'create_thing'): CatalogTool {
  return {
    name,
    title: 'Create a thing',
    description: 'Creates a thing.',
    inputSchema,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    http: { method: 'POST', path: '/things', parameters: [], output: { kind: 'none' }, security: [] },
    risk: { class: 'write', reasons: ['POST'] },
    source: { method: 'POST', path: '/things' },
  };
}

const input: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, description: 'The name.' },
    size: { type: 'integer', default: 1 },
    kind: { type: 'string', enum: ['a', 'b'] },
    parent: { type: ['string', 'null'] },
    shape: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    node: { $ref: '#/$defs/Node' },
  },
  required: ['name'],
  additionalProperties: false,
  $defs: { Node: { type: 'object', properties: { label: { type: 'string', format: 'uri' }, next: { $ref: '#/$defs/Node' } } } },
};

const rewrite = (profile: ClientProfile, schema = input, name?: string) => applyProfiles({ tools: [tool(schema, name)], profiles: [profile], serverName: 'things' })[0]!;

describe('openai-strict', () => {
  const strict = rewrite('openai-strict');

  it('makes every property required, optional ones nullable, every object closed, and keeps only supported keywords', () => {
    expect(strict.inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The name.' },
        size: { type: ['integer', 'null'] },
        kind: { type: ['string', 'null'], enum: ['a', 'b', null] },
        parent: { type: ['string', 'null'] },
        shape: { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'null' }] },
        metadata: { type: ['string', 'null'], description: '(a JSON object, written as text)' },
        node: { anyOf: [{ $ref: '#/$defs/Node' }, { type: 'null' }] },
      },
      required: ['name', 'size', 'kind', 'parent', 'shape', 'metadata', 'node'],
      additionalProperties: false,
      $defs: {
        Node: {
          type: 'object',
          properties: { label: { type: ['string', 'null'] }, next: { anyOf: [{ $ref: '#/$defs/Node' }, { type: 'null' }] } },
          required: ['label', 'next'],
          additionalProperties: false,
        },
      },
    });
    expect(checkOpenAiStrict(tool(input), { serverName: 'things' }).length).toBeGreaterThan(0);
    expect(checkOpenAiStrict(strict, { serverName: 'things' })).toStrictEqual([]);
  });

  it('records where null means "not sent" and where JSON text is parsed back, and the runtime undoes both', () => {
    expect(strict.nullMeansAbsent).toStrictEqual([
      '/$defs/Node/properties/label',
      '/$defs/Node/properties/next',
      '/properties/kind',
      '/properties/metadata',
      '/properties/node',
      '/properties/shape',
      '/properties/size',
    ]);
    expect(strict.jsonTextArguments).toStrictEqual(['/properties/metadata']);
    const args = { name: 'x', size: null, kind: null, parent: null, shape: 3, metadata: '{"team":"a"}', node: { label: 'l', next: { label: null, next: null } } };
    expect(findSchemaError(strict.inputSchema, args)).toBeUndefined();
    expect(prepareArguments(strict, args)).toStrictEqual({ name: 'x', parent: null, shape: 3, metadata: { team: 'a' }, node: { label: 'l', next: {} } });
    expect(() => prepareArguments(strict, { ...args, metadata: '{team' })).toThrow('metadata: must be JSON written as text');
  });
});

describe('JSON text inside a union', () => {
  it('parses what is JSON for the free-form branch and leaves a value meant for another branch alone', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { metadata: { anyOf: [{ type: 'object', additionalProperties: { type: 'string' } }, { type: 'string', enum: [''] }] }, tags: { type: 'array', items: {} } },
      additionalProperties: false,
    };
    const strict = rewrite('openai-strict', schema);
    expect(checkOpenAiStrict(strict, { serverName: 'things' })).toStrictEqual([]);
    expect(strict.jsonTextArguments).toStrictEqual(['/properties/metadata/anyOf/0/anyOf/0', '/properties/tags/items']);
    expect(prepareArguments(strict, { metadata: '{"a":"b"}', tags: ['1', '{"x":2}'] })).toStrictEqual({ metadata: { a: 'b' }, tags: [1, { x: 2 }] });
    expect(prepareArguments(strict, { metadata: '', tags: null })).toStrictEqual({ metadata: '' });
    expect(() => prepareArguments(strict, { metadata: null, tags: ['{x'] })).toThrow('tags: must be JSON written as text');
  });
});

describe('gemini', () => {
  it('uses one type per schema with nullable, anyOf for oneOf, inlines definitions, and writes maps as JSON text', () => {
    const gemini = rewrite('gemini');
    expect(gemini.inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The name.', minLength: 1 },
        size: { type: 'integer', default: 1 },
        kind: { type: 'string', enum: ['a', 'b'] },
        parent: { type: 'string', nullable: true },
        shape: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        metadata: { type: 'string', description: '(a JSON object, written as text)' },
        node: {
          type: 'object',
          properties: {
            label: { type: 'string', format: 'uri' },
            next: {
              type: 'object',
              properties: {
                label: { type: 'string', format: 'uri' },
                next: { type: 'object', properties: { label: { type: 'string', format: 'uri' }, next: { type: 'string', description: '(a JSON object, written as text)' } } },
              },
            },
          },
        },
      },
      required: ['name'],
    });
    expect(gemini.jsonTextArguments).toStrictEqual(['/properties/metadata', '/properties/node/properties/next/properties/next/properties/next']);
    expect(checkGemini(tool(input), { serverName: 'things' }).length).toBeGreaterThan(0);
    expect(checkGemini(gemini, { serverName: 'things' })).toStrictEqual([]);
    expect(findSchemaError(gemini.inputSchema, { name: 'x', parent: null, metadata: '{}' })).toBeUndefined();
  });

  it('renames arguments to names Gemini accepts, everywhere they are bound', () => {
    const base = tool({ type: 'object', properties: { 'zone.name': { type: 'string' }, zone_name: { type: 'string' }, '1st': { type: 'integer' } }, required: ['zone.name'], additionalProperties: false });
    base.http = {
      ...base.http,
      method: 'GET',
      parameters: [
        { argument: 'zone.name', in: 'query', name: 'zone.name', style: 'form', explode: true },
        { argument: 'zone_name', in: 'query', name: 'zone_name', style: 'form', explode: true },
        { argument: '1st', in: 'query', name: '1st', style: 'form', explode: true },
      ],
    };
    const [gemini] = applyProfiles({ tools: [base], profiles: ['gemini'], serverName: 'things' });
    expect(Object.keys(gemini!.inputSchema.properties as object)).toStrictEqual(['zone_name_2', 'zone_name', '_1st']);
    expect(gemini!.inputSchema.required).toStrictEqual(['zone_name_2']);
    expect(checkGemini(gemini!, { serverName: 'things' })).toStrictEqual([]);
    const request = buildRequest({ tool: gemini!, args: { zone_name_2: 'a.example', zone_name: 'b', _1st: 1 }, baseUrl: 'https://api.example', credentials: {} });
    expect(request.url).toBe('https://api.example/things?zone.name=a.example&zone_name=b&1st=1');
  });

  it('cannot be combined with openai-strict', () => {
    expect(() => applyProfiles({ tools: [], profiles: ['openai-strict', 'gemini'], serverName: 'x' })).toThrow(/cannot be combined/);
  });
});

describe('cursor', () => {
  it('fits the server and tool name into 60 characters, keeping names unique', () => {
    const long = 'list_repository_organization_secrets_for_the_authenticated_user';
    const tools = applyProfiles({
      tools: [tool({ type: 'object' }, long), tool({ type: 'object' }, `${long}_extra`), tool({ type: 'object' }, 'get_thing')],
      profiles: ['cursor'],
      serverName: 'github',
    });
    for (const fitted of tools) expect(checkCursor(fitted, { serverName: 'github' })).toStrictEqual([]);
    expect(new Set(tools.map((fitted) => fitted.name)).size).toBe(3);
    expect(tools.map((fitted) => fitted.name)).toContain('get_thing');
  });

  it('refuses a server name that leaves too little room for tool names', () => {
    expect(() => applyProfiles({ tools: [], profiles: ['cursor'], serverName: 'git-hub-s-official-open-api-spec-octokit-extension' })).toThrow(
      'leaves 9 for tool names next to the server name "git-hub-s-official-open-api-spec-octokit-extension"',
    );
  });
});

const corpus: { label: string; file: () => string | undefined; selection: 'gets' | 'default' }[] = [
  { label: 'GitHub (every GET)', file: () => fetchNpmSpecs([githubSpec])?.[0], selection: 'gets' },
  { label: 'Stripe (default)', file: () => path.join(corpusDir, 'github/gh-stripe__spec3-2023-09.yaml'), selection: 'default' },
  { label: 'Cloudflare (default)', file: () => path.join(corpusDir, 'github/gh-cloudflare__openapi-2024-08.json'), selection: 'default' },
];

const checks: [ClientProfile, ProfileCheck][] = [
  ['openai-strict', checkOpenAiStrict],
  ['gemini', checkGemini],
  ['cursor', checkCursor],
];

describe.skipIf(!hasCorpus)("each client's rules over real specs", () => {
  it.each(corpus)('$label: tools that break a rule before the profile, none after', async ({ file, selection }) => {
    const { model } = buildModel(await loadSpec(file()!));
    const config = selection === 'gets' ? { ...configIncluding(model.operations.filter((operation) => operation.method === 'GET')), server: { name: 'github' } } : undefined;
    const { decisions } = selectTools({ model, config });
    const { tools } = buildCatalog({ model, decisions }).catalog;
    const serverName = decisions.server.name;
    const counts: string[] = [];
    for (const [profile, check] of checks) {
      const failing = (list: CatalogTool[]) => list.filter((candidate) => check(candidate, { serverName }).length > 0);
      const profiled = applyProfiles({ tools, profiles: [profile], serverName });
      const before = failing(tools).length;
      counts.push(`${profile}: ${before}/${tools.length} -> ${failing(profiled).length}`);
      expect(failing(profiled).map((candidate) => `${candidate.name}: ${check(candidate, { serverName })[0]}`)).toStrictEqual([]);
      if (profile !== 'cursor') expect(before).toBeGreaterThan(tools.length / 2);
      for (const candidate of profiled.filter((_, index) => index % 25 === 0)) expect(() => findSchemaError(candidate.inputSchema, {})).not.toThrow();
    }
    console.log(counts.join('; '));
  }, 300_000);
});
