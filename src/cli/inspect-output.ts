import type { Curated } from '../pipeline.js';
import { formatCount } from '../format-count.js';

/** Renders every operation with its tool name and inclusion, as an aligned table or as JSON. */
export function renderInspection(curated: Curated, costs: Map<string, number>, format: 'text' | 'json'): string {
  const rows = curated.decisions.operations.map((decision) => ({
    method: decision.operation.method,
    path: decision.operation.path,
    operationId: decision.operation.operationId ?? null,
    tool: decision.name,
    risk: decision.risk.class,
    riskSensitivities: decision.risk.sensitivities,
    riskReasons: decision.risk.reasons,
    tokens: costs.get(decision.operation.key) ?? 0,
    included: decision.included,
    reason: decision.reason,
  }));
  if (format === 'json') {
    const { model, decisions } = curated;
    return `${JSON.stringify({ api: { title: model.title, version: model.version }, server: decisions.server, operations: rows }, null, 2)}\n`;
  }
  const header = { method: 'METHOD', path: 'PATH', operationId: 'OPERATION ID', tool: 'TOOL', risk: 'CLASS', tokens: 'TOKENS', included: 'IN', reason: 'WHY' };
  const cells = [header, ...rows.map((row) => ({ ...row, operationId: row.operationId ?? '-', included: row.included ? 'yes' : 'no' }))];
  const columns = ['method', 'path', 'operationId', 'tool', 'risk', 'tokens', 'included'] as const;
  const widths = columns.map((column) => Math.max(...cells.map((cell) => String(cell[column]).length)));
  const lines = cells.map((cell) =>
    [...columns.map((column, i) => String(cell[column]).padEnd(widths[i]!)), cell.reason].join('  ').trimEnd(),
  );
  const included = rows.filter((row) => row.included);
  const tokens = included.reduce((sum, row) => sum + row.tokens, 0);
  lines.push(
    '',
    `${rows.length} operations, ${included.length} included as tools (${formatCount(tokens)} tokens of tool definitions), ${rows.length - included.length} left out.`,
  );
  return `${lines.join('\n')}\n`;
}
