import { resolvePointer } from '../errors.js';
import {
  allowedValues,
  annotationKeywords,
  branchKeywords,
  canonicalJson,
  compareAllowedValues,
  compareAnnotations,
  compareBounds,
  compareOtherKeywords,
  compareStrings,
  compareTypes,
  genericChange,
  push,
  same,
  typeList,
  type Context,
  type Schema,
  type SchemaChange,
} from './schema-changes.js';
import type { JsonSchema, JsonValue } from './types.js';

const maxDepth = 64;

/**
 * Compares two JSON Schema 2020-12 documents as tool input schemas and lists what changed, with each
 * change classified as `breaking` (a call that was valid may now be refused), `compatible` (every valid
 * call stays valid) or `info` (annotations only). Local `$ref`s are followed, recursion is cut at the
 * first repeated pair of references, and changes that cannot be classified are reported as breaking.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation
 */
export function compareSchemas({ before, after }: { before: JsonSchema; after: JsonSchema }): SchemaChange[] {
  const context: Context = { beforeRoot: before, afterRoot: after, changes: [], active: new Set() };
  compareNode(context, before, after, '', 0);
  return context.changes;
}

function asSchema(value: JsonValue | undefined): Schema {
  if (value === false) return { not: {} };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  return {};
}

/** Follows local `$ref`s (merging sibling keywords over the target); returns the schema and the refs taken. */
function resolve(root: Schema, schema: Schema): { schema: Schema; refs: string[] } {
  let current = schema;
  const refs: string[] = [];
  while (typeof current.$ref === 'string' && current.$ref.startsWith('#') && refs.length < 16) {
    const ref: string = current.$ref;
    const target = resolvePointer(root, ref);
    if (target === null || typeof target !== 'object' || Array.isArray(target)) break;
    refs.push(ref);
    const { $ref: _ref, ...siblings } = current;
    current = { ...(target as Schema), ...siblings };
  }
  return { schema: current, refs };
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function compareNode(context: Context, beforeValue: JsonValue | undefined, afterValue: JsonValue | undefined, path: string, depth: number): void {
  if (depth > maxDepth) return;
  const before = resolve(context.beforeRoot, asSchema(beforeValue));
  const after = resolve(context.afterRoot, asSchema(afterValue));
  const key = before.refs.length > 0 || after.refs.length > 0 ? `${before.refs.join(' ')}|${after.refs.join(' ')}` : undefined;
  if (key !== undefined) {
    if (context.active.has(key)) return;
    context.active.add(key);
  }
  try {
    compareResolved(context, before.schema, after.schema, path, depth);
  } finally {
    if (key !== undefined) context.active.delete(key);
  }
}

function compareResolved(context: Context, before: Schema, after: Schema, path: string, depth: number): void {
  if (compareUnion(context, before, after, path, depth)) return;
  compareAnnotations(context, before, after, path);
  if (!compareTypes(context, before, after, path)) return;
  compareAllowedValues(context, before, after, path);
  compareBounds(context, before, after, path);
  compareStrings(context, before, after, path);
  compareProperties(context, before, after, path, depth);
  compareAdditionalProperties(context, before, after, path, depth);
  compareItems(context, before, after, path, depth);
  compareBranches(context, before, after, path, depth);
  compareOtherKeywords(context, before, after, path);
}

function unionKeyword(schema: Schema): 'anyOf' | 'oneOf' | undefined {
  return (['anyOf', 'oneOf'] as const).find((keyword) => Array.isArray(schema[keyword]));
}

function onlyAnnotations(schema: Schema): boolean {
  return Object.keys(schema).every((keyword) => keyword === 'description' || keyword === 'default' || annotationKeywords.has(keyword) || keyword.startsWith('x-'));
}

type Alternatives = { keyword?: 'anyOf' | 'oneOf'; base: Schema; alternatives: Schema[] };

/**
 * A schema as a list of alternatives: the branches of its `anyOf` or `oneOf` (each merged with the
 * annotations beside it), or, for a schema with several types, one alternative per type. Undefined when
 * the union has validation keywords other than `type` beside it, which this comparison does not reason about.
 */
function alternativesOf(schema: Schema): Alternatives | undefined {
  const keyword = unionKeyword(schema);
  if (keyword) {
    const { [keyword]: branches, ...base } = schema;
    const { type: _type, ...rest } = base;
    if (!onlyAnnotations(rest)) return undefined;
    return { keyword, base, alternatives: (branches as JsonValue[]).map((branch) => ({ ...base, ...asSchema(branch) })) };
  }
  const types = typeList(schema);
  if (types && types.length > 1) {
    return { base: schema, alternatives: types.map((type) => (type === 'null' ? { type } : { ...schema, type })) };
  }
  return { base: schema, alternatives: [schema] };
}

/**
 * What identifies a branch of a union across versions: its title, or the property it is told apart by
 * (one with a single allowed value, as discriminated unions have).
 */
function signatureOf(schema: Schema): string | undefined {
  if (typeof schema.title === 'string') return `title:${schema.title}`;
  for (const [name, property] of Object.entries(propertiesOf(schema))) {
    const values = allowedValues(asSchema(property));
    if (values?.length === 1) return `${name}=${canonicalJson(values[0])}`;
  }
  return undefined;
}

function withoutAnnotations(schema: Schema): Schema {
  const { description: _description, default: _default, ...rest } = schema;
  return rest;
}

function typesOf(alternatives: Schema[]): JsonValue | undefined {
  const types = alternatives.map(typeList);
  if (types.some((list) => list === undefined)) return undefined;
  const unique = [...new Set(types.flat() as string[])];
  return unique.length === 1 ? unique[0] : unique;
}

/**
 * Compares schemas of which at least one is a union (`anyOf`/`oneOf`) alternative by alternative: an
 * old alternative that some new one accepts whole is kept (and compared with it when that one is new);
 * one that no new alternative accepts is removed (breaking); new alternatives left over are added
 * (compatible). So `string` → `oneOf: [string, object]` is a widening and `[string, null]` →
 * `oneOf: [string, object, null]` too. Returns false when neither side is a union it can read.
 */
function compareUnion(context: Context, before: Schema, after: Schema, path: string, depth: number): boolean {
  if (!unionKeyword(before) && !unionKeyword(after)) return false;
  const was = alternativesOf(before);
  const is = alternativesOf(after);
  if (!was || !is) return false;
  const breaks = (old: Schema, current: Schema) => {
    const trial: Context = { ...context, changes: [], active: new Set(context.active) };
    compareNode(trial, old, current, path, depth + 1);
    return trial.changes.some((change) => change.severity === 'breaking');
  };
  compareAnnotations(context, was.base, is.base, path);
  const afterKeys = is.alternatives.map((alternative) => canonicalJson(withoutAnnotations(alternative)));
  const paired = new Set<number>();
  const unmatched: number[] = [];
  was.alternatives.forEach((alternative, index) => {
    const exact = afterKeys.indexOf(canonicalJson(withoutAnnotations(alternative)));
    if (exact >= 0) paired.add(exact);
    else unmatched.push(index);
  });
  const rejected: number[] = [];
  for (const index of unmatched) {
    const old = was.alternatives[index]!;
    const candidates = is.alternatives.map((_, j) => j).sort((a, b) => Number(paired.has(a)) - Number(paired.has(b)));
    const accepting = candidates.find((j) => !breaks(old, is.alternatives[j]!));
    if (accepting === undefined) rejected.push(index);
    else if (!paired.has(accepting)) {
      paired.add(accepting);
      compareNode(context, withoutAnnotations(old), withoutAnnotations(is.alternatives[accepting]!), path, depth + 1);
    }
  }
  const compareAlternatives = (index: number, j: number) =>
    compareNode(context, withoutAnnotations(was.alternatives[index]!), withoutAnnotations(is.alternatives[j]!), path, depth + 1);
  for (const index of [...rejected]) {
    const signature = signatureOf(was.alternatives[index]!);
    const j = signature === undefined ? -1 : is.alternatives.findIndex((alternative, j) => !paired.has(j) && signatureOf(alternative) === signature);
    if (j < 0) continue;
    paired.add(j);
    rejected.splice(rejected.indexOf(index), 1);
    compareAlternatives(index, j);
  }
  const left = is.alternatives.map((_, j) => j).filter((j) => !paired.has(j));
  if (rejected.length > 0 && rejected.length === left.length) {
    rejected.forEach((index, i) => compareAlternatives(index, left[i]!));
    return true;
  }
  if (rejected.length > 0) {
    if (was.keyword) for (const index of rejected) push(context, { kind: 'branch-removed', severity: 'breaking', path, keyword: was.keyword, before: index });
    else push(context, { kind: 'type-narrowed', severity: 'breaking', path, before: before.type, after: typesOf(is.alternatives) });
  }
  if (left.length > 0) {
    if (is.keyword) for (const index of left) push(context, { kind: 'branch-added', severity: 'compatible', path, keyword: is.keyword, after: index });
    else push(context, { kind: 'type-widened', severity: 'compatible', path, before: typesOf(was.alternatives), after: after.type });
  }
  return true;
}

function propertiesOf(schema: Schema): Schema {
  const properties = schema.properties;
  return properties !== null && typeof properties === 'object' && !Array.isArray(properties) ? properties : {};
}

function requiredOf(schema: Schema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : []);
}

