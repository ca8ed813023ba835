import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../templates/runtime/definition.js';
import {
  createSchemaConverter,
  isPlainObjectSchema,
  type SchemaConverter,
  type SchemaDialect,
  type SchemaDirection,
} from '../src/catalog/json-schema.js';
import { corpusDir } from './helpers.js';

type MetaSchemaValidator = { validateSchema(schema: object): boolean | Promise<unknown>; errors?: unknown };
/** The SDK's default Ajv2020 instance (its `ajv` getter is private in the typings, public at run time). */
const ajv = (new AjvJsonSchemaValidator() as unknown as { ajv: MetaSchemaValidator }).ajv;

/** Asserts that a schema is valid JSON Schema 2020-12 (checked against the meta-schema). */
function expectValidSchema(schema: JsonSchema): void {
  const valid = ajv.validateSchema(schema) === true;
  expect(valid ? [] : ajv.errors, JSON.stringify(schema).slice(0, 500)).toStrictEqual([]);
}

it('the meta-schema check rejects what is not JSON Schema 2020-12', () => {
  expect(ajv.validateSchema({ type: 'file' })).toBe(false);
  expect(ajv.validateSchema({ required: true })).toBe(false);
  expect(ajv.validateSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBe(true);
});

type Case = {
  name: string;
  dialect?: SchemaDialect;
  direction?: SchemaDirection;
  /** Named schemas, put under #/components/schemas (or #/definitions for Swagger 2.0). */
  components?: Record<string, unknown>;
  /** The whole document, when `components` is not enough. */
  document?: unknown;
  maxDepth?: number;
  given: unknown;
  want: JsonSchema;
  wantDefs?: Record<string, JsonSchema>;
  wantWarnings?: string[];
};

function documentFor(dialect: SchemaDialect, components: Record<string, unknown> = {}): Record<string, unknown> {
  if (dialect === 'swagger2') return { swagger: '2.0', info: { title: 't', version: '1' }, paths: {}, definitions: components };
  return { openapi: dialect === 'openapi30' ? '3.0.3' : '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas: components } };
}

function converterFor(testCase: Omit<Case, 'name' | 'given' | 'want'>): SchemaConverter {
  const dialect = testCase.dialect ?? 'openapi30';
  return createSchemaConverter({
    document: testCase.document ?? documentFor(dialect, testCase.components),
    dialect,
    direction: testCase.direction ?? 'input',
    ...(testCase.maxDepth !== undefined ? { maxDepth: testCase.maxDepth } : {}),
  });
}

function runCases(cases: Case[]): void {
  it.each(cases)('$name', (testCase) => {
    const converter = converterFor(testCase);
    const got = converter.convert(testCase.given, '#/test');
    expect(got).toStrictEqual(testCase.want);
    expect(converter.defs()).toStrictEqual(testCase.wantDefs);
    expect(converter.warnings()).toStrictEqual(testCase.wantWarnings ?? []);
    const defs = converter.defs();
    expectValidSchema(defs ? { ...got, $defs: defs } : got);
  });
}

const pet = {
  type: 'object',
  description: 'A pet.',
  required: ['name'],
  properties: { name: { type: 'string' }, tag: { type: 'string' } },
};

const node = {
  type: 'object',
  properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
};

describe('$ref', () => {
  runCases([
    {
      name: 'a $ref is inlined',
      components: { Pet: pet },
      given: { $ref: '#/components/schemas/Pet' },
      want: {
        type: 'object',
        description: 'A pet.',
        properties: { name: { type: 'string' }, tag: { type: 'string' } },
        required: ['name'],
      },
    },
    {
      name: 'keywords beside a $ref apply too, and their annotations win',
      components: { Pet: pet },
      given: { $ref: '#/components/schemas/Pet', description: 'The pet to add.' },
      want: {
        type: 'object',
        description: 'The pet to add.',
        properties: { name: { type: 'string' }, tag: { type: 'string' } },
        required: ['name'],
      },
    },
    {
      name: 'a Swagger 2.0 definition is inlined',
      dialect: 'swagger2',
      components: { Id: { type: 'integer', format: 'int64', minimum: 1 } },
      given: { type: 'array', items: { $ref: '#/definitions/Id' } },
      want: { type: 'array', items: { type: 'integer', minimum: 1 } },
    },
    {
      name: 'any local pointer resolves, including escaped segments',
      components: { 'a/b~c d': { type: 'string', enum: ['x'] } },
      given: { $ref: '#/components/schemas/a~1b~0c%20d' },
      want: { type: 'string', enum: ['x'] },
    },
    {
      name: 'a ref to a ref is followed',
      components: { A: { $ref: '#/components/schemas/B' }, B: { type: 'boolean' } },
      given: { $ref: '#/components/schemas/A' },
      want: { type: 'boolean' },
    },
    {
      name: 'a dangling $ref becomes {} and a warning names the pointer',
      given: { type: 'object', properties: { owner: { $ref: '#/components/schemas/Missing' } } },
      want: { type: 'object', properties: { owner: {} } },
      wantWarnings: ['#/test/properties/owner: $ref "#/components/schemas/Missing" does not resolve; it was replaced by an empty schema.'],
    },
    {
      name: 'an external $ref is treated like a dangling one',
      given: { $ref: 'other.yaml#/Pet' },
      want: {},
      wantWarnings: ['#/test: $ref "other.yaml#/Pet" points outside the document; it was replaced by an empty schema.'],
    },
  ]);

  it('inlines the same sub-schema twice as two independent objects', () => {
    const converter = converterFor({ components: { Pet: pet } });
    const got = converter.convert(
      { type: 'object', properties: { a: { $ref: '#/components/schemas/Pet' }, b: { $ref: '#/components/schemas/Pet' } } },
      '#/test',
    );
    const properties = got.properties as Record<string, JsonSchema>;
    expect(properties.a).toStrictEqual(properties.b);
    expect(properties.a).not.toBe(properties.b);
    expect(properties.a!.properties).not.toBe(properties.b!.properties);
    const again = converter.convert({ $ref: '#/components/schemas/Pet' }, '#/test');
    (again.properties as Record<string, JsonSchema>).name!.type = 'number';
    expect((properties.a!.properties as Record<string, JsonSchema>).name).toStrictEqual({ type: 'string' });
  });

  it('never mutates the document', () => {
    const document = documentFor('openapi30', { Pet: { ...pet, example: { name: 'Rex' }, nullable: true, readOnly: false } });
    const before = JSON.stringify(document);
    const converter = createSchemaConverter({ document, dialect: 'openapi30', direction: 'input' });
    converter.convert({ allOf: [{ $ref: '#/components/schemas/Pet' }, { properties: { id: { type: 'integer' } } }] }, '#/test');
    expect(JSON.stringify(document)).toBe(before);
  });
});

const shared = { type: 'object', properties: { next: { $ref: '#/components/schemas/B' } } };
const selfContaining: Record<string, unknown> = { type: 'object', properties: {} };
(selfContaining.properties as Record<string, unknown>).self = selfContaining;
const inlineResponse = { type: 'object', properties: { child: { $ref: '#/paths/~1a/get/responses/200/schema' } } };

describe('bundled documents', () => {
  runCases([
    {
      name: 'a map or list held behind a $ref (as bundle() writes repeated values) is resolved',
      components: { Holder: { type: 'object', properties: { name: { type: 'string' } } } },
      given: { type: 'object', properties: { $ref: '#/components/schemas/Holder/properties' }, required: ['name'] },
      want: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
    {
      name: 'a pointer walks through a $ref on its way (as json-schema-ref-parser resolves it)',
      components: { A: { $ref: '#/components/schemas/B' }, B: { type: 'object', properties: { id: { type: 'integer' } } } },
      given: { $ref: '#/components/schemas/A/properties/id' },
      want: { type: 'integer' },
    },
    {
      name: 'two pointers to the same object are the same type for recursion',
      components: { A: shared, B: shared },
      given: { $ref: '#/components/schemas/A' },
      want: { $ref: '#/$defs/A', type: 'object' },
      wantDefs: { A: { type: 'object', properties: { next: { $ref: '#/$defs/A' } } } },
    },
    {
      name: 'an inline schema that a $ref inside it points back to becomes recursive after one more level',
      document: { openapi: '3.0.3', paths: { '/a': { get: { responses: { 200: { schema: inlineResponse } } } } } },
      given: inlineResponse,
      want: { type: 'object', properties: { child: { $ref: '#/$defs/schema' } } },
      wantDefs: { schema: { type: 'object', properties: { child: { $ref: '#/$defs/schema' } } } },
    },
    {
      name: 'an object that contains itself without a $ref (a YAML alias) stops with a warning',
      given: selfContaining,
      want: { type: 'object', properties: { self: {} } },
      wantWarnings: ['#/test/properties/self: the schema contains itself (a YAML alias cycle); the inner copy was replaced by an empty schema.'],
    },
  ]);
});

describe('recursion', () => {
  const nodeDef: JsonSchema = {
    type: 'object',
    properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
  };
  runCases([
    {
      name: 'a type that refers to itself becomes a $defs entry',
      components: { Node: node },
      given: { type: 'object', properties: { tree: { $ref: '#/components/schemas/Node' } } },
      want: { type: 'object', properties: { tree: { $ref: '#/$defs/Node' } } },
      wantDefs: { Node: nodeDef },
    },
    {
      name: 'a recursive root is a $ref that still says it is an object',
      components: { Node: node },
      given: { $ref: '#/components/schemas/Node' },
      want: { $ref: '#/$defs/Node', type: 'object' },
      wantDefs: { Node: nodeDef },
    },
    {
      name: 'a cycle through other types gets one entry, for the first type met on it',
      components: {
        Person: { type: 'object', properties: { name: { type: 'string' }, employer: { $ref: '#/components/schemas/Company' } } },
        Company: {
          type: 'object',
          properties: { staff: { type: 'array', items: { $ref: '#/components/schemas/Person' } } },
        },
      },
      given: { type: 'object', properties: { person: { $ref: '#/components/schemas/Person' } } },
      want: { type: 'object', properties: { person: { $ref: '#/$defs/Person' } } },
      wantDefs: {
        Person: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            employer: { type: 'object', properties: { staff: { type: 'array', items: { $ref: '#/$defs/Person' } } } },
          },
        },
      },
    },
    {
      name: 'a cycle that nests no data (which would make validators loop) becomes {} with a warning',
      components: {
        Loop: { allOf: [{ $ref: '#/components/schemas/Loop' }], description: 'Loops.' },
        Ping: { anyOf: [{ $ref: '#/components/schemas/Pong' }, { type: 'string' }] },
        Pong: { anyOf: [{ $ref: '#/components/schemas/Ping' }, { type: 'integer' }] },
      },
      given: { type: 'object', properties: { loop: { $ref: '#/components/schemas/Loop' }, ping: { $ref: '#/components/schemas/Ping' } } },
      want: {
        type: 'object',
        properties: {
          loop: { description: 'Loops.' },
          ping: { anyOf: [{ anyOf: [{}, { type: 'integer' }] }, { type: 'string' }] },
        },
      },
      wantWarnings: [
        '#/components/schemas/Loop/allOf/0: $ref "#/components/schemas/Loop" refers back to itself without nesting; it was replaced by an empty schema.',
        '#/components/schemas/Pong/anyOf/0: $ref "#/components/schemas/Ping" refers back to itself without nesting; it was replaced by an empty schema.',
      ],
    },
    {
      name: '$defs names come from the last segment (after its last dot), sanitized and made unique',
      components: {
        'io.k8s.v1.JSON-Props': {
          type: 'object',
          properties: {
            self: { $ref: '#/components/schemas/io.k8s.v1.JSON-Props' },
            other: { $ref: '#/components/schemas/io.k8s.v2.JSON-Props' },
          },
        },
        'io.k8s.v2.JSON-Props': { type: 'object', properties: { self: { $ref: '#/components/schemas/io.k8s.v2.JSON-Props' } } },
      },
      given: { $ref: '#/components/schemas/io.k8s.v1.JSON-Props' },
      want: { $ref: '#/$defs/JSON_Props', type: 'object' },
      wantDefs: {
        JSON_Props: { type: 'object', properties: { self: { $ref: '#/$defs/JSON_Props' }, other: { $ref: '#/$defs/io_k8s_v2_JSON_Props' } } },
        io_k8s_v2_JSON_Props: { type: 'object', properties: { self: { $ref: '#/$defs/io_k8s_v2_JSON_Props' } } },
      },
    },
  ]);

  it('shares $defs between the schemas converted for one tool', () => {
    const converter = converterFor({ components: { Node: node } });
    expect(converter.convert({ $ref: '#/components/schemas/Node' }, '#/a')).toStrictEqual({ $ref: '#/$defs/Node', type: 'object' });
    expect(converter.convert({ type: 'array', items: { $ref: '#/components/schemas/Node' } }, '#/b')).toStrictEqual({
      type: 'array',
      items: { $ref: '#/$defs/Node' },
    });
    expect(Object.keys(converter.defs()!)).toStrictEqual(['Node']);
  });

  it('returns no $defs when nothing is recursive', () => {
    const converter = converterFor({ components: { Pet: pet } });
    converter.convert({ $ref: '#/components/schemas/Pet' }, '#/test');
    expect(converter.defs()).toBeUndefined();
  });
});

describe('depth limit', () => {
  const deep = {
    type: 'object',
    properties: {
      a: {
        type: 'object',
        properties: {
          b: { type: 'object', description: 'The b.', properties: { c: { type: 'string' } } },
          list: { type: 'array', nullable: true, items: { type: 'string' } },
          s: { type: 'string' },
        },
      },
    },
  };
  runCases([
    {
      name: 'compound sub-schemas nested deeper than maxDepth are cut; scalars stay',
      maxDepth: 1,
      given: deep,
      want: {
        type: 'object',
        properties: {
          a: {
            type: 'object',
            properties: {
              b: { type: 'object', description: 'The b. (nested schema omitted: more than 1 level deep)' },
              list: { type: ['array', 'null'], description: 'Nested schema omitted: more than 1 level deep.' },
              s: { type: 'string' },
            },
          },
        },
      },
    },
    {
      name: 'a cut $ref keeps its target type and description',
      maxDepth: 0,
      components: { Pet: pet },
      given: { type: 'object', properties: { pet: { $ref: '#/components/schemas/Pet' } } },
      want: { type: 'object', properties: { pet: { type: 'object', description: 'A pet. (nested schema omitted: more than 0 levels deep)' } } },
    },
  ]);

  const nest = (levels: number, inner: JsonSchema): JsonSchema => (levels === 0 ? inner : { type: 'object', properties: { x: nest(levels - 1, inner) } });
  const chain = (levels: number): unknown => (levels === 0 ? { type: 'string' } : { type: 'object', properties: { x: chain(levels - 1) } });
  /** The depth of the deepest object that kept its properties (the root is at depth 0). */
  const deepestKept = (schema: JsonSchema, depth = 0): number => {
    const next = (schema.properties as Record<string, JsonSchema> | undefined)?.x;
    return next && isRecord(next.properties) ? deepestKept(next, depth + 1) : depth;
  };

  it('defaults to 12 levels for inputs and 4 for outputs', () => {
    const input = converterFor({ direction: 'input' }).convert(chain(20), '#/test');
    const output = converterFor({ direction: 'output' }).convert(chain(20), '#/test');
    expect(deepestKept(input)).toBe(12);
    expect(deepestKept(output)).toBe(4);
    const cut = { type: 'object', description: 'Nested schema omitted: more than 4 levels deep.' };
    expect(output).toStrictEqual(nest(4, { type: 'object', properties: { x: cut } }));
  });

  it('memoizes by remaining depth: the same $ref met at two depths is cut at each correctly', () => {
    const converter = converterFor({ maxDepth: 2, components: { Pair: { type: 'object', properties: { inner: { type: 'object', properties: { v: { type: 'string' } } } } } } });
    const got = converter.convert(
      {
        type: 'object',
        properties: {
          shallow: { $ref: '#/components/schemas/Pair' },
          wrap: { type: 'object', properties: { deep: { $ref: '#/components/schemas/Pair' } } },
          again: { $ref: '#/components/schemas/Pair' },
        },
      },
      '#/test',
    );
    const full = { type: 'object', properties: { inner: { type: 'object', properties: { v: { type: 'string' } } } } };
    expect(got).toStrictEqual({
      type: 'object',
      properties: {
        shallow: full,
        wrap: {
          type: 'object',
          properties: {
            deep: { type: 'object', properties: { inner: { type: 'object', description: 'Nested schema omitted: more than 2 levels deep.' } } },
          },
        },
        again: full,
      },
    });
  });
});

describe('OpenAPI 3.0 and Swagger 2.0 keywords', () => {
  runCases([
    { name: 'nullable adds null to the type', given: { type: 'string', nullable: true }, want: { type: ['string', 'null'] } },
    {
      name: 'nullable adds null to an enum too',
      given: { type: 'string', enum: ['a', 'b'], nullable: true },
      want: { type: ['string', 'null'], enum: ['a', 'b', null] },
    },
    {
      name: 'nullable without a type wraps in anyOf, annotations stay outside',
      components: { Pet: pet },
      given: { allOf: [{ $ref: '#/components/schemas/Pet' }, { not: { type: 'object', required: ['tag'] } }], nullable: true, description: 'Maybe a pet.' },
      want: {
        description: 'Maybe a pet.',
        anyOf: [
          {
            type: 'object',
            properties: { name: { type: 'string' }, tag: { type: 'string' } },
            required: ['name'],
            not: { type: 'object', required: ['tag'] },
          },
          { type: 'null' },
        ],
      },
    },
    {
      name: 'nullable on an allOf of one $ref merges first, then adds null to the type',
      components: { Pet: pet },
      given: { allOf: [{ $ref: '#/components/schemas/Pet' }], nullable: true },
      want: {
        type: ['object', 'null'],
        description: 'A pet.',
        properties: { name: { type: 'string' }, tag: { type: 'string' } },
        required: ['name'],
      },
    },
    {
      name: 'nullable on an anyOf adds a null branch',
      given: { anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true, description: 'Id or name.' },
      want: { description: 'Id or name.', anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
    },
    { name: 'nullable alone changes nothing', given: { nullable: true, description: 'Anything.' }, want: { description: 'Anything.' } },
    {
      name: 'Swagger 2.0 x-nullable is nullable',
      dialect: 'swagger2',
      given: { type: 'integer', 'x-nullable': true },
      want: { type: ['integer', 'null'] },
    },
    {
      name: 'boolean exclusiveMinimum/exclusiveMaximum become the numeric form',
      given: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true },
      want: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 },
    },
    {
      name: 'exclusiveMinimum: false is dropped and the minimum kept',
      given: { type: 'integer', minimum: 1, exclusiveMinimum: false, maximum: 5 },
      want: { type: 'integer', minimum: 1, maximum: 5 },
    },
    {
      name: 'example becomes examples: [example]',
      given: { type: 'string', example: 'Rex' },
      want: { type: 'string', examples: ['Rex'] },
    },
    {
      name: 'an example longer than 200 characters of JSON is dropped',
      given: { type: 'string', example: 'x'.repeat(250) },
      want: { type: 'string' },
    },
    {
      name: 'Swagger 2.0 type: file becomes a base64 string',
      dialect: 'swagger2',
      given: { type: 'file', description: 'The image.' },
      want: { type: 'string', description: 'The image. (base64-encoded file contents)', contentEncoding: 'base64' },
    },
    {
      name: 'Swagger 2.0 type: file without a description',
      dialect: 'swagger2',
      given: { type: 'file' },
      want: { type: 'string', description: 'Base64-encoded file contents.', contentEncoding: 'base64' },
    },
  ]);
});

