import { countToolTokens } from '../catalog/tokens.js';
import type { ToolSource } from '../catalog/types.js';
import type { RiskClass } from '../model/classify.js';
import { canonicalJson, type ChangeSeverity, type SchemaChangeKind } from './schema-changes.js';
import { compareSchemas } from './schema-diff.js';
import type { JsonValue, ReviewCatalog, ReviewTool } from './types.js';

export type { ChangeSeverity, SchemaChangeKind };

/** Changes to a tool as a whole, as opposed to its schemas. */
export type ToolChangeKind =
  | 'tool-added'
  | 'tool-removed'
  | 'tool-renamed'
  | 'source-changed'
  | 'title-changed'
  | 'description-changed'
  | 'annotation-changed'
  | 'confirmation-added'
  | 'confirmation-removed'
  | 'confirmation-changed'
  | 'risk-changed'
  | 'output-schema-added'
  | 'output-schema-removed';

/** What part of a tool a change is in: the tool itself, its input schema or its output schema. */
export type ChangeArea = 'tool' | 'input' | 'output';

/**
 * One change between two catalogs. `tool` is the tool's name in the new catalog (in the old one for a
 * removed tool); `path` is set for input and output changes (see `SchemaChange`). Output-schema changes
 * are always `info`: they do not decide whether a call is accepted.
 */
export type CatalogChange = {
  severity: ChangeSeverity;
  tool: string;
  area: ChangeArea;
  kind: ToolChangeKind | SchemaChangeKind;
  path?: string;
  keyword?: string;
  before?: JsonValue;
  after?: JsonValue;
  values?: JsonValue[];
};

/** An added or removed tool, with what a reviewer needs to judge it. */
export type ToolSummary = {
  name: string;
  title: string;
  riskClass: RiskClass | null;
  source: ToolSource | null;
  tokens: number;
};

/** A tool's token cost before and after; null on the side where the tool does not exist. */
export type TokenChange = { tool: string; before: number | null; after: number | null; delta: number };

export type CatalogSide = {
  api: { title: string; version: string };
  server: { name: string; version: string };
  tools: number;
  tokens: number;
};

/** Everything that changed between two catalogs. Every list has a fixed order. */
export type CatalogDiff = {
  before: CatalogSide;
  after: CatalogSide;
  summary: { breaking: number; compatible: number; info: number };
  added: ToolSummary[];
  removed: ToolSummary[];
  renamed: { from: string; to: string; source: ToolSource | null }[];
  /** Breaking changes first, then compatible, then info; within each, by tool, area and path. */
  changes: CatalogChange[];
  tokens: { before: number; after: number; delta: number; tools: TokenChange[] };
};

const severityOrder: Record<ChangeSeverity, number> = { breaking: 0, compatible: 1, info: 2 };
const areaOrder: Record<ChangeArea, number> = { tool: 0, input: 1, output: 2 };
const hints = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two tool catalogs: tools added, removed and renamed (a tool whose name changed is found by
 * its source operation: the same method and path, or the same operationId), and for every tool in both,
 * the changes to its input schema, classified as breaking or compatible, and to its title, description,
 * annotations, confirmation, risk class and output schema; plus the catalog's token cost on each side.
 * @example
 * const diff = diffCatalogs({ before: JSON.parse(oldToolsJson), after: JSON.parse(newToolsJson) });
 * if (diff.summary.breaking > 0) process.exitCode = 3;
 */
