import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';

/**
 * The published rules of the clients that `profile` targets, as checks over a tool's name and input schema.
 * Each check returns one message per violation, with the JSON pointer of the schema node.
 *
 * @see https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
 * @see https://ai.google.dev/api/caching#Schema
 */

/** Keywords that OpenAI's strict mode accepts (function calling with `strict: true`). */
export const openAiStrictKeywords = new Set([
  '$ref',
  '$defs',
  'type',
  'title',
  'description',
  'enum',
  'const',
  'anyOf',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'pattern',
  'format',
  'multipleOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
]);

/** The string formats strict mode supports. */
export const openAiStrictFormats = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/** Strict mode's limits on one schema. */
const openAiLimits = { depth: 10, properties: 5_000 } as const;

/** Fields of Gemini's `Schema` object (a subset of the OpenAPI 3.0 Schema Object). */
export const geminiKeywords = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

/** Cursor's limit on a server's name and a tool's name together. */
export const cursorNameBudget = 60;

/** A client's rules over one tool. */
export type ProfileCheck = (tool: { name: string; inputSchema: JsonSchema }, context: { serverName: string }) => string[];

type Schema = { [key: string]: JsonValue };

function isSchema(value: JsonValue | undefined): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Calls `visit` for a schema and each sub-schema, with its pointer and nesting depth of objects. */
function walk(schema: JsonValue | undefined, visit: (node: Schema, pointer: string, depth: number) => void, pointer = '', depth = 0): void {
  if (!isSchema(schema)) return;
  visit(schema, pointer, depth);
  const esc = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');
  if (isSchema(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) walk(child, visit, `${pointer}/properties/${esc(name)}`, depth + 1);
  }
  if (isSchema(schema.items)) walk(schema.items, visit, `${pointer}/items`, depth + 1);
  if (isSchema(schema.additionalProperties)) walk(schema.additionalProperties, visit, `${pointer}/additionalProperties`, depth + 1);
  if (isSchema(schema.$defs)) for (const [name, def] of Object.entries(schema.$defs)) walk(def, visit, `${pointer}/$defs/${esc(name)}`, 0);
  for (const keyword of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
    const members = schema[keyword];
    if (Array.isArray(members)) members.forEach((member, index) => walk(member, visit, `${pointer}/${keyword}/${index}`, depth));
  }
  for (const keyword of ['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'] as const) {
    if (isSchema(schema[keyword])) walk(schema[keyword], visit, `${pointer}/${keyword}`, depth);
  }
}

const isObjectNode = (node: Schema): boolean =>
  node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || isSchema(node.properties);

/** OpenAI strict mode: every object closed and fully required, only supported keywords and formats, a type on every node, within the limits. */
export const checkOpenAiStrict: ProfileCheck = (tool) => {
  const problems: string[] = [];
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) problems.push(`name "${tool.name}" is not 1-64 of a-z A-Z 0-9 _ -`);
  if (tool.inputSchema.type !== 'object') problems.push('/: the root must be an object');
  let properties = 0;
  walk(tool.inputSchema, (node, pointer, depth) => {
    const at = pointer || '/';
    for (const keyword of Object.keys(node)) if (!openAiStrictKeywords.has(keyword)) problems.push(`${at}: keyword "${keyword}" is not supported`);
    if (typeof node.format === 'string' && !openAiStrictFormats.has(node.format)) problems.push(`${at}: format "${node.format}" is not supported`);
    if (!('type' in node || 'anyOf' in node || '$ref' in node || 'enum' in node || 'const' in node)) problems.push(`${at}: has no type`);
    if (depth > openAiLimits.depth) problems.push(`${at}: nested deeper than ${openAiLimits.depth} levels`);
    if (isObjectNode(node)) {
      if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties must be false`);
      const names = isSchema(node.properties) ? Object.keys(node.properties) : [];
      properties += names.length;
      const required = new Set(Array.isArray(node.required) ? node.required : []);
      const optional = names.filter((name) => !required.has(name));
      if (optional.length > 0) problems.push(`${at}: every property must be required (optional: ${optional.slice(0, 3).join(', ')}${optional.length > 3 ? ', ...' : ''})`);
    }
  });
  if (properties > openAiLimits.properties) problems.push(`/: more than ${openAiLimits.properties} properties`);
  return problems;
};

/** Gemini: only the fields of its Schema object, one type per schema (nullable instead of type arrays), objects with properties, string enums. */
export const checkGemini: ProfileCheck = (tool) => {
  const problems: string[] = [];
  if (!/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/.test(tool.name)) problems.push(`name "${tool.name}" must start with a letter or "_" and be at most 64 of a-z A-Z 0-9 _ . : -`);
  const parameters = isSchema(tool.inputSchema.properties) ? Object.keys(tool.inputSchema.properties) : [];
  for (const name of parameters) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/.test(name)) problems.push(`parameter "${name}" must start with a letter or "_" and be at most 64 of a-z A-Z 0-9 _`);
  }
  walk(tool.inputSchema, (node, pointer) => {
    const at = pointer || '/';
    for (const keyword of Object.keys(node)) if (!geminiKeywords.has(keyword)) problems.push(`${at}: keyword "${keyword}" is not supported`);
    if (Array.isArray(node.type)) problems.push(`${at}: type must be one type, not a list`);
    if (Array.isArray(node.enum) && node.enum.some((value) => typeof value !== 'string')) problems.push(`${at}: enum values must be strings`);
    if (node.type === 'object' && pointer !== '' && !(isSchema(node.properties) && Object.keys(node.properties).length > 0)) {
      problems.push(`${at}: an object must list its properties`);
    }
  });
  return problems;
};

/** Cursor: the server's name and the tool's name together within 60 characters. */
export const checkCursor: ProfileCheck = (tool, { serverName }) =>
  serverName.length + 1 + tool.name.length > cursorNameBudget
    ? [`name "${tool.name}" with server "${serverName}" is over ${cursorNameBudget} characters`]
    : [];
