import type { JsonValue } from './types.js';

/** What a change means for a client that already calls the tool. */
export type ChangeSeverity = 'breaking' | 'compatible' | 'info';

/** The classes of change between two JSON Schemas, named from the point of view of the new schema. */
export type SchemaChangeKind =
  | 'required-property-added'
  | 'optional-property-added'
  | 'property-removed'
  | 'property-became-required'
  | 'property-became-optional'
  | 'type-narrowed'
  | 'type-widened'
  | 'type-changed'
  | 'enum-added'
  | 'enum-removed'
  | 'enum-values-removed'
  | 'enum-values-added'
  | 'bound-tightened'
  | 'bound-loosened'
  | 'pattern-added'
  | 'pattern-changed'
  | 'pattern-removed'
  | 'format-added'
  | 'format-changed'
  | 'format-removed'
  | 'additional-properties-closed'
  | 'additional-properties-opened'
  | 'branch-added'
  | 'branch-removed'
  | 'keyword-added'
  | 'keyword-changed'
  | 'keyword-removed'
  | 'description-changed'
  | 'default-changed'
  | 'annotation-changed';

/**
 * One difference between two schemas. `path` names the value it applies to: argument names joined by
 * `.`, `[]` for array items, `[i]` for tuple items, `*` for additional properties; `''` is the root.
 * `before` and `after` are present only when the value exists on that side.
 */
export type SchemaChange = {
  kind: SchemaChangeKind;
  severity: ChangeSeverity;
  path: string;
  keyword?: string;
  before?: JsonValue;
  after?: JsonValue;
  values?: JsonValue[];
};

/** A schema object as the comparison reads it. */
export type Schema = { [key: string]: JsonValue };

/** One comparison of two documents: their roots, the changes found so far and the `$ref` pairs being followed. */
export type Context = {
  beforeRoot: Schema;
  afterRoot: Schema;
  changes: SchemaChange[];
  /** `$ref` pairs being compared further up, so that recursive schemas end. */
  active: Set<string>;
};

const lowerBounds = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
const upperBounds = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);
/** Keywords whose branches are compared one by one. */
export const branchKeywords = ['anyOf', 'oneOf', 'allOf'] as const;
/** Keywords that do not change which values are valid. */
export const annotationKeywords = new Set([
  'title', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'contentMediaType', 'contentEncoding',
  'contentSchema', '$schema', '$id', '$anchor', '$dynamicAnchor', 'nullable', 'discriminator', 'xml', 'externalDocs',
]);
const handledKeywords = new Set([
  'type', 'enum', 'const', 'multipleOf', 'uniqueItems', 'pattern', 'format', 'properties', 'required', 'additionalProperties',
  'items', 'prefixItems', 'description', 'default', '$defs', 'definitions', ...lowerBounds, ...upperBounds, ...branchKeywords,
]);

/** A canonical JSON text of a value, with object keys sorted: equal texts mean equal values. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether two values are equal as JSON. */
export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Records a change with only the fields it has. */
export function push(context: Context, change: SchemaChange): void {
  const entry: SchemaChange = { kind: change.kind, severity: change.severity, path: change.path };
  if (change.keyword !== undefined) entry.keyword = change.keyword;
  if (change.before !== undefined) entry.before = change.before;
  if (change.after !== undefined) entry.after = change.after;
  if (change.values !== undefined) entry.values = change.values;
  context.changes.push(entry);
}

/** Reports changed `description` and `default`, which do not change which values are valid. */
export function compareAnnotations(context: Context, before: Schema, after: Schema, path: string): void {
  if (!same(before.description, after.description)) {
    push(context, { kind: 'description-changed', severity: 'info', path, before: before.description, after: after.description });
  }
  if (!same(before.default, after.default)) {
    push(context, { kind: 'default-changed', severity: 'info', path, before: before.default, after: after.default });
  }
}

/** The types a schema allows, or undefined when it does not say. */
export function typeList(schema: Schema): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === 'string');
  return undefined;
}

function covers(types: string[] | undefined, type: string): boolean {
  return types === undefined || types.includes(type) || (type === 'integer' && types.includes('number'));
}

/** Reports a type change; false when the types no longer overlap, so that comparing further is noise. */
export function compareTypes(context: Context, before: Schema, after: Schema, path: string): boolean {
  const beforeTypes = typeList(before);
  const afterTypes = typeList(after);
  const beforeCoversAfter = afterTypes !== undefined ? afterTypes.every((type) => covers(beforeTypes, type)) : beforeTypes === undefined;
  const afterCoversBefore = beforeTypes !== undefined ? beforeTypes.every((type) => covers(afterTypes, type)) : afterTypes === undefined;
  if (beforeCoversAfter && afterCoversBefore) return true;
  const kind = beforeCoversAfter ? 'type-narrowed' : afterCoversBefore ? 'type-widened' : 'type-changed';
  push(context, { kind, severity: kind === 'type-widened' ? 'compatible' : 'breaking', path, before: before.type, after: after.type });
  return kind !== 'type-changed';
}

