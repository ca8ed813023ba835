import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';
import { deepEqual, isRecord, isEmptySchema, setKey, unique } from './json-values.js';
import { annotationKeywords, keywordGroups, ordered, type Draft, type Schema } from './schema-keywords.js';

/**
 * Property names that a converted object schema left out (readOnly in inputs, writeOnly in outputs), by the
 * converted schema: merging allOf members drops them from the merged `required`.
 */
export type HiddenNames = WeakMap<object, string[]>;

/** Returns `schema`, carrying over the hidden property names of the schema it was made from. */
export function withHidden(hidden: HiddenNames, schema: JsonSchema, from: object): JsonSchema {
  const names = hidden.get(from);
  if (names) hidden.set(schema, names);
  return schema;
}

/**
 * Merges allOf members (the first is the schema's own keywords, whose annotations win) into one schema.
 * Members that conflict with what was merged so far stay in `allOf`.
 */
export function mergeSchemas(hidden: HiddenNames, members: Schema[]): Schema {
  const present = members.filter((member) => member !== true && !isEmptySchema(member));
  if (present.some((member) => member === false)) return false;
  const objects = present as JsonSchema[];
  const hiddenNames = unique(members.flatMap((member) => (typeof member === 'object' ? (hidden.get(member) ?? []) : [])));
  if (objects.length === 0) return {};
  if (objects.length === 1 && hiddenNames.length === 0) return objects[0]!;
  const merged: Draft = {};
  const leftovers: JsonSchema[] = [];
  for (const member of objects) {
    if (Object.keys(merged).length === 0) {
      Object.assign(merged, member);
      continue;
    }
    if (!canMerge(merged, member)) {
      leftovers.push(member);
      continue;
    }
    for (const [key, value] of Object.entries(member)) {
      const current = merged[key];
      if (current === undefined) {
        merged[key] = value;
      } else if (key === 'type') {
        merged.type = intersectTypes(current, value)!;
      } else if (key === 'required') {
        merged.required = unique([...(current as string[]), ...(value as string[])]);
      } else if (key === 'allOf') {
        merged.allOf = [...(current as JsonValue[]), ...(value as JsonValue[])];
      } else if (key === 'properties') {
        const properties: Draft = { ...(current as Draft) };
        for (const [name, schema] of Object.entries(value as Draft)) {
          const existing = properties[name];
          setKey(properties, name, existing === undefined || deepEqual(existing, schema) ? schema : mergeSchemas(hidden, [existing as Schema, schema as Schema]));
        }
        merged.properties = properties;
      }
    }
  }
  if (leftovers.length > 0) merged.allOf = [...(Array.isArray(merged.allOf) ? merged.allOf : []), ...leftovers];
  if (hiddenNames.length > 0 && Array.isArray(merged.required)) {
    const names = new Set(hiddenNames);
    merged.required = (merged.required as string[]).filter((name) => !names.has(name));
    if (merged.required.length === 0) delete merged.required;
  }
  const schema = ordered(merged);
  if (hiddenNames.length > 0) hidden.set(schema, hiddenNames);
  return schema;
}

/** Makes a converted schema also accept null. */
export function nullableSchema(hidden: HiddenNames, schema: Schema): Schema {
  if (schema === true) return true;
  if (schema === false) return { type: 'null' };
  const constrained = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'const'].some((keyword) => keyword in schema);
  if (!constrained && schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? [...schema.type] : [schema.type];
    if (!types.includes('null')) types.push('null');
    const next: Draft = { ...schema, type: types };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) next.enum = [...schema.enum, null];
    return withHidden(hidden, ordered(next), schema);
  }
  if (!constrained && Array.isArray(schema.enum)) {
    return withHidden(hidden, ordered({ ...schema, enum: schema.enum.includes(null) ? schema.enum : [...schema.enum, null] }), schema);
  }
  if (!constrained) return schema;
  const annotations: Draft = {};
  const inner: Draft = {};
  for (const [key, value] of Object.entries(schema)) {
    if (annotationKeywords.has(key)) annotations[key] = value;
    else inner[key] = value;
  }
  const innerKeys = Object.keys(inner);
  if (innerKeys.length === 1 && (innerKeys[0] === 'anyOf' || innerKeys[0] === 'oneOf') && Array.isArray(inner[innerKeys[0]])) {
    const key = innerKeys[0];
    const branches = inner[key] as JsonValue[];
    const hasNull = branches.some((branch) => isRecord(branch) && branch.type === 'null' && Object.keys(branch).length === 1);
    return ordered({ ...annotations, [key]: hasNull ? branches : [...branches, { type: 'null' }] });
  }
  return ordered({ ...annotations, anyOf: [ordered(inner), { type: 'null' }] });
}


function canMerge(merged: Draft, member: JsonSchema): boolean {
  for (const [key, value] of Object.entries(member)) {
    if (annotationKeywords.has(key) || key === 'required' || key === 'allOf') continue;
    const current = merged[key];
    if (key === 'type') {
      if (current !== undefined && intersectTypes(current, value) === undefined) return false;
      continue;
    }
    if (key === 'properties') continue;
    if (current !== undefined && !deepEqual(current, value)) return false;
  }
  for (const group of keywordGroups) {
    const inMember = group.some((key) => member[key] !== undefined);
    const inMerged = group.some((key) => merged[key] !== undefined);
    if (inMember && inMerged && group.some((key) => !deepEqual(member[key], merged[key]))) return false;
  }
  return true;
}

/** An input schema with properties but no type: OpenAPI documents mean an object (Swagger specs often omit the type). */
export function isUntypedObject(schema: JsonSchema): boolean {
  return (
    schema.type === undefined &&
    isRecord(schema.properties) &&
    !['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'enum', 'const'].some((keyword) => keyword in schema)
  );
}

function intersectTypes(a: JsonValue, b: JsonValue): JsonValue | undefined {
  const left = (Array.isArray(a) ? a : [a]) as string[];
  const right = (Array.isArray(b) ? b : [b]) as string[];
  const result: string[] = [];
  for (const type of left) {
    if (right.includes(type)) result.push(type);
    else if (type === 'number' && right.includes('integer')) result.push('integer');
    else if (type === 'integer' && right.includes('number')) result.push('integer');
  }
  const distinct = unique(result);
  if (distinct.length === 0) return undefined;
  return distinct.length === 1 ? distinct[0]! : distinct;
}
