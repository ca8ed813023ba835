import { resolvePointer } from '../errors.js';
import type { LoadedSpec } from '../load/load-spec.js';

/** A JSON object of the spec as it was loaded, before anything is checked. */
export type Json = Record<string, unknown>;

/** What every step of building the model reads from: the loaded spec, its document, and where warnings go. */
export type BuildContext = {
  spec: LoadedSpec;
  document: Json;
  warn: (pointer: string, message: string, help?: string, code?: string) => void;
};

/** Follows `$ref` chains to the object they point at; a dangling reference yields `{}`. */
export function deref(context: BuildContext, value: unknown): unknown {
  let current = value;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && typeof (current as Json).$ref === 'string') {
    const ref = (current as Json).$ref as string;
    if (seen.has(ref) || !ref.startsWith('#')) return {};
    seen.add(ref);
    const target = resolvePointer(context.document, ref);
    if (target === undefined) {
      context.warn(ref.slice(1), `$ref "${ref}" points at nothing; it is treated as empty`, 'Fix the reference in the spec.');
      return {};
    }
    current = target;
  }
  return current;
}

/** The value when it is a JSON object, else an empty one. */
export function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** The value when it is an array, else an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Trimmed text, or undefined when the value is not text or only blanks. */
export function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