describe('discriminator', () => {
  const components = {
    Dog: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, barks: { type: 'boolean' } } },
    Cat: { type: 'object', properties: { kind: { type: 'string', enum: ['cat', 'kitty'] }, meows: { type: 'boolean' } } },
    Bird: { type: 'object', properties: { flies: { type: 'boolean' } } },
  };
  runCases([
    {
      name: 'each $ref branch pins the property with const (mapping values may be names or pointers)',
      components,
      given: {
        oneOf: [{ $ref: '#/components/schemas/Dog' }, { $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Bird' }],
        discriminator: { propertyName: 'kind', mapping: { dog: '#/components/schemas/Dog', cat: 'Cat', kitty: 'Cat' } },
      },
      want: {
        oneOf: [
          { type: 'object', properties: { kind: { type: 'string', const: 'dog' }, barks: { type: 'boolean' } }, required: ['kind'] },
          { type: 'object', properties: { kind: { type: 'string', enum: ['cat', 'kitty'] }, meows: { type: 'boolean' } }, required: ['kind'] },
          { type: 'object', properties: { flies: { type: 'boolean' }, kind: { const: 'Bird' } }, required: ['kind'] },
        ],
      },
    },
    {
      name: 'without a mapping the schema name is the value; inline branches are left alone',
      components,
      given: {
        anyOf: [{ $ref: '#/components/schemas/Dog' }, { type: 'object', properties: { kind: { type: 'string' } } }],
        discriminator: { propertyName: 'kind' },
      },
      want: {
        anyOf: [
          { type: 'object', properties: { kind: { type: 'string', const: 'Dog' }, barks: { type: 'boolean' } }, required: ['kind'] },
          { type: 'object', properties: { kind: { type: 'string' } } },
        ],
      },
    },
    {
      name: 'a discriminator without oneOf/anyOf is just dropped',
      components,
      given: { type: 'object', properties: { kind: { type: 'string' } }, discriminator: { propertyName: 'kind' } },
      want: { type: 'object', properties: { kind: { type: 'string' } } },
    },
  ]);
});

