import { formatDiagnostic, type Diagnostic } from '../errors.js';
import type { Curated } from '../pipeline.js';
import { wrongHostCode } from '../model/build-model.js';

/** One root cause: a defect at one place in the spec, and the operations it affects. */
export type DiagnosticGroup = { diagnostic: Diagnostic; operations: string[]; urgent: boolean };

export type DiagnosticReport = {
  groups: DiagnosticGroup[];
  /** Warnings left out because they concern only operations that are not generated. */
  hidden: number;
  total: number;
};

/**
 * Groups warnings by root cause: the same defect (code, file, message once the tool name a per-tool warning
 * starts with is taken off, and place: in the document, or at the same spot of each operation) reported for
 * several operations becomes one entry that lists them; the first occurrence gives the location. Warnings that concern only operations not generated are left out unless `verbose`. Warnings that
 * a tool would call the wrong host come first.
 */
export function groupDiagnostics(
  warnings: readonly Diagnostic[],
  curated: Pick<Curated, 'decisions'>,
  verbose = false,
  locate?: (pointer: string) => number | undefined,
): DiagnosticReport {
  const operations = curated.decisions.operations.map((decision) => ({
    key: decision.operation.key,
    name: decision.name,
    pointer: decision.operation.pointer,
    included: decision.included,
  }));
  const groups = new Map<string, DiagnosticGroup>();
  let hidden = 0;
  for (const warning of warnings) {
    const concerned = warning.pointer === undefined ? undefined : operations.find((operation) => warning.pointer === operation.pointer || warning.pointer!.startsWith(`${operation.pointer}/`));
    if (concerned && !concerned.included && !verbose) {
      hidden++;
      continue;
    }
    const cause = concerned && warning.message.startsWith(`${concerned.name}: `) ? warning.message.slice(concerned.name.length + 2) : warning.message;
    const place = concerned ? ['operation', warning.pointer!.slice(concerned.pointer.length)] : [warning.pointer, warning.line];
    const key = JSON.stringify([warning.code, warning.file, ...place, cause]);
    let group = groups.get(key);
    if (!group) {
      let diagnostic = cause === warning.message ? warning : atDefect({ ...warning, pointer: undefined, line: undefined, message: cause }, locate);
      if (diagnostic.line === undefined && diagnostic.pointer !== undefined && locate) diagnostic = { ...diagnostic, line: locate(diagnostic.pointer) };
      group = { diagnostic, operations: [], urgent: warning.code === wrongHostCode };
      groups.set(key, group);
    }
    if (concerned && !group.operations.includes(concerned.key)) group.operations.push(concerned.key);
  }
  const sorted = [...groups.values()].sort((a, b) => Number(b.urgent) - Number(a.urgent));
  return { groups: sorted, hidden, total: warnings.length };
}

/** A per-tool warning that names the schema at fault (`#/components/...: message`) is located there. */
function atDefect(diagnostic: Diagnostic, locate?: (pointer: string) => number | undefined): Diagnostic {
  const match = /^#(\/[^:\s]*): ([\s\S]*)$/.exec(diagnostic.message);
  if (!match) return diagnostic;
  const [, pointer, message] = match;
  return { ...diagnostic, pointer, line: locate?.(pointer!), message: message! };
}

/** The report as lines for stderr: the count, the urgent causes first, then one entry per cause. */
export function renderDiagnostics(report: DiagnosticReport, maxOperations = 6): string[] {
  if (report.groups.length === 0 && report.hidden === 0) return [];
  const lines: string[] = [];
  const count = report.groups.length;
  const hiddenNote = report.hidden > 0 ? ` (${report.hidden} more for operations that are not generated; --verbose shows them)` : '';
  lines.push(`${count} warning${count === 1 ? '' : 's'}${hiddenNote}${count > 0 ? ':' : ''}`);
  for (const { diagnostic, operations, urgent } of report.groups) {
    const text = formatDiagnostic(diagnostic).replace(/\n/g, '\n    ');
    lines.push(`  ${urgent ? '!! ' : ''}${text}`);
    if (operations.length > 1 || (operations.length === 1 && diagnostic.pointer === undefined)) {
      const shown = operations.slice(0, maxOperations).join(', ');
      const more = operations.length > maxOperations ? ` and ${operations.length - maxOperations} more` : '';
      lines.push(`    affects ${operations.length} operation${operations.length === 1 ? '' : 's'}: ${shown}${more}`);
    }
  }
  return lines;
}
