import type { RiskClass } from '../model/classify.js';
import type { OperationDecision } from './select.js';

/** The operations currently chosen in an interactive session, by `METHOD /path`. */
export type Selection = Set<string>;

export const untagged = '(no tag)';

/** The tags of an operation, or the stand-in for operations without one. */
export function tagsOf(decision: OperationDecision): string[] {
  return decision.operation.tags.length > 0 ? decision.operation.tags : [untagged];
}

/** Counts by risk class and by tag, for the summary shown before selection. */
export function summarize(decisions: OperationDecision[]): { byClass: Record<RiskClass, number>; byTag: [string, number][] } {
  const byClass: Record<RiskClass, number> = { read: 0, write: 0, destructive: 0, admin: 0 };
  const byTag = new Map<string, number>();
  for (const decision of decisions) {
    byClass[decision.risk.class] += 1;
    for (const tag of tagsOf(decision)) byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
  }
  return { byClass, byTag: [...byTag].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)) };
}

/** Operations whose tag is `tag` (or any, when undefined) and whose key, operationId, name or summary contains `text`. */
export function filterOperations(decisions: OperationDecision[], { tag, text }: { tag?: string; text?: string }): OperationDecision[] {
  const needle = text?.trim().toLowerCase();
  return decisions.filter((decision) => {
    if (tag !== undefined && !tagsOf(decision).includes(tag)) return false;
    if (!needle) return true;
    const { operation } = decision;
    return [operation.key, operation.operationId, decision.name, operation.summary]
      .filter((field): field is string => Boolean(field))
      .some((field) => field.toLowerCase().includes(needle));
  });
}

/**
 * Replaces the selection state of `shown` operations with `chosen`, leaving the others as they were. The
 * selection keeps the order in which operations were chosen: kept ones stay in place, new ones go last.
 */
export function applyToggles(selection: Selection, shown: OperationDecision[], chosen: string[]): Selection {
  const next = new Set(selection);
  const keep = new Set(chosen);
  for (const decision of shown) if (!keep.has(decision.operation.key)) next.delete(decision.operation.key);
  for (const key of chosen) next.add(key);
  return next;
}

/** Selects or clears every operation in a group; `safeOnly` selects only its read and write operations. */
export function setGroup(selection: Selection, group: OperationDecision[], action: 'select-safe' | 'select-all' | 'clear'): Selection {
  const next = new Set(selection);
  for (const decision of group) {
    const safe = decision.risk.class === 'read' || decision.risk.class === 'write';
    if (action === 'clear') next.delete(decision.operation.key);
    else if (action === 'select-all' || safe) next.add(decision.operation.key);
  }
  return next;
}