describe('OpenAPI 3.1', () => {
  runCases([
    {
      name: 'type arrays, const, examples, contentMediaType and contentEncoding pass through',
      dialect: 'openapi31',
      given: {
        type: 'object',
        properties: {
          kind: { const: 'file' },
          size: { type: ['integer', 'null'], examples: [1, 2] },
          data: { type: 'string', contentMediaType: 'image/png', contentEncoding: 'base64' },
        },
      },
      want: {
        type: 'object',
        properties: {
          kind: { const: 'file' },
          size: { type: ['integer', 'null'], examples: [1, 2] },
          data: { type: 'string', contentMediaType: 'image/png', contentEncoding: 'base64' },
        },
      },
    },
    {
      name: 'refs into a schema’s own $defs are inlined and $defs, $id, $schema, $comment are dropped',
      dialect: 'openapi31',
      components: {
        Box: {
          $id: 'https://example.com/box',
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $comment: 'internal',
          type: 'object',
          properties: { size: { $ref: '#/components/schemas/Box/$defs/Size' } },
          $defs: { Size: { type: 'integer', minimum: 0 } },
        },
      },
      given: { $ref: '#/components/schemas/Box' },
      want: { type: 'object', properties: { size: { type: 'integer', minimum: 0 } } },
    },
    {
      name: 'boolean schemas stay booleans inside and become objects at the root',
      dialect: 'openapi31',
      given: { type: 'object', properties: { anything: true, nothing: false }, additionalProperties: false },
      want: { type: 'object', properties: { anything: true, nothing: false }, additionalProperties: false },
    },
    { name: 'a false root becomes {not: {}}', dialect: 'openapi31', given: false, want: { not: {} } },
    { name: 'a true root becomes {}', dialect: 'openapi31', given: true, want: {} },
    {
      name: 'examples and example are combined, deduplicated, long ones dropped',
      dialect: 'openapi31',
      given: { type: 'string', examples: ['a', 'b', 'y'.repeat(300)], example: 'a' },
      want: { type: 'string', examples: ['a', 'b'] },
    },
    {
      name: 'array items become prefixItems (draft-04 tuples)',
      dialect: 'openapi31',
      given: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      want: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
    },
  ]);
});

