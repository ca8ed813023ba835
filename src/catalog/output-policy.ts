import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';
import { compareRanks, fieldRank, fieldWeight, isWorthListing, listFields, type FieldFacts } from './field-priority.js';
import { tokenUpperBound } from './token-bound.js';
import { countTextTokens } from './tokenizer.js';

/**
 * How much of a response's schema a tool declares as its `outputSchema`: `compact` (the default) lists the
 * top-level fields with their types, and the fields of list items one level down; `full` translates the
 * whole schema (within a size budget); `none` declares no output schema, and the result is text.
 */
export type OutputSchemaPolicy = 'compact' | 'full' | 'none';

/** `lenient` (the default) returns a response that strays from the schema anyway; `strict` makes it an error result. */
export type OutputValidation = 'lenient' | 'strict';

type Schema = { [key: string]: JsonValue };

/** The tokens a compact output schema may cost unless toolwright.yaml sets `outputSchemaTokens`. */
export const defaultOutputSchemaTokens = 150;

/** What toolwright.yaml says about output schema tokens, globally or for one tool. */
type TokenSetting = { outputSchemaTokens?: number } | undefined;

/** The token budget of a tool's compact output schema: its own setting, else the global one, else the default. */
export function outputSchemaTokensOf(global: TokenSetting, tool: TokenSetting): number {
  return tool?.outputSchemaTokens ?? global?.outputSchemaTokens ?? defaultOutputSchemaTokens;
}

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

/** How a compact output schema is made. */
export type CompactOptions = {
  /** The property that holds a response which is not a plain object: it is compacted as the response itself. */
  wrappedProperty?: string;
  /** The most tokens the schema may cost (o200k, as serialised in tools/list); unbounded when absent. */
  tokens?: number;
  /** The tool's description: fields it names are kept before others of their kind. */
  description?: string;
};

/** What is known of each compacted field while it is ranked: everything but whether the description names it. */
type Facts = WeakMap<Schema, Omit<FieldFacts, 'mentioned'>>;
type Walk = { defs: { [name: string]: Schema }; facts: Facts };

/**
 * The compact form of a translated output schema: types and properties only (no descriptions, examples,
 * formats or value constraints, which cost tokens and make real responses fail), every object open to
 * more fields, nested objects reduced to `{"type":"object"}` except the items of an array, whose fields
 * are kept one level. `$ref`s into `$defs` are followed and the `$defs` dropped. With a token budget,
 * bookkeeping and deprecated fields are left out and the others kept by rank (see `fieldRank`) until it is
 * spent; the fields left out are still accepted, as every object stays open and nothing is required.
 */
export function compactOutputSchema(schema: JsonSchema, { wrappedProperty, tokens, description }: CompactOptions = {}): JsonSchema {
  const compacted = compactedOf(schema, wrappedProperty);
  if (tokens === undefined) return compacted.compact;
  const words = wordsOf(description ?? '');
  const mentioned = compacted.names.filter((name) => words.has(name));
  const key = JSON.stringify([tokens, mentioned]);
  let fitted = compacted.fitted.get(key);
  if (fitted === undefined) {
    fitted = fitToTokens({ compact: compacted.compact, wrappedProperty: compacted.wrapped ? wrappedProperty : undefined, tokens, facts: compacted.facts, mentioned: new Set(mentioned) });
    compacted.fitted.set(key, fitted);
  }
  return fitted;
}

/**
 * A response schema compacted, with what ranking its fields needs, and its fits to budgets so far (by budget
 * and the fields a description names). Many tools share a response schema: each is compacted and fitted once.
 * Results are shared, never changed: the catalog copies what it keeps.
 */
type Compacted = { compact: Schema; wrapped: boolean; facts: Facts; names: string[]; fitted: Map<string, JsonSchema> };
const compactions = new WeakMap<JsonSchema, Map<string, Compacted>>();

function compactedOf(schema: JsonSchema, wrappedProperty: string | undefined): Compacted {
  const byWrapper = compactions.get(schema) ?? new Map<string, Compacted>();
  compactions.set(schema, byWrapper);
  const known = byWrapper.get(wrappedProperty ?? '');
  if (known) return known;
  const walk: Walk = { defs: (schema.$defs ?? {}) as { [name: string]: Schema }, facts: new WeakMap() };
  let compact = compactNode(schema, 'root', walk, 0);
  const properties = schema.properties as { [name: string]: JsonValue } | undefined;
  const wrapped = wrappedProperty !== undefined && properties?.[wrappedProperty] !== undefined;
  // A value wrapped because it is not a plain object (a list, a union of objects) is the response itself.
  if (wrapped) compact = { ...compact, properties: { ...(compact.properties as Schema), [wrappedProperty]: compactNode(properties[wrappedProperty], 'root', walk, 0) } };
  const body = wrapped ? ((compact.properties as { [name: string]: Schema })[wrappedProperty] ?? {}) : compact;
  const entry: Compacted = { compact, wrapped, facts: walk.facts, names: fieldNames(body), fitted: new Map() };
  byWrapper.set(wrappedProperty ?? '', entry);
  return entry;
}

