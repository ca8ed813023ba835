import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';

/** Examples whose JSON is longer than this cost more tokens than they are worth. */
export const maxExampleLength = 200;

/**
 * The canonical keyword order of every emitted schema: reference, type, annotations, then the assertions
 * grouped by the kind of value they apply to (numbers, strings, arrays, objects), then combinators.
 */
export const keywordOrder = [
  '$ref',
  'type',
  'title',
  'description',
  'deprecated',
  'const',
  'enum',
  'format',
  'contentMediaType',
  'contentEncoding',
  'default',
  'examples',
  'multipleOf',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'prefixItems',
  'items',
  'contains',
  'minContains',
  'maxContains',
  'minItems',
  'maxItems',
  'uniqueItems',
  'unevaluatedItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'minProperties',
  'maxProperties',
  'unevaluatedProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
] as const;

const keywordRank = new Map<string, number>(keywordOrder.map((keyword, index) => [keyword, index]));

/**
 * Formats that JSON Schema 2020-12 defines and the generated server's validator (Ajv with ajv-formats) checks;
 * every other format is OpenAPI-specific or custom. `idn-email`, `idn-hostname`, `iri` and `iri-reference`
 * are 2020-12 formats too, but Ajv does not know them and would log a warning for each schema.
 */
export const jsonSchemaFormats = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
]);

export const jsonTypes = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);

export const annotationKeywords = new Set(['title', 'description', 'deprecated', 'default', 'examples']);

/**
 * Value assertions left out of output schemas. A server checks every response against its output schema,
 * and real APIs add enum values, send "" for `format: uri`, omit fields and add new ones: an output schema
 * describes the shape (types, properties, items), it does not police values.
 */
export const outputOmitted = new Set([
  'const',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
]);

/** Keywords that only mean something together: allOf members merge only if they agree on the whole group. */
export const keywordGroups = [
  ['prefixItems', 'items'],
  ['contains', 'minContains', 'maxContains'],
  ['if', 'then', 'else'],
];

/** Keywords whose value is a map or list (not a schema), which a bundled document may replace by a `$ref`. */
export const containerKeywords = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'dependentRequired',
  'required',
  'enum',
  'anyOf',
  'oneOf',
  'prefixItems',
  'examples',
]);

export const combinatorKeywords = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

/** A converted schema, or `true`/`false` (accept anything / nothing). */
export type Schema = JsonSchema | boolean;
/** A converted schema while its keywords are being collected (before `ordered`). */
export type Draft = { [key: string]: JsonValue };

/** The schema with its keywords in the canonical order. */
export function ordered(draft: Draft): JsonSchema {
  const keys = Object.keys(draft).sort((a, b) => (keywordRank.get(a) ?? keywordOrder.length) - (keywordRank.get(b) ?? keywordOrder.length));
  const schema: JsonSchema = {};
  for (const key of keys) schema[key] = draft[key]!;
  return schema;
}