describe('format', () => {
  runCases([
    {
      name: '2020-12 formats the server validator does not know (idn-*, iri*) are dropped',
      given: {
        type: 'object',
        properties: Object.fromEntries(['idn-email', 'idn-hostname', 'iri', 'iri-reference', 'duration'].map((format) => [format, { type: 'string', format }])),
      },
      want: {
        type: 'object',
        properties: {
          'idn-email': { type: 'string' },
          'idn-hostname': { type: 'string' },
          iri: { type: 'string' },
          'iri-reference': { type: 'string' },
          duration: { type: 'string', format: 'duration' },
        },
      },
    },
    {
      name: 'JSON Schema formats are kept',
      given: {
        type: 'object',
        properties: Object.fromEntries(['date-time', 'date', 'email', 'uri', 'uuid', 'ipv4', 'hostname', 'regex'].map((format) => [format, { type: 'string', format }])),
      },
      want: {
        type: 'object',
        properties: Object.fromEntries(['date-time', 'date', 'email', 'uri', 'uuid', 'ipv4', 'hostname', 'regex'].map((format) => [format, { type: 'string', format }])),
      },
    },
    {
      name: 'byte and binary become contentEncoding: base64',
      given: { type: 'object', properties: { a: { type: 'string', format: 'byte' }, b: { type: 'string', format: 'binary' } } },
      want: { type: 'object', properties: { a: { type: 'string', contentEncoding: 'base64' }, b: { type: 'string', contentEncoding: 'base64' } } },
    },
    {
      name: 'OpenAPI and custom formats are dropped, int64 gets no bounds',
      given: {
        type: 'object',
        properties: {
          a: { type: 'integer', format: 'int32' },
          b: { type: 'integer', format: 'int64' },
          c: { type: 'number', format: 'float' },
          d: { type: 'number', format: 'double' },
          e: { type: 'string', format: 'password' },
          f: { type: 'string', format: 'unix-time' },
        },
      },
      want: {
        type: 'object',
        properties: {
          a: { type: 'integer' },
          b: { type: 'integer' },
          c: { type: 'number' },
          d: { type: 'number' },
          e: { type: 'string' },
          f: { type: 'string' },
        },
      },
    },
    {
      name: 'Kubernetes int-or-string accepts both',
      dialect: 'swagger2',
      given: { type: 'string', format: 'int-or-string' },
      want: { type: ['integer', 'string'] },
    },
  ]);
});