/** The names of a compacted response's fields and of its lists' item fields. */
function fieldNames(body: Schema): string[] {
  const names = new Set<string>();
  const properties = body.properties as { [name: string]: Schema } | undefined;
  for (const [name, node] of Object.entries(properties ?? {})) {
    names.add(name);
    for (const child of Object.keys(itemsProperties(node) ?? {})) names.add(child);
  }
  for (const child of Object.keys(itemsProperties(body) ?? {})) names.add(child);
  return [...names].sort();
}

function compactNode(node: unknown, position: Position, walk: Walk, refs: number): Schema {
  const { defs } = walk;
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
    const required = requiredOf(schema, defs, refs);
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([name, child], index) => {
        const compacted = compactNode(child, childPosition, walk, refs);
        walk.facts.set(compacted, { name, index, required: required.has(name), nullable: [compacted.type].flat().includes('null'), deprecated: isDeprecated(child, defs, refs), kind: kindOf(compacted) });
        return [name, compacted];
      }),
    );
  }
  if (types.includes('array') && position !== 'leaf') {
    const items = itemsOf(schema, defs, refs);
    const compacted = items === undefined ? {} : compactNode(items, position === 'item' ? 'leaf' : 'item', walk, refs);
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
  // Without a prototype, so that fields named `__proto__` or `constructor` are fields like any other.
  const merged: { [name: string]: JsonValue } = Object.create(null) as { [name: string]: JsonValue };
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

/** The names `required` lists for an object schema, also through `allOf` members. */
function requiredOf(schema: Schema, defs: { [name: string]: Schema }, refs: number): Set<string> {
  const names = new Set<string>();
  const add = (source: Schema | undefined, depth: number): void => {
    if (!source) return;
    if (Array.isArray(source.required)) for (const name of source.required) if (typeof name === 'string') names.add(name);
    if (depth < 4 && Array.isArray(source.allOf)) for (const member of source.allOf) add(resolve(member, defs, refs), depth + 1);
  };
  add(schema, 0);
  return names;
}

function isDeprecated(node: unknown, defs: { [name: string]: Schema }, refs: number): boolean {
  const schema = resolve(node, defs, refs);
  if (!schema) return false;
  return schema.deprecated === true || (typeof schema.description === 'string' && /^\s*(\[deprecated\]|deprecated\b)/i.test(schema.description));
}

function kindOf(compacted: Schema): FieldFacts['kind'] {
  const types = [compacted.type ?? []].flat();
  if (types.some((type) => type === 'string' || type === 'integer' || type === 'number' || type === 'boolean')) return 'scalar';
  if (types.includes('array')) return 'array';
  return types.includes('object') ? 'object' : 'any';
}

function wordsOf(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []);
}

/**
 * A field that may be kept: where it sits (`key`, see `keyOf`), its compact schema, the list field whose
 * items it belongs to (`gate`), its rank, and whether it is worth listing at all.
 */
type Candidate = { key: string; name: string; node: Schema; gate?: Candidate; rank: number[]; worth: boolean };

/** Fields of list items rank with the response's own fields when the list holds the response's records. */
const level = { own: 0, nested: 1 } as const;

/**
 * The compact schema within `tokens`: without bookkeeping fields when that fits, otherwise the skeleton and
 * then each field worth listing in rank order while it still fits (a field of list items brings its list
 * field along), checked against the count of the whole schema. The tokenizer is only loaded when an upper
 * bound of the schema's tokens (see `tokenUpperBound`) is over the budget.
 */
function fitToTokens({ compact, wrappedProperty, tokens, facts, mentioned }: { compact: Schema; wrappedProperty: string | undefined; tokens: number; facts: Facts; mentioned: Set<string> }): JsonSchema {
  const body = wrappedProperty === undefined ? compact : ((compact.properties as { [name: string]: Schema })[wrappedProperty] ?? {});
  const assemble = (kept: Set<string>): JsonSchema => {
    const pruned = pruneBody(body, kept);
    return wrappedProperty === undefined ? pruned : { ...compact, properties: { ...(compact.properties as Schema), [wrappedProperty]: pruned } };
  };
  const within = (schema: JsonSchema): boolean => {
    const text = JSON.stringify(schema);
    return tokenUpperBound(text) <= tokens || countTextTokens(text) <= tokens;
  };
  const candidates = candidatesOf(body, facts, mentioned).filter((candidate) => candidate.worth && (!candidate.gate || candidate.gate.worth));
  const whole = assemble(new Set(candidates.map((candidate) => candidate.key)));
  if (within(whole)) return whole;
  const kept = new Set<string>();
  const order: Candidate[] = [];
  let spent = countTextTokens(JSON.stringify(assemble(kept)));
  for (const candidate of candidates) {
    if (kept.has(candidate.key)) continue;
    const gate = candidate.gate && !kept.has(candidate.gate.key) ? candidate.gate : undefined;
    const cost = costOf(candidate) + (gate ? costOf(gate) : 0);
    if (spent + cost > tokens) continue;
    for (const taken of gate ? [gate, candidate] : [candidate]) {
      kept.add(taken.key);
      order.push(taken);
    }
    spent += cost;
  }
  let fitted = assemble(kept);
  while (order.length > 0 && !within(fitted)) {
    kept.delete(order.pop()!.key);
    fitted = assemble(kept);
  }
  return fitted;
}

