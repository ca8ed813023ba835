import type { ToolDefinition } from './definition.js';
import { RequestError } from './request.js';

type Schema = { [keyword: string]: unknown };

/**
 * Undoes what a client profile did to the input schema, so the request is the one the API expects: a null
 * where the profile made an optional argument nullable means "not sent", and an argument the profile turned
 * into JSON text is parsed back into its object. Returns new arguments; throws a `RequestError` for JSON
 * text that does not parse.
 */
export function prepareArguments(tool: ToolDefinition, args: { [name: string]: unknown }): { [name: string]: unknown } {
  const absent = new Set(tool.nullMeansAbsent ?? []);
  const jsonText = new Set(tool.jsonTextArguments ?? []);
  if (absent.size === 0 && jsonText.size === 0) return args;
  const copy = structuredClone(args);
  walk({ value: copy, schema: tool.inputSchema, pointer: '', root: tool.inputSchema, absent, jsonText, depth: 0 });
  return copy;
}

type Walk = { value: unknown; schema: unknown; pointer: string; root: Schema; absent: Set<string>; jsonText: Set<string>; depth: number };

function walk(step: Walk): void {
  const { value, pointer, root, depth } = step;
  if (depth > 32 || value === null || typeof value !== 'object') return;
  let schema = step.schema as Schema | undefined;
  let at = pointer;
  const ref = schema?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const name = ref.slice('#/$defs/'.length);
    schema = (root.$defs as { [name: string]: Schema } | undefined)?.[name];
    at = `/$defs/${name}`;
  }
  if (!schema) return;
  const next = (child: Partial<Walk>) => walk({ ...step, ...child, depth: depth + 1 });
  (Array.isArray(schema.anyOf) ? schema.anyOf : []).forEach((branch, index) => next({ schema: branch, pointer: `${at}/anyOf/${index}` }));
  if (Array.isArray(value)) {
    for (const item of value) next({ value: item, schema: schema.items, pointer: `${at}/items` });
    return;
  }
  const record = value as { [key: string]: unknown };
  const properties = (schema.properties ?? {}) as { [name: string]: unknown };
  for (const [key, item] of Object.entries(record)) {
    if (!(key in properties)) continue;
    const childPointer = `${at}/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (item === null && step.absent.has(childPointer)) delete record[key];
    else if (typeof item === 'string' && step.jsonText.has(childPointer)) record[key] = parseJsonText(key, item);
    else next({ value: item, schema: properties[key], pointer: childPointer });
  }
}

function parseJsonText(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError(`${name}: must be a JSON object written as text, e.g. {"key":"value"}`);
  }
}