describe('readOnly and writeOnly', () => {
  const account = {
    type: 'object',
    required: ['id', 'name', 'password'],
    properties: {
      id: { type: 'string', readOnly: true },
      name: { type: 'string' },
      password: { type: 'string', writeOnly: true },
      created: { $ref: '#/components/schemas/Timestamp' },
    },
  };
  const components = { Account: account, Timestamp: { type: 'string', format: 'date-time', readOnly: true } };
  runCases([
    {
      name: 'readOnly properties (also through $ref) are dropped from inputs and from required',
      components,
      given: { $ref: '#/components/schemas/Account' },
      want: { type: 'object', properties: { name: { type: 'string' }, password: { type: 'string' } }, required: ['name', 'password'] },
    },
    {
      name: 'writeOnly properties are dropped from outputs',
      components,
      direction: 'output',
      given: { $ref: '#/components/schemas/Account' },
      want: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, created: { type: 'string' } } },
    },
    {
      name: 'a readOnly property of one allOf member leaves the merged required too',
      components,
      given: { allOf: [{ $ref: '#/components/schemas/Account' }, { type: 'object', required: ['id', 'extra'], properties: { extra: { type: 'boolean' } } }] },
      want: {
        type: 'object',
        properties: { name: { type: 'string' }, password: { type: 'string' }, extra: { type: 'boolean' } },
        required: ['name', 'password', 'extra'],
      },
    },
  ]);
});