export function diffCatalogs({ before, after }: { before: ReviewCatalog; after: ReviewCatalog }): CatalogDiff {
  const { pairs, added, removed } = matchTools(before.tools, after.tools);
  const changes: CatalogChange[] = [];
  for (const tool of added) changes.push({ severity: 'compatible', tool: tool.name, area: 'tool', kind: 'tool-added' });
  for (const tool of removed) changes.push({ severity: 'breaking', tool: tool.name, area: 'tool', kind: 'tool-removed' });
  for (const [was, is] of pairs) changes.push(...compareTools(was, is));
  changes.sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      byText(a.tool, b.tool) ||
      areaOrder[a.area] - areaOrder[b.area] ||
      byText(a.path ?? '', b.path ?? ''),
  );
  const cost = new Map<ReviewTool, number>([...before.tools, ...after.tools].map((tool) => [tool, countToolTokens(tool)]));
  const tokenChanges: TokenChange[] = [
    ...pairs.map(([was, is]) => ({ tool: is.name, before: cost.get(was)!, after: cost.get(is)! })),
    ...added.map((tool) => ({ tool: tool.name, before: null, after: cost.get(tool)! })),
    ...removed.map((tool) => ({ tool: tool.name, before: cost.get(tool)!, after: null })),
  ]
    .map((entry) => ({ ...entry, delta: (entry.after ?? 0) - (entry.before ?? 0) }))
    .filter((entry) => entry.before !== entry.after)
    .sort((a, b) => byText(a.tool, b.tool));
  const total = (tools: ReviewTool[]) => tools.reduce((sum, tool) => sum + cost.get(tool)!, 0);
  const side = (catalog: ReviewCatalog): CatalogSide => ({
    api: { title: catalog.api.title, version: catalog.api.version },
    server: { name: catalog.server.name, version: catalog.server.version },
    tools: catalog.tools.length,
    tokens: total(catalog.tools),
  });
  const summarize = (tool: ReviewTool): ToolSummary => ({
    name: tool.name,
    title: tool.title,
    riskClass: tool.risk?.class ?? null,
    source: tool.source ? sourceOf(tool.source) : null,
    tokens: cost.get(tool)!,
  });
  return {
    before: side(before),
    after: side(after),
    summary: {
      breaking: changes.filter((change) => change.severity === 'breaking').length,
      compatible: changes.filter((change) => change.severity === 'compatible').length,
      info: changes.filter((change) => change.severity === 'info').length,
    },
    added: added.map(summarize),
    removed: removed.map(summarize),
    renamed: pairs
      .filter(([was, is]) => was.name !== is.name)
      .map(([was, is]) => ({ from: was.name, to: is.name, source: is.source ? sourceOf(is.source) : null })),
    changes,
    tokens: { before: total(before.tools), after: total(after.tools), delta: total(after.tools) - total(before.tools), tools: tokenChanges },
  };
}

function sourceOf(source: ToolSource): ToolSource {
  return { method: source.method, path: source.path, ...(source.operationId ? { operationId: source.operationId } : {}) };
}

/**
 * Pairs the tools of two catalogs: by name first, then the remaining ones by their source operation
 * (method and path, with path parameter names ignored), then by operationId; only one-to-one matches count.
 */
