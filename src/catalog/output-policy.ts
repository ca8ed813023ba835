import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';

/**
 * How much of a response's schema a tool declares as its `outputSchema`: `compact` (the default) lists the
 * top-level fields with their types, and the fields of list items one level down; `full` translates the
 * whole schema (within a size budget); `none` declares no output schema, and the result is text.
 */
export type OutputSchemaPolicy = 'compact' | 'full' | 'none';

/** `lenient` (the default) returns a response that strays from the schema anyway; `strict` makes it an error result. */
export type OutputValidation = 'lenient' | 'strict';

type Schema = { [key: string]: JsonValue };

/**
 * How deep a response schema is translated for its compact form, which reads the root's fields, the items of a
 * field that is a list, and their fields' types: deeper levels would be translated only to be dropped.
 */
export const compactTranslationDepth = 3;

/**
 * Where a node sits in the compact form: the root lists its fields; a field lists nothing below it unless it
 * is an array, whose items list their own fields (one level: those are leaves).
 */
type Position = 'root' | 'field' | 'item' | 'leaf';

/**
 * The compact form of a translated output schema: types and properties only (no descriptions, examples,
 * formats or value constraints, which cost tokens and make real responses fail), every object open to
 * more fields, nested objects reduced to `{"type":"object"}` except the items of an array, whose fields
 * are kept one level. `$ref`s into `$defs` are followed and the `$defs` dropped. `wrappedProperty` names
 * the property that holds a response which is not a plain object: it is compacted as the response itself.
 */
export function compactOutputSchema(schema: JsonSchema, wrappedProperty?: string): JsonSchema {
  const defs = (schema.$defs ?? {}) as { [name: string]: Schema };
  const compact = compactNode(schema, 'root', defs, 0);
  const properties = schema.properties as { [name: string]: JsonValue } | undefined;
  if (wrappedProperty === undefined || properties?.[wrappedProperty] === undefined) return compact;
  // A value wrapped because it is not a plain object (a list, a union of objects) is the response itself.
  return { ...compact, properties: { ...(compact.properties as Schema), [wrappedProperty]: compactNode(properties[wrappedProperty], 'root', defs, 0) } };
}

function compactNode(node: unknown, position: Position, defs: { [name: string]: Schema }, refs: number): Schema {
  const schema = resolve(node, defs, refs);
  if (!schema) return {};
  const types = typesOf(schema, defs, refs);
  const result: Schema = {};
  if (types.length === 1) result.type = types[0]!;
  else if (types.length > 1) result.type = types;
  const properties = propertiesOf(schema, defs, refs);
  const isObject = types.includes('object') || (types.length === 0 && properties !== undefined);
  if (isObject && types.length === 0) result.type = 'object';
  if (isObject && properties && (position === 'root' || position === 'item')) {
    const childPosition = position === 'root' ? 'field' : 'leaf';
    result.properties = Object.fromEntries(Object.entries(properties).map(([name, child]) => [name, compactNode(child, childPosition, defs, refs)]));
  }
  if (types.includes('array') && position !== 'leaf') {
    const items = itemsOf(schema, defs, refs);
    const compacted = items === undefined ? {} : compactNode(items, position === 'item' ? 'leaf' : 'item', defs, refs);
    if (Object.keys(compacted).length > 0) result.items = compacted;
  }
  return result;
}

function resolve(node: unknown, defs: { [name: string]: Schema }, refs: number): Schema | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const schema = node as Schema;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    if (refs > 3) return undefined;
    return resolve(defs[ref.slice('#/$defs/'.length)], defs, refs + 1);
  }
  return schema;
}

const typeOrder = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null'];

/** The JSON types a schema allows, also through `anyOf`/`oneOf`/`allOf`; empty when any type is allowed. */
function typesOf(schema: Schema, defs: { [name: string]: Schema }, refs: number): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return sortTypes(schema.type.filter((type): type is string => typeof type === 'string'));
  const branches = (schema.anyOf ?? schema.oneOf) as JsonValue[] | undefined;
  if (Array.isArray(branches)) {
    const all = new Set<string>();
    for (const branch of branches) {
      const resolved = resolve(branch, defs, refs);
      const types = resolved ? typesOf(resolved, defs, refs) : [];
      if (types.length === 0) return [];
      for (const type of types) all.add(type);
    }
    if (all.has('integer') && all.has('number')) all.delete('integer');
    return sortTypes([...all]);
  }
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf) {
      const resolved = resolve(member, defs, refs);
      const types = resolved ? typesOf(resolved, defs, refs) : [];
      if (types.length > 0) return types;
    }
  }
  return [];
}

function sortTypes(types: string[]): string[] {
  return [...new Set(types)].sort((a, b) => typeOrder.indexOf(a) - typeOrder.indexOf(b));
}

/** The properties of an object schema, merged over `allOf` members and over `anyOf`/`oneOf` branches. */
function propertiesOf(schema: Schema, defs: { [name: string]: Schema }, refs: number): { [name: string]: JsonValue } | undefined {
  const merged: { [name: string]: JsonValue } = {};
  let found = false;
  const add = (source: Schema | undefined): void => {
    if (!source) return;
    const properties = source.properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) {
      found = true;
      for (const [name, child] of Object.entries(properties)) {
        const known = merged[name];
        merged[name] = known === undefined || sameSchema(known, child) ? child : {};
      }
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const members = source[keyword];
      if (Array.isArray(members)) for (const member of members) add(resolve(member, defs, refs));
    }
  };
  add(schema);
  return found ? merged : undefined;
}

function itemsOf(schema: Schema, defs: { [name: string]: Schema }, refs: number): JsonValue | undefined {
  if (schema.items !== undefined) return schema.items;
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = schema[keyword];
    if (!Array.isArray(members)) continue;
    for (const member of members) {
      const resolved = resolve(member, defs, refs);
      const items = resolved ? itemsOf(resolved, defs, refs) : undefined;
      if (items !== undefined) return items;
    }
  }
  return undefined;
}

function sameSchema(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