describe('output direction', () => {
  runCases([
    {
      name: 'required and additionalProperties: false are dropped; types and structure stay',
      direction: 'output',
      given: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer', format: 'int64', minimum: 1 },
          labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 10 } },
          state: { type: 'string', enum: ['open', 'closed'], description: 'The state.' },
          url: { type: 'string', format: 'uri', pattern: '^https://' },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
        },
      },
      want: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          state: { type: 'string', description: 'The state.' },
          url: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    {
      name: 'oneOf becomes anyOf (a response that matches two branches is still valid)',
      direction: 'output',
      given: { oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'string' } } }] },
      want: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'string' } } }] },
    },
    {
      name: 'an anyOf whose branches become equal collapses; one that accepts anything disappears',
      direction: 'output',
      given: {
        type: 'object',
        properties: {
          same: { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'string', pattern: 'x' }] },
          any: { anyOf: [{ type: 'string' }, { enum: [1, 2] }], description: 'Anything.' },
        },
      },
      want: { type: 'object', properties: { same: { type: 'string' }, any: { description: 'Anything.' } } },
    },
    {
      name: 'byte and binary still become contentEncoding, nullable still applies',
      direction: 'output',
      given: { type: 'string', format: 'byte', nullable: true },
      want: { type: ['string', 'null'], contentEncoding: 'base64' },
    },
    {
      name: 'discriminators are not pinned in outputs',
      direction: 'output',
      components: { Dog: { type: 'object', properties: { kind: { type: 'string' } } } },
      given: { oneOf: [{ $ref: '#/components/schemas/Dog' }, { type: 'string' }], discriminator: { propertyName: 'kind' } },
      want: { anyOf: [{ type: 'object', properties: { kind: { type: 'string' } } }, { type: 'string' }] },
    },
  ]);
});

describe('allOf', () => {
  const components = {
    Base: { type: 'object', description: 'Base.', required: ['id'], properties: { id: { type: 'integer' }, note: { type: 'string' } } },
    Node: node,
  };
  runCases([
    {
      name: 'object members merge: union of properties and required, own annotations win',
      components,
      given: {
        description: 'Extended.',
        allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }],
      },
      want: {
        type: 'object',
        description: 'Extended.',
        properties: { id: { type: 'integer' }, note: { type: 'string' }, name: { type: 'string' } },
        required: ['id', 'name'],
      },
    },
    {
      name: 'the same property in two members merges its schemas',
      components,
      given: { allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { note: { maxLength: 10, description: 'A note.' } } }] },
      want: {
        type: 'object',
        description: 'Base.',
        properties: { id: { type: 'integer' }, note: { type: 'string', description: 'A note.', maxLength: 10 } },
        required: ['id'],
      },
    },
    {
      name: 'a conflicting member stays in allOf',
      given: { allOf: [{ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 9 }, { minLength: 1 }] },
      want: { type: 'string', minLength: 1, maxLength: 5, allOf: [{ type: 'string', maxLength: 9 }] },
    },
    {
      name: 'types intersect (number and integer make integer); disjoint types conflict',
      given: { allOf: [{ type: ['number', 'null'] }, { type: 'integer' }, { type: 'string' }] },
      want: { type: 'integer', allOf: [{ type: 'string' }] },
    },
    {
      name: 'a recursive member stays a $ref beside the merged keywords',
      components,
      given: { type: 'object', properties: { tree: { allOf: [{ $ref: '#/components/schemas/Node' }, { description: 'The tree.' }] } } },
      want: { type: 'object', properties: { tree: { $ref: '#/$defs/Node', description: 'The tree.' } } },
      wantDefs: {
        Node: { type: 'object', properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } },
      },
    },
    {
      name: 'oneOf/anyOf are kept (a member with oneOf merges if nothing else has one)',
      components,
      given: { allOf: [{ $ref: '#/components/schemas/Base' }, { oneOf: [{ required: ['note'] }, { required: ['name'] }] }] },
      want: {
        type: 'object',
        description: 'Base.',
        properties: { id: { type: 'integer' }, note: { type: 'string' } },
        required: ['id'],
        oneOf: [{ required: ['note'] }, { required: ['name'] }],
      },
    },
  ]);
});

