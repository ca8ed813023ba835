import { isRecord, type Raw } from './json-values.js';

const pointerCache = new WeakMap<object, Map<string, unknown>>();
/** Pointers being resolved, to stop a pointer that walks through a `$ref` back to itself. */
const resolving = new Set<string>();

/** Resolves a local JSON pointer ('#/a/b', RFC 6901 with URI fragment percent-encoding) in a document. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  const cache = typeof document === 'object' && document !== null ? pointerCache.get(document) : undefined;
  if (cache?.has(pointer)) return cache.get(pointer);
  let value: unknown = undefined;
  if (pointer === '#' || pointer === '#/') {
    value = document;
  } else if (pointer.startsWith('#/') && !resolving.has(pointer)) {
    resolving.add(pointer);
    try {
      value = document;
      for (const token of pointer.slice(2).split('/')) {
        const key = decodeToken(token);
        // Like json-schema-ref-parser (whose bundle() writes such pointers), a pointer walks through `$ref`s.
        if (isRecord(value) && typeof value.$ref === 'string' && !Object.prototype.hasOwnProperty.call(value, key)) {
          value = resolvePointer(document, value.$ref);
        }
        if (Array.isArray(value) && /^(0|[1-9]\d*)$/.test(key)) value = value[Number(key)];
        else if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, key)) value = value[key];
        else {
          value = undefined;
          break;
        }
      }
    } finally {
      resolving.delete(pointer);
    }
  }
  if (typeof document === 'object' && document !== null) {
    const map = cache ?? new Map<string, unknown>();
    map.set(pointer, value);
    if (!cache) pointerCache.set(document, map);
  }
  return value;
}

/** A JSON pointer token as the property name it stands for (URI fragment percent-encoding, then RFC 6901). */
export function decodeToken(token: string): string {
  let decoded = token;
  if (decoded.includes('%')) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      // A stray '%' is taken literally.
    }
  }
  return decoded.includes('~') ? decoded.replace(/~1/g, '/').replace(/~0/g, '~') : decoded;
}

/** A property name as one JSON pointer token (RFC 6901). */
export function escapeToken(name: string): string {
  return name.includes('~') || name.includes('/') ? name.replace(/~/g, '~0').replace(/\//g, '~1') : name;
}

/** A name made of letters, digits and underscores only, for `$defs` keys. */
export function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/** True when a raw schema nests other schemas (directly or through `$ref`s), so the depth limit can cut it. */
export function isCompound(raw: Raw, document: unknown): boolean {
  const target = followRefs(raw, document);
  for (const source of target === raw ? [raw] : [raw, target]) {
    if (
      source.properties !== undefined ||
      source.items !== undefined ||
      source.prefixItems !== undefined ||
      source.patternProperties !== undefined ||
      isRecord(source.additionalProperties) ||
      source.allOf !== undefined ||
      source.anyOf !== undefined ||
      source.oneOf !== undefined ||
      source.not !== undefined ||
      source.if !== undefined ||
      source.dependentSchemas !== undefined
    ) {
      return true;
    }
  }
  return false;
}

/** The schema at the end of a chain of `$ref`s (the schema itself when it has none or the chain breaks). */
export function followRefs(raw: Raw, document: unknown): Raw {
  let current = raw;
  for (let hops = 0; hops < 32 && typeof current.$ref === 'string'; hops++) {
    const next = resolvePointer(document, current.$ref);
    if (!isRecord(next)) break;
    current = next;
  }
  return current;
}

/** True when a raw schema is marked readOnly/writeOnly, directly, through `$ref`s or through an allOf member. */
export function hasFlag(raw: unknown, flag: 'readOnly' | 'writeOnly', document: unknown, seen?: Set<unknown>): boolean {
  if (!isRecord(raw)) return false;
  if (raw[flag] === true) return true;
  // Most schemas are neither references nor compositions: nothing more to look at.
  if (typeof raw.$ref !== 'string' && !Array.isArray(raw.allOf)) return false;
  seen ??= new Set<unknown>();
  if (seen.has(raw)) return false;
  seen.add(raw);
  if (typeof raw.$ref === 'string' && hasFlag(resolvePointer(document, raw.$ref), flag, document, seen)) return true;
  return Array.isArray(raw.allOf) && raw.allOf.some((member) => hasFlag(member, flag, document, seen));
}
