import type { JsonSchema } from '../../templates/runtime/definition.js';
import { isRecord } from './json-values.js';
import { combinatorKeywords } from './schema-keywords.js';
import { Translator } from './schema-translator.js';

/**
 * Translates OpenAPI 3.1, OpenAPI 3.0 and Swagger 2.0 schemas into self-contained JSON Schema 2020-12
 * for MCP tool input and output schemas. Pure: it reads the bundled document and never mutates it.
 *
 * @see https://spec.openapis.org/oas/v3.0.3#schema-object
 * @see https://json-schema.org/draft/2020-12/json-schema-validation
 */

/** The schema language of the document: it decides how `nullable`, `exclusiveMinimum` and friends are read. */
export type SchemaDialect = 'swagger2' | 'openapi30' | 'openapi31';

/** Whether a schema describes what the model sends (tool input) or what the API returns (tool output). */
export type SchemaDirection = 'input' | 'output';

export type SchemaConverterOptions = {
  /** The whole bundled document: every $ref is a local JSON pointer into it ('#/components/schemas/Pet', '#/definitions/Pet', or any other '#/...' pointer produced by swagger-parser's bundle()). */
  document: unknown;
  dialect: SchemaDialect;
  direction: SchemaDirection;
  /** Nesting depth beyond which sub-schemas become {} with a description noting they were cut (default: input 12, output 4). */
  maxDepth?: number;
  /**
   * Leave out the copy that makes each result a tree of its own: results may then share sub-objects with
   * each other. For callers that measure several attempts and copy only the one they keep.
   */
  shared?: boolean;
};

/** One converter per tool: convert() each schema that goes into one root schema, then take defs() once for that root. */
export type SchemaConverter = {
  /** Translates one schema; `where` is the JSON pointer of the schema, used in warnings. */
  convert(schema: unknown, where: string): JsonSchema;
  /** The `$defs` to put at the root of the schema the converted pieces end up in (only recursive types), or undefined when there are none. */
  defs(): { [name: string]: JsonSchema } | undefined;
  /** What was lost or repaired on the way, one sentence each, in the order found. */
  warnings(): string[];
};

/** Creates a converter for the schemas of one tool schema (all parameters and the body, or the output). */
export function createSchemaConverter(options: SchemaConverterOptions): SchemaConverter {
  const translator = new Translator(options);
  return {
    convert: (schema, where) => translator.convert(schema, where),
    defs: () => translator.defs(),
    warnings: () => translator.warnings(),
  };
}

/**
 * True when a converted schema is a plain object schema whose properties can be lifted into a parent
 * object: `type: 'object'`, `properties`, and nothing whose meaning depends on staying together
 * (no `$ref`, combinators, pattern or schema-valued additional properties).
 */
export function isPlainObjectSchema(schema: JsonSchema): boolean {
  if (schema.type !== 'object' || !isRecord(schema.properties)) return false;
  if (combinatorKeywords.some((keyword) => keyword in schema)) return false;
  if (isRecord(schema.additionalProperties)) return false;
  return !['patternProperties', 'propertyNames', 'dependentSchemas', 'dependentRequired', 'unevaluatedProperties'].some(
    (keyword) => keyword in schema,
  );
}

export { toUnicodePattern } from './schema-pattern.js';
