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
  const root = tool.inputSchema;
  return transform({ value: structuredClone(args), schema: root, pointer: '', root, absent, jsonText, depth: 0 }) as { [name: string]: unknown };
}

type Step = { value: unknown; schema: unknown; pointer: string; root: Schema; absent: Set<string>; jsonText: Set<string>; depth: number };

function transform(step: Step): unknown {
  const { pointer, root, depth } = step;
  let { value } = step;
  let schema = step.schema as Schema | undefined;
  let at = pointer;
  const ref = schema?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const name = ref.slice('#/$defs/'.length);
    schema = (root.$defs as { [name: string]: Schema } | undefined)?.[name];
    at = `/$defs/${name}`;
  }
  if (!schema || depth > 32) return value;
  if (typeof value === 'string' && step.jsonText.has(at)) {
    try {
      return JSON.parse(value);
    } catch {
      // In a union, the text may be meant for another branch; anywhere else it must be JSON.
      if (/\/anyOf\/\d+$/.test(at)) return value;
      throw new RequestError(`${describe(at)}: must be JSON written as text, e.g. {"key":"value"}`);
    }
  }
  const next = (child: Partial<Step>): unknown => transform({ ...step, ...child, depth: depth + 1 });
  if (Array.isArray(schema.anyOf)) schema.anyOf.forEach((branch, index) => (value = next({ value, schema: branch, pointer: `${at}/anyOf/${index}` })));
  if (Array.isArray(value)) return value.map((item) => next({ value: item, schema: schema!.items, pointer: `${at}/items` }));
  if (value === null || typeof value !== 'object') return value;
  const record = value as { [key: string]: unknown };
  const properties = (schema.properties ?? {}) as { [name: string]: unknown };
  for (const [key, item] of Object.entries(record)) {
    if (!(key in properties)) continue;
    const childPointer = `${at}/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (item === null && step.absent.has(childPointer)) delete record[key];
    else record[key] = next({ value: item, schema: properties[key], pointer: childPointer });
  }
  return record;
}

/** A schema location as the argument path a model understands: `/properties/filter/properties/tags` → `filter.tags`. */
function describe(pointer: string): string {
  const names = [...pointer.matchAll(/\/properties\/([^/]+)/g)].map((match) => match[1]!.replace(/~1/g, '/').replace(/~0/g, '~'));
  return names.join('.') || 'arguments';
}