function compareProperties(context: Context, before: Schema, after: Schema, path: string, depth: number): void {
  const beforeProperties = propertiesOf(before);
  const afterProperties = propertiesOf(after);
  const beforeRequired = requiredOf(before);
  const afterRequired = requiredOf(after);
  const names = [...new Set([...Object.keys(beforeProperties), ...Object.keys(afterProperties)])];
  for (const name of names) {
    const where = child(path, name);
    if (!Object.hasOwn(afterProperties, name)) {
      push(context, { kind: 'property-removed', severity: 'breaking', path: where });
    } else if (!Object.hasOwn(beforeProperties, name)) {
      const required = afterRequired.has(name);
      push(context, { kind: required ? 'required-property-added' : 'optional-property-added', severity: required ? 'breaking' : 'compatible', path: where });
    } else {
      compareRequired(context, beforeRequired.has(name), afterRequired.has(name), where);
      compareNode(context, beforeProperties[name], afterProperties[name], where, depth + 1);
    }
  }
  for (const name of new Set([...beforeRequired, ...afterRequired])) {
    if (!names.includes(name)) compareRequired(context, beforeRequired.has(name), afterRequired.has(name), child(path, name));
  }
}

function compareRequired(context: Context, was: boolean, is: boolean, path: string): void {
  if (!was && is) push(context, { kind: 'property-became-required', severity: 'breaking', path });
  if (was && !is) push(context, { kind: 'property-became-optional', severity: 'compatible', path });
}

