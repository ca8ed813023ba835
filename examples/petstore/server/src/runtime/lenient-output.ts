import { findMismatchPaths } from './validation.js';

const maxRounds = 8;

/**
 * Makes structured content conform to an output schema by leaving out what does not match: each value that
 * fails (an unexpected type, a missing branch) is removed, deepest first, until the rest conforms. The full
 * response stays in the text block, so nothing is lost for the model. Returns the conforming value and the
 * pointers of what was left out, or undefined when nothing conforms (the schema requires what is missing).
 */
export function conformToSchema(schema: object, value: { [key: string]: unknown }): { value: { [key: string]: unknown }; removed: string[] } | undefined {
  let current: { [key: string]: unknown } = structuredClone(value);
  const removed: string[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const paths = findMismatchPaths(schema, current);
    if (paths.length === 0) return { value: current, removed };
    if (paths.includes('')) break;
    for (const path of [...paths].sort(deepestLast).reverse()) {
      if (removeAt(current, path)) removed.push(path);
    }
  }
  if (findMismatchPaths(schema, current).length === 0) return { value: current, removed };
  return findMismatchPaths(schema, {}).length === 0 ? { value: {}, removed: [...removed, ''] } : undefined;
}

/** Sorts pointers so that, reversed, deeper paths and higher array indexes come first. */
function deepestLast(a: string, b: string): number {
  const depth = a.split('/').length - b.split('/').length;
  if (depth !== 0) return depth;
  const index = (path: string) => Number(path.slice(path.lastIndexOf('/') + 1));
  const byIndex = index(a) - index(b);
  return Number.isNaN(byIndex) ? (a < b ? -1 : a > b ? 1 : 0) : byIndex;
}

function removeAt(root: { [key: string]: unknown }, pointer: string): boolean {
  const segments = pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop()!;
  let parent: unknown = root;
  for (const segment of segments) {
    parent = parent !== null && typeof parent === 'object' ? (parent as { [key: string]: unknown })[segment] : undefined;
  }
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index >= parent.length) return false;
    parent.splice(index, 1);
    return true;
  }
  if (parent === null || typeof parent !== 'object' || !(last in parent)) return false;
  delete (parent as { [key: string]: unknown })[last];
  return true;
}
