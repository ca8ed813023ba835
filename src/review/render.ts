import type { CatalogChange, CatalogDiff, ChangeSeverity } from './diff.js';
import type { LintFinding, LintReport } from './lint.js';
import type { UnreviewedOperation } from './load-catalog.js';
import type { JsonValue } from './types.js';
import { formatCount } from '../format-count.js';

/** What `toolwright diff` prints: the catalog diff plus the operations of the new spec not yet decided on. */
export type DiffReport = CatalogDiff & { unreviewed: UnreviewedOperation[] };

/** The first line of the Markdown, so that a CI job can find and update its earlier comment. */
export const diffMarker = '<!-- toolwright:catalog-diff -->';

/** How many entries a Markdown section lists before it says how many more there are. */
const maxSectionEntries = 100;
const maxTokenRows = 25;
const maxQuoted = 100;
/** A tool with more output-schema changes than this gets one line that counts them. */
const maxOutputLines = 3;

/** Renders any report as JSON with two-space indentation and a final newline. */
export function renderJson(report: DiffReport | LintReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function plural(count: number, word: string, many = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : many}`;
}

function signed(value: number): string {
  return value > 0 ? `+${formatCount(value)}` : value < 0 ? `−${formatCount(-value)}` : '±0';
}

/** An inline code span that holds any text on one line (the fence is longer than any run of backticks in it). */
function code(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function quoted(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return code(flat.length > maxQuoted ? `${flat.slice(0, maxQuoted - 1)}…` : flat);
}

/** Two versions of a text, each cut to the part around where they differ, as code spans. */
function changedText(before: JsonValue | undefined, after: JsonValue | undefined): string {
  if (typeof before !== 'string' || typeof after !== 'string') return `${value(before)} → ${value(after)}`;
  const [was, is] = [before.replace(/\s+/g, ' ').trim(), after.replace(/\s+/g, ' ').trim()];
  let start = 0;
  while (start < was.length && start < is.length && was[start] === is[start]) start++;
  let end = 0;
  while (end < was.length - start && end < is.length - start && was[was.length - 1 - end] === is[is.length - 1 - end]) end++;
  const context = 30;
  const from = start > context ? was.lastIndexOf(' ', start - context) + 1 : 0;
  const clip = (text: string) => {
    const to = Math.min(text.length, text.length - end + context);
    let part = text.slice(from, to);
    if (part.length > maxQuoted) part = `${part.slice(0, maxQuoted - 1)}…`;
    else if (to < text.length) part = `${part}…`;
    return code(`${from > 0 ? '…' : ''}${part}`);
  };
  return `${clip(was)} → ${clip(is)}`;
}

function value(item: JsonValue | undefined): string {
  if (item === undefined) return 'none';
  if (typeof item === 'number' || typeof item === 'boolean' || item === null) return String(item);
  const text = typeof item === 'string' ? item : JSON.stringify(item);
  return quoted(text);
}

function typeText(type: JsonValue | undefined): string {
  if (type === undefined) return 'any';
  return Array.isArray(type) ? type.map(String).join(' | ') : String(type);
}

function subject(change: CatalogChange): string {
  const path = change.path ?? '';
  if (change.area === 'output') return path === '' ? 'output' : `output ${code(path)}`;
  return path === '' ? 'arguments' : code(path);
}

function noun(change: CatalogChange): string {
  const path = change.path ?? '';
  if (change.area === 'output') return 'output field';
  return /[.[*]/.test(path) ? 'property' : 'argument';
}

/** Says one change in words, without the tool's name. */
export function describeChange(change: CatalogChange, diff: Pick<CatalogDiff, 'added' | 'removed'>): string {
  const at = subject(change);
  const path = code(change.path ?? '');
  const { before, after } = change;
  switch (change.kind) {
    case 'tool-added': {
      const tool = diff.added.find((item) => item.name === change.tool);
      const details = [tool?.riskClass ? (tool.riskClass === 'read' || tool.riskClass === 'write' ? tool.riskClass : `**${tool.riskClass}**`) : undefined, tool?.source ? code(`${tool.source.method} ${tool.source.path}`) : undefined];
      return `new tool${details.some(Boolean) ? ` (${details.filter(Boolean).join(', ')})` : ''}`;
    }
    case 'tool-removed': {
      const tool = diff.removed.find((item) => item.name === change.tool);
      return `tool removed${tool?.source ? ` (was ${code(`${tool.source.method} ${tool.source.path}`)})` : ''}`;
    }
    case 'tool-renamed':
      return `renamed from ${code(String(before))}: calls by the old name fail`;
    case 'source-changed':
      return `now calls ${code(String(after))} instead of ${code(String(before))}`;
    case 'title-changed':
      return `title ${changedText(before, after)}`;
    case 'description-changed':
      if (before === undefined) return `${at}: new description ${value(after)}`;
      if (after === undefined) return `${at}: description removed`;
      return `${change.area === 'tool' ? 'description' : `${at}: description`} ${changedText(before, after)}`;
    case 'annotation-changed':
      return change.area === 'tool'
        ? `${code(change.keyword ?? '')} ${String(before)} → ${String(after)}`
        : `${at}: ${code(change.keyword ?? '')} ${value(before)} → ${value(after)}`;
    case 'confirmation-added':
      return `now needs confirmation (argument ${code(String(after))})`;
    case 'confirmation-removed':
      return `**no longer needs confirmation** (argument ${code(String(before))} removed)`;
    case 'confirmation-changed':
      return `confirmation argument ${code(String(before))} → ${code(String(after))}`;
    case 'risk-changed':
      return `risk class ${String(before)} → **${String(after)}**`;
    case 'output-schema-added':
      return 'now declares an output schema';
    case 'output-schema-removed':
      return 'no longer declares an output schema';
    case 'required-property-added':
      return change.area === 'output' ? `new output field ${path}` : `new required ${noun(change)} ${path}`;
    case 'optional-property-added':
      return change.area === 'output' ? `new output field ${path}` : `new optional ${noun(change)} ${path}`;
    case 'property-removed':
      return `${noun(change)} ${path} removed`;
    case 'property-became-required':
      return change.area === 'output' ? `output field ${path} is now always present` : `${noun(change)} ${path} is now required`;
    case 'property-became-optional':
      return change.area === 'output' ? `output field ${path} may now be absent` : `${noun(change)} ${path} is now optional`;
    case 'type-narrowed':
    case 'type-widened':
    case 'type-changed':
      return `${at}: type ${code(typeText(before))} → ${code(typeText(after))}`;
    case 'enum-added':
      return `${at}: now limited to ${(change.values ?? []).map((item) => value(item)).join(', ')}`;
    case 'enum-removed':
      return `${at}: no longer limited to a list of values`;
    case 'enum-values-removed':
      return `${at}: ${plural(change.values?.length ?? 0, 'value')} no longer allowed: ${(change.values ?? []).map((item) => value(item)).join(', ')}`;
    case 'enum-values-added':
      return `${at}: ${plural(change.values?.length ?? 0, 'new value')} allowed: ${(change.values ?? []).map((item) => value(item)).join(', ')}`;
    case 'bound-tightened':
    case 'bound-loosened':
      if (before === undefined) return `${at}: new ${code(change.keyword ?? '')} ${value(after)}`;
      if (after === undefined) return `${at}: ${code(change.keyword ?? '')} ${value(before)} removed`;
      return `${at}: ${code(change.keyword ?? '')} ${value(before)} → ${value(after)}`;
    case 'pattern-added':
    case 'format-added':
      return `${at}: new ${change.kind.split('-')[0]} ${value(after)}`;
    case 'pattern-changed':
    case 'format-changed':
      return `${at}: ${change.kind.split('-')[0]} ${value(before)} → ${value(after)}`;
    case 'pattern-removed':
    case 'format-removed':
      return `${at}: ${change.kind.split('-')[0]} ${value(before)} removed`;
    case 'additional-properties-closed':
      return `${at}: undeclared properties no longer accepted`;
    case 'additional-properties-opened':
      return `${at}: undeclared properties now accepted`;
    case 'branch-added':
      return `${at}: new ${code(change.keyword ?? '')} branch (#${String(after)})`;
    case 'branch-removed':
      return `${at}: ${code(change.keyword ?? '')} branch #${String(before)} removed`;
    case 'keyword-added':
      return `${at}: new ${code(change.keyword ?? '')} ${value(after)}`;
    case 'keyword-changed':
      return `${at}: ${code(change.keyword ?? '')} ${value(before)} → ${value(after)}`;
    case 'keyword-removed':
      return `${at}: ${code(change.keyword ?? '')} removed`;
    case 'default-changed':
      return `${at}: default ${value(before)} → ${value(after)}`;
  }
}

