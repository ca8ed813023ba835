import type { JsonValue } from '../../templates/runtime/definition.js';

/** A JSON object as parsed from a document: any key, any value. */
export type Raw = { [key: string]: unknown };

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `{}`, the schema that accepts anything. */
export function isEmptySchema(schema: unknown): boolean {
  return isRecord(schema) && Object.keys(schema).length === 0;
}

/** Sets a key even when it is `__proto__`, which plain assignment would turn into a prototype change. */
export function setKey(target: { [key: string]: unknown }, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A plain JSON copy: no shared objects, no undefined, Dates as ISO strings. */
export function cloneJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item));
  if (isRecord(value)) {
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) setKey(copy, key, cloneJson(item));
    }
    return copy;
  }
  return value as JsonValue;
}

/** Turns a value from the parsed document into JSON (undefined for what JSON cannot hold). */
export function toJson(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (isRecord(value)) {
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      const json = toJson(item);
      if (json !== undefined) setKey(copy, key, json);
    }
    return copy;
  }
  return undefined;
}

/** The values without deep-equal repeats, in their first order. */
export function unique<T>(values: T[]): T[] {
  const result: T[] = [];
  for (const value of values) {
    if (!result.some((existing) => deepEqual(existing, value))) result.push(value);
  }
  return result;
}

/** Structural equality of two JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => deepEqual(item, other[index]));
  }
  const left = a as Raw;
  const right = b as Raw;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && deepEqual(left[key], right[key]));
}

/** Orders strings by code unit, never by locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
