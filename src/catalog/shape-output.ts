import type { JsonSchema, OutputBinding, PaginationBinding, ParameterBinding, ResponseFields } from '../../templates/runtime/definition.js';
import { paginationProperty } from '../../templates/runtime/pagination.js';
import type { OutputSchemaPolicy, OutputValidation } from './output-policy.js';
import { selectSchemaFields } from './response-fields.js';

/** What toolwright.yaml says about results, for all tools. */
export type OutputSettings = {
  outputSchema?: OutputSchemaPolicy;
  /** The most tokens a compact output schema may cost. */
  outputSchemaTokens?: number;
  outputValidation?: OutputValidation;
  /** Dropped and redacted in every tool's responses. */
  responseFields?: Omit<ResponseFields, 'keep'>;
};

/** What toolwright.yaml says about one tool's results. */
export type ToolOutputSettings = {
  outputSchema?: OutputSchemaPolicy;
  outputSchemaTokens?: number;
  outputValidation?: OutputValidation;
  responseFields?: ResponseFields;
};

/** The output side of a tool definition after the policy, field selection and pagination are applied. */
export type ShapedOutput = {
  outputSchema?: JsonSchema;
  binding: OutputBinding;
  outputValidation?: 'strict';
  responseFields?: ResponseFields;
  pagination?: PaginationBinding;
};

/** The policy that applies to a tool: its own setting, else the global one, else `compact`. */
export function outputPolicyOf(global: OutputSettings | undefined, tool: ToolOutputSettings | undefined): OutputSchemaPolicy {
  return tool?.outputSchema ?? global?.outputSchema ?? 'compact';
}

/** A tool's field selection: its own `keep`, `drop` and `redact`, plus the global `drop` and `redact`. */
export function responseFieldsOf(global: OutputSettings | undefined, tool: ToolOutputSettings | undefined): ResponseFields | undefined {
  const merge = (a: string[] | undefined, b: string[] | undefined): string[] | undefined => {
    const all = [...new Set([...(a ?? []), ...(b ?? [])])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return all.length > 0 ? all : undefined;
  };
  const keep = merge(tool?.responseFields?.keep, undefined);
  const drop = merge(global?.responseFields?.drop, tool?.responseFields?.drop);
  const redact = merge(global?.responseFields?.redact, tool?.responseFields?.redact);
  if (!keep && !drop && !redact) return undefined;
  return { ...(keep ? { keep } : {}), ...(drop ? { drop } : {}), ...(redact ? { redact } : {}) };
}

/** Query parameters, by wire name, that take the next page's cursor of each kind. */
const cursorParameters: { kind: Exclude<keyof PaginationBinding, 'link'>; names: string[] }[] = [
  { kind: 'cursor', names: ['cursor'] },
  { kind: 'pageToken', names: ['page_token', 'pageToken'] },
  { kind: 'startingAfter', names: ['starting_after'] },
  { kind: 'continue', names: ['continue'] },
];

/** How a tool pages, from its query parameters; undefined when it takes no page or cursor argument. */
export function paginationOf(parameters: ParameterBinding[]): PaginationBinding | undefined {
  const open = parameters.filter((parameter) => parameter.in === 'query' && parameter.value === undefined);
  const binding: PaginationBinding = {};
  for (const { kind, names } of cursorParameters) {
    const parameter = open.find((candidate) => names.includes(candidate.name));
    if (parameter) binding[kind] = parameter.argument;
  }
  if (open.some((parameter) => parameter.name === 'page' || parameter.name === 'per_page')) binding.link = true;
  return Object.keys(binding).length > 0 ? binding : undefined;
}

/** The schema of `_pagination` in structured content. */
const paginationSchema: JsonSchema = {
  type: 'object',
  properties: { hasMore: { type: 'boolean' }, next: { type: 'object' }, total: { type: 'integer' } },
};

/**
 * Applies field selection to the output schema the way the server applies it to responses (for a wrapped
 * result, to the wrapped value), and declares `_pagination` on tools that page.
 */
export function shapeOutput({
  schema,
  binding,
  fields,
  pagination,
  validation,
}: {
  schema: JsonSchema | undefined;
  binding: OutputBinding;
  fields: ResponseFields | undefined;
  pagination: PaginationBinding | undefined;
  validation: OutputValidation | undefined;
}): ShapedOutput {
  let outputSchema = schema;
  if (outputSchema && fields) {
    if (binding.kind === 'wrapped') {
      const properties = outputSchema.properties as { [name: string]: JsonSchema };
      const wrapped = properties[binding.property];
      if (wrapped) outputSchema = { ...outputSchema, properties: { ...properties, [binding.property]: selectSchemaFields(wrapped, fields) } };
    } else outputSchema = selectSchemaFields(outputSchema, fields);
  }
  if (outputSchema && pagination) {
    const properties = (outputSchema.properties ?? {}) as { [name: string]: JsonSchema };
    outputSchema = { ...outputSchema, properties: { ...properties, [paginationProperty]: paginationSchema } };
  }
  return {
    ...(outputSchema ? { outputSchema } : {}),
    binding,
    ...(validation === 'strict' ? { outputValidation: 'strict' as const } : {}),
    ...(fields ? { responseFields: fields } : {}),
    ...(pagination ? { pagination } : {}),
  };
}