const sectionTitles: Record<ChangeSeverity, string> = {
  breaking: 'Breaking',
  compatible: 'Compatible',
  info: 'Other changes',
};
const sectionNotes: Record<ChangeSeverity, string> = {
  breaking: 'Calls that clients or prompts make today may be refused or go to a tool that no longer exists.',
  compatible: 'Calls that are valid today stay valid.',
  info: 'Descriptions, annotations, confirmation, risk class and output: they change what the model reads, not which calls are valid.',
};

function apiText(diff: CatalogDiff): string {
  const { before, after } = diff;
  if (before.api.title === after.api.title) {
    return before.api.version === after.api.version ? `${before.api.title} ${before.api.version}` : `${before.api.title} ${before.api.version} → ${after.api.version}`;
  }
  return `${before.api.title} ${before.api.version} → ${after.api.title} ${after.api.version}`;
}

function percent(delta: number, base: number): string {
  if (base === 0 || delta === 0) return '';
  const value = (delta / base) * 100;
  return `, ${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(Math.abs(value) < 10 ? 1 : 0)}%`;
}

/**
 * Renders a catalog diff as Markdown for a pull-request comment: a summary line, then breaking changes,
 * compatible changes, other changes, the token cost per tool, and operations of the new spec that
 * toolwright.yaml does not decide on yet. Long sections are cut with a count of what was left out.
 */
