import type { Curated } from '../pipeline.js';

/** Renders every operation with its tool name and inclusion, as an aligned table or as JSON. */
export function renderInspection(curated: Curated, format: 'text' | 'json'): string {
  const rows = curated.decisions.operations.map((decision) => ({
    method: decision.operation.method,
    path: decision.operation.path,
    operationId: decision.operation.operationId ?? null,
    tool: decision.name,
    risk: decision.risk.class,
    riskReasons: decision.risk.reasons,
    included: decision.included,
    reason: decision.reason,
  }));
  if (format === 'json') {
    const { model, decisions } = curated;
    return `${JSON.stringify({ api: { title: model.title, version: model.version }, server: decisions.server, operations: rows }, null, 2)}\n`;
  }
  const header = { method: 'METHOD', path: 'PATH', operationId: 'OPERATION ID', tool: 'TOOL', risk: 'CLASS', included: 'IN', reason: 'WHY' };
  const cells = [header, ...rows.map((row) => ({ ...row, operationId: row.operationId ?? '-', included: row.included ? 'yes' : 'no' }))];
  const columns = ['method', 'path', 'operationId', 'tool', 'risk', 'included'] as const;
  const widths = columns.map((column) => Math.max(...cells.map((cell) => String(cell[column]).length)));
  const lines = cells.map((cell) =>
    [...columns.map((column, i) => String(cell[column]).padEnd(widths[i]!)), cell.reason].join('  ').trimEnd(),
  );
  const included = rows.filter((row) => row.included).length;
  lines.push('', `${rows.length} operations, ${included} included as tools, ${rows.length - included} left out.`);
  return `${lines.join('\n')}\n`;
}
