import { fromPointer } from '../errors.js';
import { isTree } from './parse-spec.js';

/**
 * Where the documents that external `$ref`s point at are kept in a bundled spec: one entry per file, keyed by
 * its path relative to the spec (or its URL), holding the file's contents with every `$ref` made local.
 */
export const bundledFilesKey = 'x-toolwright-bundled';

/** Keywords whose value is literal data, so a `$ref` inside it is not a reference (OpenAPI 3.1, JSON Schema). */
const dataKeywords = new Set(['default', 'example', 'const', 'enum', 'value', 'externalValue']);

/**
 * Maps whose keys are names chosen by the author (a property may be called `default` or `x-id`), not keywords.
 * `examples` is one too when it is a map (Example Objects); as an array it is literal data.
 */
const nameMaps = new Set([
  'paths', 'webhooks', 'callbacks', 'definitions', 'parameters', 'responses', 'securityDefinitions', 'schemas',
  'requestBodies', 'headers', 'securitySchemes', 'links', 'pathItems', 'properties', 'patternProperties',
  '$defs', 'dependentSchemas', 'variables', 'content', 'encoding', 'examples', 'mapping', 'scopes',
]);

/** Every object holding a string `$ref` that is a reference (not inside literal data), with its path. */
export function findRefs(root: unknown): { holder: Record<string, unknown>; segments: string[] }[] {
  const found: { holder: Record<string, unknown>; segments: string[] }[] = [];
  walkSpec(root, {
    ref: (holder, segments) => found.push({ holder, segments }),
    data: () => {},
  });
  return found;
}

/**
 * Walks a spec's objects: `ref` for every object with a string `$ref` outside literal data, `data` for
 * every literal value (`default`, `example`, `enum`, extensions, ...), which is not walked further.
 */
function walkSpec(
  root: unknown,
  visit: { ref: (holder: Record<string, unknown>, segments: string[]) => void; data: (value: unknown) => void },
): void {
  const seen = isTree(root) ? undefined : new Set<object>();
  // One path, extended and shortened as the walk goes: copied only for the objects that hold a `$ref`.
  const segments: string[] = [];
  const walk = (node: unknown, namesHere: boolean): void => {
    if (node === null || typeof node !== 'object' || seen?.has(node)) return;
    seen?.add(node);
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        segments.push(String(index));
        walk(node[index], false);
        segments.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') visit.ref(record, [...segments]);
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (segments.length === 0 && key === bundledFilesKey) {
        segments.push(key);
        walk(value, true);
        segments.pop();
        continue;
      }
      if (!namesHere && (dataKeywords.has(key) || key.startsWith('x-') || (key === 'examples' && Array.isArray(value)))) {
        visit.data(value);
        continue;
      }
      segments.push(key);
      walk(value, !namesHere && nameMaps.has(key) && !Array.isArray(value));
      segments.pop();
    }
  };
  walk(root, false);
}

/** Renames `$ref` in objects inside literal data, where validators would otherwise try to resolve it. */
export function withoutDataRefs(document: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(document);
  const strip = (value: unknown, seen: Set<object>): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (!Array.isArray(value) && typeof record.$ref === 'string') {
      record['literal $ref'] = record.$ref;
      delete record.$ref;
    }
    for (const item of Object.values(value)) strip(item, seen);
  };
  const seen = new Set<object>();
  walkSpec(copy, { ref: () => {}, data: (value) => strip(value, seen) });
  return copy;
}

/** Resolves a local `$ref` in the bundled document; a pointer may walk through `$ref`s, as json-schema-ref-parser allows. */
export function resolveRef(document: unknown, ref: string, depth = 0): unknown {
  if (!ref.startsWith('#') || depth > 32) return undefined;
  let node: unknown = document;
  for (const segment of fromPointer(ref)) {
    for (let hops = 0; hops < 32 && isObject(node) && typeof node.$ref === 'string' && !Object.hasOwn(node, segment); hops++) {
      node = resolveRef(document, node.$ref, depth + 1);
    }
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