export function renderDiffMarkdown(report: DiffReport): string {
  const lines: string[] = [diffMarker, `### Tool catalog: ${apiText(report)}`, ''];
  const { summary, tokens } = report;
  const counts = [
    summary.breaking > 0 ? `**${plural(summary.breaking, 'breaking change')}**` : 'no breaking changes',
    `${formatCount(summary.compatible)} compatible`,
    `${formatCount(summary.info)} other`,
  ];
  const toolDelta = [report.added.length > 0 ? `${report.added.length} added` : '', report.removed.length > 0 ? `${report.removed.length} removed` : '', report.renamed.length > 0 ? `${report.renamed.length} renamed` : '']
    .filter(Boolean)
    .join(', ');
  lines.push(
    `${counts.join(', ')} · tools ${formatCount(report.before.tools)} → ${formatCount(report.after.tools)}${toolDelta ? ` (${toolDelta})` : ''} · tokens ${formatCount(tokens.before)} → ${formatCount(tokens.after)} (${signed(tokens.delta)}${percent(tokens.delta, tokens.before)})`,
  );
  if (report.changes.length === 0) lines.push('', 'No changes to the tool catalog.');
  for (const severity of ['breaking', 'compatible', 'info'] as const) {
    const changes = report.changes.filter((change) => change.severity === severity);
    if (changes.length === 0) continue;
    lines.push('', `#### ${sectionTitles[severity]} (${formatCount(changes.length)})`, '', sectionNotes[severity], '');
    lines.push(...renderChanges(changes, report));
  }
  if (tokens.tools.length > 0) {
    lines.push('', '#### Token cost', '', '| tool | before | after | change |', '| --- | ---: | ---: | ---: |');
    const rows = [...tokens.tools].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0));
    for (const row of rows.slice(0, maxTokenRows)) {
      lines.push(`| ${code(row.tool).replace(/\|/g, '\\|')} | ${row.before === null ? '–' : formatCount(row.before)} | ${row.after === null ? '–' : formatCount(row.after)} | ${signed(row.delta)} |`);
    }
    if (rows.length > maxTokenRows) lines.push(`| ${plural(rows.length - maxTokenRows, 'more tool')} | | | ${signed(rows.slice(maxTokenRows).reduce((sum, row) => sum + row.delta, 0))} |`);
    lines.push(`| **total** | **${formatCount(tokens.before)}** | **${formatCount(tokens.after)}** | **${signed(tokens.delta)}** |`);
  }
  if (report.unreviewed.length > 0) {
    lines.push('', `#### Not yet decided in toolwright.yaml (${formatCount(report.unreviewed.length)})`, '');
    lines.push('Operations new in the spec that toolwright.yaml does not list. Run `toolwright curate` to decide on them.', '');
    const shown = report.unreviewed.slice(0, maxSectionEntries);
    for (const operation of shown) {
      const risk = operation.riskClass === 'destructive' || operation.riskClass === 'admin' ? `**${operation.riskClass}**` : operation.riskClass;
      lines.push(`- ${code(operation.operation)}${operation.operationId ? ` (${code(operation.operationId)})` : ''}: ${risk}, ${operation.included ? 'included by its risk class' : 'left out'}`);
    }
    if (report.unreviewed.length > shown.length) lines.push(`- … and ${plural(report.unreviewed.length - shown.length, 'more operation')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One bullet per tool with a single change, or a bullet per tool with its changes nested under it. A
 * tool's output-schema changes become one line when there are more than a few: reviewers read inputs.
 */
function renderChanges(changes: CatalogChange[], diff: CatalogDiff): string[] {
  const lines: string[] = [];
  const byTool = new Map<string, string[]>();
  for (const change of changes) byTool.set(change.tool, [...(byTool.get(change.tool) ?? []), describeChange(change, diff)]);
  for (const [tool, descriptions] of byTool) {
    const output = changes.filter((change) => change.tool === tool && change.area === 'output');
    if (output.length > maxOutputLines) {
      const kept = descriptions.slice(0, descriptions.length - output.length);
      byTool.set(tool, [...kept, `output schema: ${plural(output.length, 'change')}`]);
    }
  }
  let shown = 0;
  for (const [tool, toolChanges] of byTool) {
    if (shown >= maxSectionEntries) break;
    if (toolChanges.length === 1) {
      lines.push(`- ${code(tool)}: ${toolChanges[0]!}`);
      shown++;
      continue;
    }
    lines.push(`- ${code(tool)}`);
    for (const line of toolChanges) {
      if (shown >= maxSectionEntries) break;
      lines.push(`  - ${line}`);
      shown++;
    }
  }
  const total = [...byTool.values()].reduce((sum, lines) => sum + lines.length, 0);
  if (total > shown) {
    lines.push(`- … and ${plural(total - shown, 'more line')} (\`toolwright diff --json\` lists every change)`);
  }
  return lines;
}