describe('dropped and kept keywords', () => {
  runCases([
    {
      name: 'xml, externalDocs, x-*, discriminator, nullable, example and unknown keywords are dropped; deprecated: true is kept',
      given: {
        type: 'object',
        title: 'Pet',
        description: 'A pet.',
        deprecated: true,
        xml: { name: 'pet' },
        externalDocs: { url: 'https://example.com' },
        'x-internal': true,
        discriminator: { propertyName: 'kind' },
        collectionFormat: 'csv',
        id: 'legacy',
        properties: {
          name: { type: 'string', deprecated: false, default: 'Rex', minLength: 1, maxLength: 20, pattern: '^[A-Z]' },
          age: { type: 'integer', multipleOf: 1, maximum: 30 },
        },
        minProperties: 1,
      },
      want: {
        type: 'object',
        title: 'Pet',
        description: 'A pet.',
        deprecated: true,
        properties: {
          name: { type: 'string', default: 'Rex', minLength: 1, maxLength: 20, pattern: '^[A-Z]' },
          age: { type: 'integer', multipleOf: 1, maximum: 30 },
        },
        minProperties: 1,
      },
    },
    {
      name: 'properties without a type are an object in inputs',
      given: { properties: { a: { type: 'string' } }, required: ['a'] },
      want: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    },
    {
      name: 'an unknown type is dropped with a warning',
      given: { type: 'object', properties: { when: { type: 'date' } } },
      want: { type: 'object', properties: { when: {} } },
      wantWarnings: ['#/test/properties/when: type "date" is not a JSON Schema type; it was dropped.'],
    },
    {
      name: 'additionalProperties: true and {} are dropped (they are the default)',
      given: { type: 'object', properties: { a: { type: 'object', additionalProperties: true }, b: { type: 'object', additionalProperties: {} } } },
      want: { type: 'object', properties: { a: { type: 'object' }, b: { type: 'object' } } },
    },
    {
      name: 'a property named __proto__ survives',
      given: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}'),
      want: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}'),
    },
    {
      name: 'YAML dates in examples and defaults become strings',
      given: { type: 'string', format: 'date', default: new Date('2024-01-02T00:00:00Z') },
      want: { type: 'string', format: 'date', default: '2024-01-02T00:00:00.000Z' },
    },
  ]);

  it('emits keywords in the canonical order and properties in the spec’s order', () => {
    const got = converterFor({}).convert(
      {
        required: ['b'],
        properties: { b: { maxLength: 3, description: 'B.', type: 'string', title: 'Bee' }, a: { type: 'integer' } },
        additionalProperties: false,
        description: 'Letters.',
        type: 'object',
        title: 'Letters',
      },
      '#/test',
    );
    expect(JSON.stringify(got)).toBe(
      '{"type":"object","title":"Letters","description":"Letters.","properties":{"b":{"type":"string","title":"Bee","description":"B.","maxLength":3},"a":{"type":"integer"}},"additionalProperties":false,"required":["b"]}',
    );
  });

  it('is deterministic', () => {
    const components = { Node: node, Pet: pet };
    const given = { type: 'object', properties: { a: { $ref: '#/components/schemas/Node' }, b: { $ref: '#/components/schemas/Pet' } } };
    const first = converterFor({ components });
    const second = converterFor({ components });
    expect(JSON.stringify([first.convert(given, '#/x'), first.defs()])).toBe(JSON.stringify([second.convert(given, '#/x'), second.defs()]));
  });
});