function compareAdditionalProperties(context: Context, before: Schema, after: Schema, path: string, depth: number): void {
  const was = before.additionalProperties;
  const is = after.additionalProperties;
  const state = (value: JsonValue | undefined) => (value === false ? 'closed' : value === undefined || value === true ? 'open' : 'schema');
  const [from, to] = [state(was), state(is)];
  if (from === 'open' && to === 'open') return;
  if (to === 'closed' && from !== 'closed') push(context, { kind: 'additional-properties-closed', severity: 'breaking', path });
  else if (from === 'closed' && to !== 'closed') push(context, { kind: 'additional-properties-opened', severity: 'compatible', path });
  else if (from !== 'closed') compareNode(context, was, is, child(path, '*'), depth + 1);
}

function compareItems(context: Context, before: Schema, after: Schema, path: string, depth: number): void {
  if ('items' in before || 'items' in after) compareNode(context, before.items, after.items, `${path}[]`, depth + 1);
  const beforeTuple = Array.isArray(before.prefixItems) ? before.prefixItems : [];
  const afterTuple = Array.isArray(after.prefixItems) ? after.prefixItems : [];
  for (let index = 0; index < Math.max(beforeTuple.length, afterTuple.length); index++) {
    compareNode(context, beforeTuple[index], afterTuple[index], `${path}[${index}]`, depth + 1);
  }
}

/**
 * Compares `allOf` (and unions that `compareUnion` cannot read) branch by branch: equal branches match;
 * when the branches that do not match are as many on both sides, they are compared in order, otherwise
 * reported as added or removed (an added `anyOf` branch accepts more, an added `allOf` branch accepts less).
 */
function compareBranches(context: Context, before: Schema, after: Schema, path: string, depth: number): void {
  for (const keyword of branchKeywords) {
    const was = before[keyword];
    const is = after[keyword];
    if (same(was, is)) continue;
    if (!Array.isArray(was) || !Array.isArray(is)) {
      genericChange(context, keyword, was, is, path);
      continue;
    }
    const afterKeys = is.map(canonicalJson);
    const beforeKeys = was.map(canonicalJson);
    const removed = was.map((_, index) => index).filter((index) => !afterKeys.includes(beforeKeys[index]!));
    const added = is.map((_, index) => index).filter((index) => !beforeKeys.includes(afterKeys[index]!));
    if (removed.length === added.length) {
      removed.forEach((index, i) => compareNode(context, was[index], is[added[i]!], path, depth + 1));
      continue;
    }
    const widens = keyword !== 'allOf';
    for (const index of removed) {
      push(context, { kind: 'branch-removed', severity: widens ? 'breaking' : 'compatible', path, keyword, before: index });
    }
    for (const index of added) {
      push(context, { kind: 'branch-added', severity: widens ? 'compatible' : 'breaking', path, keyword, after: index });
    }
  }
}