/**
 * Renders a lint report for a terminal: the costliest tools as a table, the findings grouped by
 * severity, and a closing line with the totals and budgets.
 */
export function renderLintText(report: LintReport, { top = 10 }: { top?: number } = {}): string {
  const lines: string[] = [];
  const { summary } = report;
  lines.push(`${report.api.title} ${report.api.version}: ${plural(summary.tools, 'tool')}, ${plural(summary.tokens, 'token')} of tool definitions.`);
  if (report.tools.length > 0) {
    const rows = report.tools.slice(0, top);
    const header = ['TOOL', 'TOKENS', 'SHARE', 'CLASS'];
    const cells = rows.map((tool) => [
      tool.name,
      formatCount(tool.tokens),
      summary.tokens > 0 ? `${((tool.tokens / summary.tokens) * 100).toFixed(1)}%` : '-',
      tool.riskClass ?? '-',
    ]);
    const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i]!.length)));
    const format = (row: string[]) => row.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
    lines.push('', report.tools.length > rows.length ? `The ${rows.length} costliest of ${formatCount(report.tools.length)} tools:` : 'Tools by cost:', `  ${format(header)}`);
    for (const row of cells) lines.push(`  ${format(row)}`);
  }
  for (const severity of ['error', 'warning'] as const) {
    const findings = report.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    lines.push('', `${severity === 'error' ? 'Errors' : 'Warnings'} (${formatCount(findings.length)}):`);
    for (const finding of findings) lines.push(`  ${findingText(finding)}`);
  }
  const budgets = [
    report.budgets.maxTokens !== null ? `${formatCount(summary.tokens)} of ${formatCount(report.budgets.maxTokens)} tokens` : undefined,
    report.budgets.maxTools !== null ? `${formatCount(summary.tools)} of ${formatCount(report.budgets.maxTools)} tools` : undefined,
  ].filter(Boolean);
  lines.push(
    '',
    `${summary.errors === 0 && summary.warnings === 0 ? 'No problems found' : `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}`}.${budgets.length > 0 ? ` Budget: ${budgets.join(', ')}.` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function findingText(finding: LintFinding): string {
  return `${finding.tool ?? '(catalog)'}: ${finding.message} [${finding.rule}]`;
}