/** Where a field sits: its name, after the list field whose items hold it, or after null for the items of a response that is a list. */
const keyOf = (path: (string | null)[]): string => JSON.stringify(path);

function itemsProperties(node: Schema): { [name: string]: Schema } | undefined {
  const items = node.items;
  if (items === null || typeof items !== 'object' || Array.isArray(items)) return undefined;
  const properties = items.properties;
  return properties && typeof properties === 'object' && !Array.isArray(properties) ? (properties as { [name: string]: Schema }) : undefined;
}

/** Every field of a compacted response in rank order: its own fields, and the fields of the items of its lists. */
function candidatesOf(body: Schema, facts: Facts, mentioned: Set<string>): Candidate[] {
  const candidates: Candidate[] = [];
  const add = ({ path, node, index, gate, at, records = false }: { path: (string | null)[]; node: Schema; index: number; gate?: Candidate; at: number; records?: boolean }): Candidate => {
    const name = path[path.length - 1]!;
    const known = facts.get(node) ?? { name, index, required: false, nullable: false, deprecated: false, kind: kindOf(node) };
    const rank = records ? [at, -1] : [at, ...fieldRank({ ...known, index, mentioned: mentioned.has(name) }, fieldWeight(name, [node.type ?? []].flat() as string[]))];
    const candidate: Candidate = { key: keyOf(path), name, node, rank, worth: records || isWorthListing(known), ...(gate ? { gate } : {}) };
    candidates.push(candidate);
    return candidate;
  };
  const properties = body.properties as { [name: string]: Schema } | undefined;
  if (properties && typeof properties === 'object') {
    const names = Object.keys(properties);
    const lists = names.filter((name) => itemsProperties(properties[name]!) !== undefined);
    names.forEach((name, index) => {
      const node = properties[name]!;
      const children = itemsProperties(node);
      const records = children !== undefined && ((listFields as readonly string[]).includes(name) || (lists.length === 1 && names.length <= 4));
      const gate = add({ path: [name], node, index, at: level.own, records });
      Object.entries(children ?? {}).forEach(([child, childNode], childIndex) =>
        add({ path: [name, child], node: childNode, index: childIndex, gate, at: records ? level.own : level.nested }),
      );
    });
  }
  Object.entries(itemsProperties(body) ?? {}).forEach(([name, node], index) => add({ path: [null, name], node, index, at: level.own }));
  return candidates.sort((a, b) => compareRanks(a.rank, b.rank));
}

/** The response's compact schema with only the kept fields (by `keyOf` path); a list whose item fields are all left out keeps its item type. */
function pruneBody(body: Schema, kept: Set<string>): Schema {
  const pruned: Schema = { ...body };
  const keepItems = (node: Schema, gate: string | null): Schema => {
    const children = itemsProperties(node);
    if (!children) return node;
    const { properties: _all, ...items } = node.items as Schema;
    const chosen = Object.entries(children).filter(([child]) => kept.has(keyOf([gate, child])));
    return { ...node, items: chosen.length > 0 ? { ...items, properties: Object.fromEntries(chosen) } : items };
  };
  const properties = body.properties as { [name: string]: Schema } | undefined;
  if (properties && typeof properties === 'object') {
    pruned.properties = Object.fromEntries(Object.entries(properties).flatMap(([name, node]) => (kept.has(keyOf([name])) ? [[name, keepItems(node, name)]] : [])));
  }
  return itemsProperties(body) ? keepItems(pruned, null) : pruned;
}

/** Tokens a field adds to a schema alone (its items' fields are candidates of their own), remembered across tools. */
const costs = new Map<string, number>();
/** A field is costed between two others: tokens merge across the quotes and braces at its edges. */
const costContext = ['{"properties":{"id":{"type":"string"},', '"id":{"type":"string"}}}'] as const;
let contextTokens: number | undefined;

function costOf({ name, node }: Candidate): number {
  const { properties: _children, ...items } = (itemsProperties(node) ? node.items : {}) as Schema;
  const text = `${JSON.stringify(name)}:${JSON.stringify(itemsProperties(node) ? { ...node, items } : node)},`;
  let cost = costs.get(text);
  if (cost === undefined) {
    if (costs.size > 50_000) costs.clear();
    contextTokens ??= countTextTokens(costContext.join(''));
    cost = countTextTokens(`${costContext[0]}${text}${costContext[1]}`) - contextTokens;
    costs.set(text, cost);
  }
  return cost;
}
