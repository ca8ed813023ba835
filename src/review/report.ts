import { diffCatalogs } from './diff.js';
import type { LoadedCatalog } from './load-catalog.js';
import type { DiffReport } from './render.js';

/**
 * The report `toolwright diff` prints for two loaded catalogs: their diff, plus the operations of the new
 * spec that toolwright.yaml does not decide on yet and that the old spec did not have (when the old side
 * is a spec too; otherwise all of them).
 */
export function buildDiffReport({ before, after }: { before: LoadedCatalog; after: LoadedCatalog }): DiffReport {
  const known = before.operations ? new Set(before.operations) : undefined;
  return {
    ...diffCatalogs({ before: before.catalog, after: after.catalog }),
    unreviewed: after.unreviewed.filter((operation) => !known?.has(operation.operation)),
  };
}
