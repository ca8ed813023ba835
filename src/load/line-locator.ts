import { createRequire } from 'node:module';
import type { LineCounter, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { fromPointer } from '../errors.js';

/**
 * Returns a function that finds the 1-based line of a JSON pointer in YAML or JSON text: the line of
 * the key for a member of a mapping, else the line where the value starts. A caller that has parsed the
 * text already passes its document and line counter, so that the text is not parsed a second time.
 */
export function createLineLocator(text: string, parsed?: { root: YamlNode | null; lineCounter: LineCounter }): (pointer: string) => number | undefined {
  // Loaded when a locator is made: a run that reports no problem makes none.
  const { LineCounter, parseDocument, isMap, isSeq, isScalar } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  let root: YamlNode | null | undefined = parsed?.root;
  const lineCounter = parsed?.lineCounter ?? new LineCounter();
  const keyIndex = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const name = isScalar(item.key) ? String(item.key.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, item);
      }
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  return (pointer) => {
    if (root === undefined) {
      root = parseDocument(text, { lineCounter, uniqueKeys: false }).contents;
    }
    let node: unknown = root;
    let anchor: unknown = root;
    for (const segment of fromPointer(pointer)) {
      if (isMap(node)) {
        const pair = pairOf(node, segment);
        node = pair?.value;
        anchor = pair?.key;
      } else if (isSeq(node)) {
        node = anchor = node.items[Number(segment)];
      } else {
        return undefined;
      }
    }
    const range = (anchor as YamlNode | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
}