describe('regular expressions and enums the server validator would refuse', () => {
  runCases([
    {
      name: 'needless escapes are removed so the pattern compiles in Unicode mode (as Ajv compiles it)',
      given: { type: 'string', pattern: '^[a-zA-Z0-9_\\-\\:]+$' },
      want: { type: 'string', pattern: '^[a-zA-Z0-9_\\-:]+$' },
    },
    {
      name: 'a literal brace is escaped, a quantifier is kept',
      given: { type: 'string', pattern: '^{[0-9a-f]{4}}$' },
      want: { type: 'string', pattern: '^\\{[0-9a-f]{4}\\}$' },
    },
    {
      name: 'an escaped slash and other valid patterns stay as they are',
      given: { type: 'string', pattern: '^\\/v[0-9]+(\\.[0-9]+)?$' },
      want: { type: 'string', pattern: '^\\/v[0-9]+(\\.[0-9]+)?$' },
    },
    {
      name: 'a pattern that cannot be made valid is dropped with a warning',
      given: { type: 'string', pattern: '(?i)^abc$', minLength: 1 },
      want: { type: 'string', minLength: 1 },
      wantWarnings: ['#/test: pattern "(?i)^abc$" is not a valid regular expression in JSON Schema (ECMA-262, Unicode mode); it was dropped.'],
    },
    {
      name: 'patternProperties keys are repaired too, or dropped',
      given: { type: 'object', patternProperties: { '^x\\-': { type: 'string' }, '(?i)y': { type: 'integer' } } },
      want: { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
      wantWarnings: ['#/test/patternProperties/(?i)y: "(?i)y" is not a valid regular expression in JSON Schema (ECMA-262, Unicode mode); the entry was dropped.'],
    },
    {
      name: 'an empty enum (no value could match) is dropped with a warning',
      given: { type: 'string', enum: [], allOf: [{ enum: ['a', 'b'] }] },
      want: { type: 'string', enum: ['a', 'b'] },
      wantWarnings: ['#/test: enum is empty, so no value could match; it was dropped.'],
    },
  ]);

  it('every repaired pattern compiles with the u flag', () => {
    for (const pattern of ['\\d{3}-\\#x', 'a]b', '[]a]', '^\\ \\@$', '(a|{)']) {
      const converted = converterFor({}).convert({ type: 'string', pattern }, '#/p');
      expect(() => new RegExp(String(converted.pattern), 'u'), pattern).not.toThrow();
    }
  });
});

describe('isPlainObjectSchema', () => {
  it.each<{ given: JsonSchema; want: boolean }>([
    { given: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, want: true },
    { given: { type: 'object', properties: {}, additionalProperties: false }, want: true },
    { given: { type: 'object' }, want: false },
    { given: { type: ['object', 'null'], properties: { a: {} } }, want: false },
    { given: { type: 'object', properties: { a: {} }, oneOf: [{ required: ['a'] }] }, want: false },
    { given: { $ref: '#/$defs/Node', type: 'object' }, want: false },
    { given: { type: 'object', properties: { a: {} }, additionalProperties: { type: 'string' } }, want: false },
    { given: { type: 'object', properties: { a: {} }, patternProperties: { '^x': {} } }, want: false },
  ])('$given → $want', ({ given, want }) => {
    expect(isPlainObjectSchema(given)).toBe(want);
  });
});

const githubCorpus = path.join(corpusDir, 'github');

const hasGithubCorpus = existsSync(githubCorpus);

describe.skipIf(hasGithubCorpus)('real specs from the corpus', () => {
  it.skip(`skipped: no corpus at ${githubCorpus}`, () => {});
});

describe.runIf(hasGithubCorpus)('real specs from the corpus', () => {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const swaggerParameterKeywords = ['type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'x-nullable'];

  function resolve(document: Record<string, unknown>, value: unknown): Record<string, unknown> | undefined {
    let current = value as Record<string, unknown> | undefined;
    for (let hops = 0; hops < 10 && current && typeof current.$ref === 'string'; hops++) {
      current = current.$ref
        .slice(2)
        .split('/')
        .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document) as Record<string, unknown> | undefined;
    }
    return current;
  }

  /** Converts every operation's parameter, body and first 2xx response schema; returns how many schemas. */
  function convertAll(document: Record<string, unknown>): number {
    const dialect: SchemaDialect = document.swagger ? 'swagger2' : String(document.openapi).startsWith('3.0') ? 'openapi30' : 'openapi31';
    let count = 0;
    for (const [route, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of methods) {
        const operation = item[method] as Record<string, unknown> | undefined;
        if (!operation) continue;
        const where = `#/paths/${route.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
        const input = createSchemaConverter({ document, dialect, direction: 'input' });
        const properties: Record<string, JsonSchema> = {};
        const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])];
        parameters.forEach((reference, index) => {
          const parameter = resolve(document, reference);
          if (!parameter) return;
          let schema: unknown = parameter.schema;
          if (dialect === 'swagger2' && parameter.in !== 'body') {
            schema = Object.fromEntries(swaggerParameterKeywords.filter((keyword) => parameter[keyword] !== undefined).map((keyword) => [keyword, parameter[keyword]]));
          }
          properties[`p${index}`] = input.convert(schema ?? {}, `${where}/parameters/${index}`);
          count++;
        });
        const body = resolve(document, operation.requestBody);
        const bodyContent = Object.values((body?.content as Record<string, { schema?: unknown }>) ?? {})[0];
        if (bodyContent?.schema) {
          properties.body = input.convert(bodyContent.schema, `${where}/requestBody`);
          count++;
        }
        const inputDefs = input.defs();
        expectValidSchema({ type: 'object', properties, ...(inputDefs ? { $defs: inputDefs } : {}) });
        const responses = (operation.responses ?? {}) as Record<string, unknown>;
        const status = Object.keys(responses).filter((code) => code.startsWith('2')).sort()[0];
        const response = status ? resolve(document, responses[status]) : undefined;
        const content = response?.content as Record<string, { schema?: unknown }> | undefined;
        const responseSchema = dialect === 'swagger2' ? response?.schema : (content?.['application/json'] ?? Object.values(content ?? {})[0])?.schema;
        if (responseSchema) {
          const output = createSchemaConverter({ document, dialect, direction: 'output' });
          const schema = output.convert(responseSchema, `${where}/responses/${status}`);
          const outputDefs = output.defs();
          expectValidSchema(outputDefs ? { ...schema, $defs: outputDefs } : schema);
          count++;
        }
      }
    }
    return count;
  }

  async function bundle(file: string): Promise<Record<string, unknown>> {
    const text = readFileSync(file, 'utf8');
    const parsed = file.endsWith('.json') ? JSON.parse(text) : parse(text, { maxAliasCount: -1 });
    return (await SwaggerParser.bundle(file, parsed, {})) as unknown as Record<string, unknown>;
  }

  it.each(['gh-swaggerparser__circular/circular.yaml', 'gh-swaggerparser__deep-circular/deep-circular.yaml', 'gh-openai__openapi.yaml'])(
    'converts %s',
    async (name) => {
      const document = await bundle(path.join(githubCorpus, name));
      expect(convertAll(document)).toBeGreaterThan(0);
    },
  );

  it('converts the swagger-parser circular fixture', async () => {
    const document = await bundle(path.join(githubCorpus, 'gh-swaggerparser__circular/circular.yaml'));
    const paths = document.paths as Record<string, { get: { responses: { 200: { schema: unknown } } } }>;
    const got = Object.fromEntries(
      Object.entries(paths).map(([route, item]) => {
        const converter = createSchemaConverter({ document, dialect: 'swagger2', direction: 'output' });
        const schema = converter.convert(item.get.responses[200].schema, route);
        return [route, { schema, defs: converter.defs(), warnings: converter.warnings() }];
      }),
    );
    const name = { type: 'string' };
    expect(got).toStrictEqual({
      '/pet': {
        schema: { type: 'object', title: 'pet', properties: { name, age: { type: 'number' }, species: { type: 'string' } } },
        defs: undefined,
        warnings: [],
      },
      '/thing': {
        schema: {},
        defs: undefined,
        warnings: ['#/definitions/thing: $ref "#/definitions/thing" refers back to itself without nesting; it was replaced by an empty schema.'],
      },
      '/person': {
        schema: { $ref: '#/$defs/person', type: 'object' },
        defs: { person: { type: 'object', title: 'person', properties: { name, spouse: { $ref: '#/$defs/person' } } } },
        warnings: [],
      },
      '/parent': {
        schema: { $ref: '#/$defs/parent', type: 'object' },
        defs: {
          parent: {
            type: 'object',
            title: 'parent',
            properties: {
              name,
              children: {
                type: 'array',
                items: { type: 'object', title: 'child', properties: { name, parents: { type: 'array', items: { $ref: '#/$defs/parent' } } } },
              },
            },
          },
        },
        warnings: [],
      },
    });
  });

  it('converts Kubernetes (Swagger 2.0, 1,123 operations)', async () => {
    const document = await bundle(path.join(githubCorpus, 'gh-kubernetes__swagger.json'));
    expect(convertAll(document)).toBeGreaterThan(5000);
  });

  it('converts Stripe (OpenAPI 3.0, cyclic everywhere)', async () => {
    const document = await bundle(path.join(githubCorpus, 'gh-stripe__spec3-2023-09.yaml'));
    expect(convertAll(document)).toBeGreaterThan(1000);
  });
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