function matchTools(before: ReviewTool[], after: ReviewTool[]): { pairs: [ReviewTool, ReviewTool][]; added: ReviewTool[]; removed: ReviewTool[] } {
  const afterByName = new Map<string, ReviewTool>();
  for (const tool of after) if (!afterByName.has(tool.name)) afterByName.set(tool.name, tool);
  const beforeNames = new Set(before.map((tool) => tool.name));
  const pairs: [ReviewTool, ReviewTool][] = [];
  let removed: ReviewTool[] = [];
  const seen = new Set<string>();
  for (const tool of before) {
    if (seen.has(tool.name)) continue;
    seen.add(tool.name);
    const match = afterByName.get(tool.name);
    if (match) pairs.push([tool, match]);
    else removed.push(tool);
  }
  let added = [...afterByName.values()].filter((tool) => !beforeNames.has(tool.name));
  const keys = [
    (tool: ReviewTool) => (tool.source ? `${tool.source.method} ${tool.source.path.replace(/\{[^}]*\}/g, '{}')}` : undefined),
    (tool: ReviewTool) => tool.source?.operationId,
  ];
  for (const keyOf of keys) {
    const unique = (tools: ReviewTool[]) => {
      const counts = new Map<string, number>();
      for (const tool of tools) {
        const key = keyOf(tool);
        if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return new Map(tools.filter((tool) => counts.get(keyOf(tool) ?? '') === 1).map((tool) => [keyOf(tool)!, tool]));
    };
    const addedByKey = unique(added);
    const renamed = new Set<ReviewTool>();
    for (const [key, tool] of unique(removed)) {
      const match = addedByKey.get(key);
      if (!match) continue;
      pairs.push([tool, match]);
      renamed.add(tool).add(match);
    }
    removed = removed.filter((tool) => !renamed.has(tool));
    added = added.filter((tool) => !renamed.has(tool));
  }
  const order = (a: ReviewTool, b: ReviewTool) => byText(a.name, b.name);
  return { pairs: pairs.sort(([, a], [, b]) => order(a, b)), added: added.sort(order), removed: removed.sort(order) };
}

function compareTools(was: ReviewTool, is: ReviewTool): CatalogChange[] {
  const tool = is.name;
  const changes: CatalogChange[] = [];
  const change = (severity: ChangeSeverity, kind: ToolChangeKind, rest: Partial<CatalogChange> = {}) => {
    const entry: CatalogChange = { severity, tool, area: 'tool', kind };
    if (rest.keyword !== undefined) entry.keyword = rest.keyword;
    if (rest.before !== undefined) entry.before = rest.before;
    if (rest.after !== undefined) entry.after = rest.after;
    changes.push(entry);
  };
  if (was.name !== is.name) change('breaking', 'tool-renamed', { before: was.name, after: is.name });
  const sourceText = (source: ToolSource | undefined) => (source ? `${source.method} ${source.path}` : undefined);
  if (was.source && is.source && sourceText(was.source) !== sourceText(is.source)) {
    change('info', 'source-changed', { before: sourceText(was.source), after: sourceText(is.source) });
  }
  if (was.title !== is.title) change('info', 'title-changed', { before: was.title, after: is.title });
  if (was.description !== is.description) change('info', 'description-changed', { before: was.description, after: is.description });
  for (const hint of hints) {
    if (was.annotations[hint] !== is.annotations[hint]) {
      change('info', 'annotation-changed', { keyword: hint, before: was.annotations[hint], after: is.annotations[hint] });
    }
  }
  const wasArgument = was.confirmation?.argument;
  const isArgument = is.confirmation?.argument;
  if (wasArgument === undefined && isArgument !== undefined) change('info', 'confirmation-added', { after: isArgument });
  else if (wasArgument !== undefined && isArgument === undefined) change('info', 'confirmation-removed', { before: wasArgument });
  else if (wasArgument !== isArgument) change('info', 'confirmation-changed', { before: wasArgument, after: isArgument });
  if (was.risk && is.risk && was.risk.class !== is.risk.class) change('info', 'risk-changed', { before: was.risk.class, after: is.risk.class });
  if (canonicalJson(was.inputSchema) !== canonicalJson(is.inputSchema)) {
    for (const schemaChange of compareSchemas({ before: was.inputSchema, after: is.inputSchema })) {
      changes.push({ severity: schemaChange.severity, tool, area: 'input', ...withoutSeverity(schemaChange) });
    }
  }
  if (was.outputSchema && !is.outputSchema) change('info', 'output-schema-removed');
  else if (!was.outputSchema && is.outputSchema) change('info', 'output-schema-added');
  else if (was.outputSchema && is.outputSchema && canonicalJson(was.outputSchema) !== canonicalJson(is.outputSchema)) {
    for (const schemaChange of compareSchemas({ before: was.outputSchema, after: is.outputSchema })) {
      changes.push({ severity: 'info', tool, area: 'output', ...withoutSeverity(schemaChange) });
    }
  }
  return changes;
}

function withoutSeverity<T extends { severity: ChangeSeverity }>(value: T): Omit<T, 'severity'> {
  const { severity: _severity, ...rest } = value;
  return rest;
}
