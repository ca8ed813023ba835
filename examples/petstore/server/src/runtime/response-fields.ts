import type { ResponseFields } from './definition.js';

/** What a redacted response field is replaced by. */
export const redactedValue = '[REDACTED]';

/** A field selector: a property name that matches at any depth, or the segments of a JSON pointer. */
export type FieldSelector = { kind: 'name'; name: string } | { kind: 'pointer'; segments: string[] };

/** Reads a selector as toolwright.yaml writes it: `token` (a name) or `/owner/login` (a JSON pointer; `*` is any key). */
export function parseFieldSelector(text: string): FieldSelector {
  if (!text.startsWith('/')) return { kind: 'name', name: text };
  return { kind: 'pointer', segments: text.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')) };
}

/**
 * Applies a tool's response-field selection to a JSON response body: `keep` first, then `drop`, then `redact`.
 * Arrays are passed through, so `/items/id` applies to every item. Returns a new value; the input is untouched.
 */
export function selectResponseFields(value: unknown, fields: ResponseFields | undefined): unknown {
  if (!fields) return value;
  let result = value;
  if (fields.keep && fields.keep.length > 0) result = keepFields(result, buildKeepTree(fields.keep.map(parseFieldSelector)));
  for (const selector of (fields.drop ?? []).map(parseFieldSelector)) result = rewrite(result, selector, () => undefined);
  for (const selector of (fields.redact ?? []).map(parseFieldSelector)) result = rewrite(result, selector, () => redactedValue);
  return result;
}

/** The fields to keep as a tree of property names; `all` keeps a field with everything in it. */
export type KeepTree = Map<string, KeepTree | 'all'>;

/** Merges `keep` selectors into one tree: a name is a top-level field, a pointer a path of fields. */
export function buildKeepTree(selectors: FieldSelector[]): KeepTree {
  const root: KeepTree = new Map();
  for (const selector of selectors) {
    const segments = selector.kind === 'name' ? [selector.name] : selector.segments;
    let node = root;
    segments.forEach((segment, index) => {
      const last = index === segments.length - 1;
      const existing = node.get(segment);
      if (existing === 'all') return;
      if (last) {
        node.set(segment, 'all');
        return;
      }
      const child = existing ?? new Map();
      node.set(segment, child);
      node = child;
    });
  }
  return root;
}

function keepFields(value: unknown, tree: KeepTree): unknown {
  if (Array.isArray(value)) return value.map((item) => keepFields(item, tree));
  if (!isRecord(value)) return value;
  const kept: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value)) {
    const rule = tree.get(key) ?? tree.get('*');
    if (rule === undefined) continue;
    kept[key] = rule === 'all' ? item : keepFields(item, rule);
  }
  return kept;
}

/** Replaces (or, when `replace` returns undefined, removes) every value the selector matches. */
function rewrite(value: unknown, selector: FieldSelector, replace: (old: unknown) => unknown): unknown {
  if (selector.kind === 'pointer') return rewriteAt(value, selector.segments, replace);
  return rewriteNamed(value, selector.name, replace);
}

function rewriteAt(value: unknown, segments: string[], replace: (old: unknown) => unknown): unknown {
  if (segments.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => rewriteAt(item, segments, replace));
  if (!isRecord(value)) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  const result: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value)) {
    if (head !== '*' && key !== head) result[key] = item;
    else if (rest.length > 0) result[key] = rewriteAt(item, rest, replace);
    else {
      const replaced = replace(item);
      if (replaced !== undefined) result[key] = replaced;
    }
  }
  return result;
}

function rewriteNamed(value: unknown, name: string, replace: (old: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteNamed(item, name, replace));
  if (!isRecord(value)) return value;
  const result: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== name) result[key] = rewriteNamed(item, name, replace);
    else {
      const replaced = replace(item);
      if (replaced !== undefined) result[key] = replaced;
    }
  }
  return result;
}

function isRecord(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
