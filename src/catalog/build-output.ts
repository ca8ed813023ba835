import type { JsonSchema, OutputBinding, ResponseFields } from '../../templates/runtime/definition.js';
import type { ApiModel, MediaTypeModel, OperationModel } from '../model/types.js';
import { depthSteps, jsonLength } from './fit-budget.js';
import { createSchemaConverter, type SchemaDialect } from './json-schema.js';
import { isJsonMediaType } from './media-types.js';
import { unmatchedSelectors } from './response-fields.js';

/** What a tool's output is built from: the model, its schema dialect, and the outputs already built. */
export type OutputContext = {
  model: ApiModel;
  dialect: SchemaDialect;
  /**
   * Output schemas already translated, by response schema and depth. Many operations return the same
   * schema, and a translation depends on nothing else; one that warned is not reused (its warnings name
   * the operation's own pointer).
   */
  outputs: Map<unknown, Map<number, BuiltOutput>>;
};

/** A tool's output schema (an object: a non-object response is wrapped in `result`) and how the response maps to it. */
export type BuiltOutput = { schema?: JsonSchema; binding: OutputBinding; warnings: string[] };

/** Builds the output of an operation from its first JSON success response, with nested schemas cut at `maxDepth`. */
export function buildOutput(context: OutputContext, operation: OperationModel, maxDepth: number): BuiltOutput {
  const success = operation.responses
    .filter((response) => /^2(\d\d|XX)$/i.test(response.status))
    .sort((a, b) => (a.status < b.status ? -1 : 1))
    .find((response) => response.contents.some((content) => isJsonMediaType(content.mediaType)));
  const content = success?.contents.find((candidate) => isJsonMediaType(candidate.mediaType));
  if (!content) return { binding: { kind: 'none' }, warnings: [] };
  const key = outputKey(content.schema);
  const cached = context.outputs.get(key)?.get(maxDepth);
  if (cached) return { ...cached, binding: { ...cached.binding } };
  const built = translateOutput(context, content, maxDepth);
  if (key !== undefined && built.warnings.length === 0) {
    const byDepth = context.outputs.get(key) ?? new Map<number, BuiltOutput>();
    byDepth.set(maxDepth, built);
    context.outputs.set(key, byDepth);
  }
  return built;
}

/** Inline response schemas up to this many bytes of JSON are told apart by their text. */
const textKeyBytes = 2048;

/**
 * What makes two response schemas translate alike: the target of a bare `$ref`; the text of a small inline
 * schema, which many operations repeat (a list of `simple-user`s); else the schema object.
 */
function outputKey(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object') return undefined;
  const keys = Object.keys(schema);
  const ref = (schema as { $ref?: unknown }).$ref;
  if (keys.length === 1 && typeof ref === 'string') return `$ref:${ref}`;
  return jsonLength(schema, textKeyBytes) <= textKeyBytes ? `json:${JSON.stringify(schema, keepNonFinite)}` : schema;
}

/** JSON writes Infinity and NaN (YAML's `.inf`, `.nan`) as null: a schema that holds one keeps a text of its own. */
function keepNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? `\u0000${value}` : value;
}

function translateOutput(context: OutputContext, content: MediaTypeModel, maxDepth: number): BuiltOutput {
  const converter = createSchemaConverter({ document: context.model.document, dialect: context.dialect, direction: 'output', maxDepth, shared: true });
  const schema = converter.convert(content.schema, content.pointer);
  const defs = converter.defs();
  const warnings = converter.warnings();
  if (schema.type === 'object') {
    return { schema: defs ? { ...schema, $defs: defs } : schema, binding: { kind: 'object' }, warnings };
  }
  return {
    schema: { type: 'object', properties: { result: schema }, ...(defs ? { $defs: defs } : {}) },
    binding: { kind: 'wrapped', property: 'result' },
    warnings,
  };
}

/** A tool's own field selectors that match nothing in its full response schema (for a wrapped response, in the wrapped value). */
export function unmatchedResponseFields(context: OutputContext, operation: OperationModel, fields: ResponseFields): string[] {
  const { schema, binding } = buildOutput(context, operation, depthSteps.output[0]);
  if (!schema) return [];
  const body = binding.kind === 'wrapped' ? (schema.properties as Record<string, JsonSchema>)[binding.property] : schema;
  return body ? unmatchedSelectors({ ...body, ...(schema.$defs ? { $defs: schema.$defs } : {}) }, fields) : [];
}
