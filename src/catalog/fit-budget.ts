import type { JsonSchema } from '../../templates/runtime/definition.js';
import { cloneJson } from './json-values.js';

/**
 * Largest input and output schema, in bytes of JSON. A schema over budget is rebuilt with nested
 * schemas cut at a shallower depth: every tool definition costs context on every turn.
 */
export const schemaBudget = { input: 32_768, output: 16_384 } as const;
export const depthSteps = { input: [12, 8, 6, 4, 3, 2], output: [4, 3, 2, 1, 0] } as const;

/** A built schema with the depth it was cut at, whether it fits the budget, and its size in bytes of JSON. */
export type Fitted<T> = T & { depth: number; fits: boolean; bytes: number };

/**
 * Builds with each depth in turn until the result is within budget; the last attempt wins otherwise.
 * `build` may return schemas whose sub-objects are shared (a translation reuses the expansion of a `$ref`):
 * each attempt is measured without serializing it, and only the attempt kept is copied into a tree.
 */
export function fitToBudget<T extends { schema?: JsonSchema }>(direction: 'input' | 'output', build: (maxDepth: number) => T): Fitted<T> {
  const budget = schemaBudget[direction];
  let attempt: (T & { depth: number }) | undefined;
  let bytes = 0;
  for (const depth of depthSteps[direction]) {
    attempt = { ...build(depth), depth };
    bytes = jsonLength(attempt.schema ?? {}, budget);
    if (bytes <= budget) return { ...attempt, ...copied(attempt.schema), fits: true, bytes };
  }
  return { ...attempt!, ...copied(attempt!.schema), fits: false, bytes: jsonLength(attempt!.schema ?? {}, Infinity) };
}

function copied(schema: JsonSchema | undefined): { schema?: JsonSchema } {
  return schema === undefined ? {} : { schema: cloneJson(schema) as JsonSchema };
}

/**
 * The length of `JSON.stringify(value)`, or a number over `limit` as soon as it is known to be over.
 * Sub-objects that appear more than once are measured once.
 */
export function jsonLength(value: unknown, limit: number): number {
  const sizes = new WeakMap<object, number>();
  const measure = (node: unknown): number => {
    switch (typeof node) {
      case 'string':
        return stringLength(node);
      case 'number':
        return Number.isFinite(node) ? String(node).length : 4;
      case 'boolean':
        return node ? 4 : 5;
      case 'object':
        break;
      default:
        return -1;
    }
    if (node === null) return 4;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (typeof (node as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(node).length;
    let total = 2;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length && total <= limit; index++) {
        const size = measure(node[index]);
        total += (size < 0 ? 4 : size) + (index > 0 ? 1 : 0);
      }
    } else {
      let first = true;
      for (const key of Object.keys(node)) {
        const size = measure((node as { [key: string]: unknown })[key]);
        if (size < 0) continue;
        total += stringLength(key) + 1 + size + (first ? 0 : 1);
        first = false;
        if (total > limit) break;
      }
    }
    if (total <= limit) sizes.set(node, total);
    return total;
  };
  return measure(value);
}

/** Characters that JSON writes escaped: quotes, backslashes, controls, and surrogates (when lone). */
const escaped = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The length of `JSON.stringify(text)`, without writing it unless some character is escaped. */
function stringLength(text: string): number {
  return escaped.test(text) ? JSON.stringify(text).length : text.length + 2;
}