/** The values `const` or `enum` allow, or undefined when the schema has neither. */
export function allowedValues(schema: Schema): JsonValue[] | undefined {
  if ('const' in schema) return [schema.const!];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

/** Reports values that `enum` or `const` now refuse (breaking) or newly allow (compatible). */
export function compareAllowedValues(context: Context, before: Schema, after: Schema, path: string): void {
  const beforeValues = allowedValues(before);
  const afterValues = allowedValues(after);
  if (beforeValues === undefined && afterValues === undefined) return;
  const keyword = 'const' in after || 'const' in before ? 'const' : 'enum';
  if (beforeValues === undefined) {
    push(context, { kind: 'enum-added', severity: 'breaking', path, keyword, values: afterValues });
    return;
  }
  if (afterValues === undefined) {
    push(context, { kind: 'enum-removed', severity: 'compatible', path, keyword, values: beforeValues });
    return;
  }
  const afterSet = new Set(afterValues.map(canonicalJson));
  const beforeSet = new Set(beforeValues.map(canonicalJson));
  const removed = beforeValues.filter((value) => !afterSet.has(canonicalJson(value)));
  const added = afterValues.filter((value) => !beforeSet.has(canonicalJson(value)));
  if (removed.length > 0) push(context, { kind: 'enum-values-removed', severity: 'breaking', path, keyword, values: removed });
  if (added.length > 0) push(context, { kind: 'enum-values-added', severity: 'compatible', path, keyword, values: added });
}

/** Reports tightened (breaking) and loosened (compatible) numeric, length and count bounds, `multipleOf` and `uniqueItems`. */
export function compareBounds(context: Context, before: Schema, after: Schema, path: string): void {
  for (const keyword of [...lowerBounds, ...upperBounds, 'multipleOf', 'uniqueItems']) {
    const was = before[keyword];
    const is = after[keyword];
    if (same(was, is)) continue;
    let tightened: boolean;
    if (keyword === 'uniqueItems') tightened = is === true;
    else if ((was !== undefined && typeof was !== 'number') || (is !== undefined && typeof is !== 'number')) tightened = true;
    else if (was === undefined) tightened = true;
    else if (is === undefined) tightened = false;
    else if (keyword === 'multipleOf') tightened = !Number.isInteger((was as number) / (is as number));
    else tightened = lowerBounds.has(keyword) ? (is as number) > (was as number) : (is as number) < (was as number);
    push(context, {
      kind: tightened ? 'bound-tightened' : 'bound-loosened',
      severity: tightened ? 'breaking' : 'compatible',
      path,
      keyword,
      before: was,
      after: is,
    });
  }
}

/** Reports `pattern` and `format` added or changed (breaking) or removed (compatible). */
export function compareStrings(context: Context, before: Schema, after: Schema, path: string): void {
  for (const keyword of ['pattern', 'format'] as const) {
    const was = before[keyword];
    const is = after[keyword];
    if (same(was, is)) continue;
    if (is === undefined) push(context, { kind: `${keyword}-removed`, severity: 'compatible', path, before: was });
    else if (was === undefined) push(context, { kind: `${keyword}-added`, severity: 'breaking', path, after: is });
    else push(context, { kind: `${keyword}-changed`, severity: 'breaking', path, before: was, after: is });
  }
}

/** Reports changes of the keywords no other comparison handles: annotations as info, the rest as generic changes. */
export function compareOtherKeywords(context: Context, before: Schema, after: Schema, path: string): void {
  const keywords = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((keyword) => !handledKeywords.has(keyword));
  for (const keyword of keywords) {
    if (same(before[keyword], after[keyword])) continue;
    if (annotationKeywords.has(keyword) || keyword.startsWith('x-')) {
      push(context, { kind: 'annotation-changed', severity: 'info', path, keyword, before: before[keyword], after: after[keyword] });
    } else {
      genericChange(context, keyword, before[keyword], after[keyword], path);
    }
  }
}

/** A validation keyword this module does not reason about: adding or changing it may refuse calls. */
export function genericChange(context: Context, keyword: string, was: JsonValue | undefined, is: JsonValue | undefined, path: string): void {
  if (is === undefined) push(context, { kind: 'keyword-removed', severity: 'compatible', path, keyword, before: was });
  else if (was === undefined) push(context, { kind: 'keyword-added', severity: 'breaking', path, keyword, after: is });
  else push(context, { kind: 'keyword-changed', severity: 'breaking', path, keyword, before: was, after: is });
}
