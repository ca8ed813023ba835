import path from 'node:path';
import { countToolTokens } from '../catalog/tokens.js';
import type { Generated } from '../pipeline.js';
import type { WriteResult } from '../write/write-files.js';
import { groupDiagnostics } from './diagnostics.js';

/** What `generate --json` (and `init --yes --json`) prints: what was generated and written, and the warnings by cause. */
export type GenerateSummary = {
  out: string;
  tools: { name: string; method: string; path: string }[];
  operations: number;
  excluded: number;
  tokens: number;
  written: string[];
  unchanged: string[];
  removed: string[];
  warnings: { code: string; message: string; file?: string; line?: number; pointer?: string; operations: string[]; urgent: boolean }[];
  hiddenWarnings: number;
};

export function generateSummary(
  generated: Generated,
  out: string,
  result: WriteResult,
  extra: { verbose?: boolean; locate?: (pointer: string) => number | undefined } = {},
): GenerateSummary {
  const report = groupDiagnostics(generated.warnings, generated, extra.verbose, extra.locate);
  return {
    out: path.relative(process.cwd(), out) || '.',
    tools: generated.catalog.tools.map((tool) => ({ name: tool.name, method: tool.http.method, path: tool.http.path })),
    operations: generated.decisions.operations.length,
    excluded: generated.decisions.operations.length - generated.catalog.tools.length,
    tokens: generated.catalog.tools.reduce((sum, tool) => sum + countToolTokens(tool), 0),
    written: result.written,
    unchanged: result.unchanged,
    removed: result.removed,
    warnings: report.groups.map(({ diagnostic, operations, urgent }) => ({
      code: diagnostic.code,
      message: diagnostic.message,
      ...(diagnostic.file ? { file: diagnostic.file } : {}),
      ...(diagnostic.line ? { line: diagnostic.line } : {}),
      ...(diagnostic.pointer ? { pointer: diagnostic.pointer } : {}),
      operations,
      urgent,
    })),
    hiddenWarnings: report.hidden,
  };
}
