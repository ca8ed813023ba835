import { createTwoFilesPatch } from 'diff';
import type { OperationDecision } from '../curate/select.js';
import type { FileState } from '../write/write-files.js';

/** What `generate --check` found: files that differ from a fresh generation, and undecided operations. */
export type CheckReport = {
  upToDate: boolean;
  files: { file: string; status: 'missing' | 'outdated' | 'edited' | 'stale' | 'leftover'; diff?: string }[];
  unreviewed: { operation: string; operationId?: string; riskClass: string }[];
};

const maxDiffLines = 40;

/** Exit codes of `generate --check`. */
export const checkExitCodes = { outOfDate: 3, unreviewed: 4 } as const;

export function buildCheckReport(states: FileState[], unreviewed: OperationDecision[]): CheckReport {
  const files = states.flatMap((state): CheckReport['files'] => {
    switch (state.state) {
      case 'missing':
        return [{ file: state.file, status: 'missing' }];
      case 'outdated':
      case 'edited':
        return [{ file: state.file, status: state.state, diff: shortDiff(state.file, state.current, state.planned) }];
      case 'stale':
      case 'leftover':
        return [{ file: state.file, status: state.state }];
      default:
        return [];
    }
  });
  return {
    upToDate: files.length === 0,
    files,
    unreviewed: unreviewed.map((decision) => ({
      operation: decision.operation.key,
      ...(decision.operation.operationId ? { operationId: decision.operation.operationId } : {}),
      riskClass: decision.risk.class,
    })),
  };
}

/** The longest diff line shown; a data module holds a whole catalog on one line. */
const maxDiffLineLength = 200;

function shortDiff(file: string, current: string, planned: string): string {
  const patch = createTwoFilesPatch(`${file} (on disk)`, `${file} (generated)`, current, planned, undefined, undefined, { context: 2 })
    .split('\n')
    .slice(2);
  const lines = patch.map((line, index) => shortLine(line, changedCounterpart(patch, index)));
  return lines.length > maxDiffLines ? [...lines.slice(0, maxDiffLines), `... ${lines.length - maxDiffLines} more lines`].join('\n') : lines.join('\n').trimEnd();
}

/** The line a one-line change replaces or is replaced by (`-old` right before `+new`), if it is one. */
function changedCounterpart(patch: string[], index: number): string | undefined {
  const line = patch[index]!;
  const other = line.startsWith('-') ? patch[index + 1] : line.startsWith('+') ? patch[index - 1] : undefined;
  return other !== undefined && other[0] === (line.startsWith('-') ? '+' : '-') ? other : undefined;
}

/** A diff line cut to {@link maxDiffLineLength} characters, from a little before where it differs from its counterpart. */
function shortLine(line: string, counterpart: string | undefined): string {
  if (line.length <= maxDiffLineLength + 1) return line;
  const [sign, text] = [line[0]!, line.slice(1)];
  let same = 0;
  if (counterpart !== undefined) while (same < text.length && text[same] === counterpart[same + 1]) same++;
  const from = Math.max(0, same - 40);
  const shown = text.slice(from, from + maxDiffLineLength);
  const after = text.length - from - shown.length;
  return `${sign}${from > 0 ? `(${from} characters) …` : ''}${shown}${after > 0 ? `… (${after} more characters)` : ''}`;
}

const statusText: Record<CheckReport['files'][number]['status'], string> = {
  missing: 'missing (generate would create it)',
  outdated: 'out of date',
  edited: 'edited by hand since it was generated',
  stale: 'no longer generated (generate would remove it)',
  leftover: 'left behind by an interrupted run (generate would remove it)',
};

export function renderCheckReport(report: CheckReport, strict: boolean): string {
  const lines: string[] = [];
  if (report.upToDate) lines.push('The generated project is up to date.');
  else {
    lines.push(`${report.files.length} ${report.files.length === 1 ? 'file differs' : 'files differ'} from what toolwright generates now:`);
    for (const file of report.files) {
      lines.push(`  ${file.file}: ${statusText[file.status]}`);
      if (file.diff) lines.push(...file.diff.split('\n').map((line) => `    ${line}`));
    }
    lines.push('Run `toolwright generate` to update them (edited files need --force, after moving the edits into toolwright.yaml).');
  }
  if (report.unreviewed.length > 0) {
    lines.push(
      `${report.unreviewed.length} operation${report.unreviewed.length === 1 ? ' is' : 's are'} not decided in toolwright.yaml${strict ? '' : ' (--strict fails on these)'}:`,
      ...report.unreviewed.map((entry) => `  ${entry.operation}${entry.operationId ? ` (${entry.operationId})` : ''}: ${entry.riskClass}`),
      'Run `toolwright curate` to decide on them.',
    );
  }
  return `${lines.join('\n')}\n`;
}
