import type { OperationDecision } from './select.js';
import { tagsOf } from './selection.js';

/**
 * A short starting point for a large spec: the most central read operations of its biggest tags. Within a
 * tag, operations on shorter paths with fewer required arguments come first (the list and get of the tag's
 * main resource), and the tags take turns, so the set spans the API instead of filling up from one tag.
 */
export function suggestStarterSet(decisions: OperationDecision[], size = 8): OperationDecision[] {
  const candidates = decisions.filter((decision) => decision.risk.class === 'read' && !decision.operation.deprecated);
  const byTag = new Map<string, OperationDecision[]>();
  for (const decision of candidates) {
    const tag = tagsOf(decision)[0]!;
    byTag.set(tag, [...(byTag.get(tag) ?? []), decision]);
  }
  const tagSize = (tag: string): number => decisions.filter((decision) => tagsOf(decision)[0] === tag).length;
  const tags = [...byTag.keys()].sort((a, b) => tagSize(b) - tagSize(a) || (a < b ? -1 : a > b ? 1 : 0));
  const queues = tags.map((tag) => [...byTag.get(tag)!].sort((a, b) => centrality(a) - centrality(b) || (a.operation.key < b.operation.key ? -1 : 1)));
  const chosen: OperationDecision[] = [];
  for (let round = 0; chosen.length < size && queues.some((queue) => queue.length > round); round++) {
    for (const queue of queues) {
      const next = queue[round];
      if (next && chosen.length < size) chosen.push(next);
    }
  }
  return chosen;
}

/** Lower is more central: path depth, then required arguments. */
function centrality(decision: OperationDecision): number {
  const { operation } = decision;
  const depth = operation.path.split('/').filter(Boolean).length;
  const required = operation.parameters.filter((parameter) => parameter.required).length;
  return depth * 10 + required;
}
