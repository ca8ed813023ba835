import type { CallToolResult, InputRequiredResult, Tool } from '@modelcontextprotocol/server';
import type { ToolAnnotations, ToolDefinition } from './definition.js';
import { callToolDefinition, describeLimit, describeToolsDefinition, searchLimits, searchToolsDefinition, type DiscoveryTool } from './discovery-tools.js';
import type { Runtime } from './runtime.js';
import { failedCallResult, invokeServedTool, type ServedCall, type ServedTool } from './served-tool.js';
import { buildSearchIndex, pathWords, searchTools, type SearchIndex } from './tool-search.js';

/** The tools a server lists as tools of their own: all of them in `tools` mode, the core ones in `hybrid`, none in `discovery`. */
export function listedTools(runtime: Runtime): ToolDefinition[] {
  const { mode = 'tools', coreTools = [] } = runtime.serverDefinition;
  if (mode === 'tools') return runtime.tools;
  if (mode === 'discovery') return [];
  const core = new Set(coreTools);
  return runtime.tools.filter((tool) => core.has(tool.name));
}

/**
 * `search_tools`, `describe_tools` and `call_tool` in `discovery` and `hybrid` modes (none in `tools` mode). Only
 * the tools this process serves (after the read-only switch and the allow-list) can be found, described or
 * called, and `call_tool` runs the served tool from `catalog` exactly as a listed tool runs: the same argument
 * and output checks, audit line and errors.
 */
export function discoveryTools(runtime: Runtime, catalog: ReadonlyMap<string, ServedTool>): ServedTool[] {
  if ((runtime.serverDefinition.mode ?? 'tools') === 'tools') return [];
  const search = metaTool(searchToolsDefinition, searchToolsDefinition.annotations, async ({ args }) => {
    const limit = typeof args.limit === 'number' ? Math.min(searchLimits.max, Math.max(1, Math.floor(args.limit))) : searchLimits.default;
    const served = servedTools(runtime);
    const hits = searchTools(await searchIndexOf(runtime), String(args.query), limit, { include: (name) => served.has(name) });
    const tools = hits.map(({ name }) => {
      const tool = served.get(name)!;
      return { name, title: tool.title, description: briefly(tool.description), annotations: tool.annotations };
    });
    if (tools.length === 0) {
      return structured({ tools }, `No tool matches "${String(args.query)}". Search again with other words: the thing (e.g. "invoice") and what to do with it (e.g. "list", "create").`);
    }
    return structured({ tools });
  });
  const describe = metaTool(describeToolsDefinition, describeToolsDefinition.annotations, async ({ args }) => {
    const served = servedTools(runtime);
    const names = (args.names as string[]).slice(0, describeLimit);
    const unknown = names.filter((name) => !served.has(name));
    if (unknown.length > 0) return errorText(runtime.redact(await unknownToolsMessage(runtime, unknown)));
    const tools = names.map((name) => {
      const { title, description, inputSchema, outputSchema, annotations } = served.get(name)!;
      return { name, title, description, inputSchema, ...(outputSchema ? { outputSchema } : {}), annotations };
    });
    return structured({ tools });
  });
  const call = metaTool(callToolDefinition, callToolAnnotations(runtime.tools), async ({ args, ctx, server, caller }) => {
    const name = String(args.name);
    const tool = catalog.get(name);
    if (!tool) return errorText(runtime.redact(await unknownToolsMessage(runtime, [name])));
    try {
      return await invokeServedTool(tool, args.arguments ?? {}, { ctx, server, ...(caller ? { caller } : {}) });
    } catch (error) {
      return failedCallResult(error);
    }
  });
  return [search, describe, call];
}

function metaTool(definition: DiscoveryTool, annotations: ToolAnnotations, run: (call: ServedCall) => Promise<CallToolResult | InputRequiredResult>): ServedTool {
  return {
    listing: {
      name: definition.name,
      title: definition.title,
      description: definition.description,
      inputSchema: definition.inputSchema as Tool['inputSchema'],
      ...(definition.outputSchema ? { outputSchema: definition.outputSchema as Tool['outputSchema'] } : {}),
      annotations,
    },
    run,
  };
}

/** The served tools by name, built once per runtime. */
const servedByTools = new WeakMap<ToolDefinition[], Map<string, ToolDefinition>>();
function servedTools(runtime: Runtime): Map<string, ToolDefinition> {
  let served = servedByTools.get(runtime.tools);
  if (!served) servedByTools.set(runtime.tools, (served = new Map(runtime.tools.map((tool) => [tool.name, tool]))));
  return served;
}

/** The index built at generation time, loaded on the first search; without one, an index of the tools' own text. */
const indexes = new WeakMap<object, Promise<SearchIndex>>();
function searchIndexOf(runtime: Runtime): Promise<SearchIndex> {
  const key = runtime.loadSearchIndex ?? runtime.tools;
  let index = indexes.get(key);
  if (!index) {
    index = (runtime.loadSearchIndex?.() ?? Promise.resolve(undefined)).then((loaded) => loaded ?? indexTools(runtime.tools));
    indexes.set(key, index);
  }
  return index;
}

function indexTools(tools: ToolDefinition[]): SearchIndex {
  return buildSearchIndex(
    tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      tags: [],
      pathWords: pathWords(tool.http.path),
      parameters: Object.keys((tool.inputSchema.properties as object | undefined) ?? {}),
      method: tool.http.method,
      path: tool.http.path,
    })),
  );
}

/** `call_tool` can do what the served tools can: read-only when they all are, destructive when any is. */
function callToolAnnotations(tools: ToolDefinition[]): ToolAnnotations {
  return {
    readOnlyHint: tools.every((tool) => tool.annotations.readOnlyHint),
    destructiveHint: tools.some((tool) => tool.annotations.destructiveHint),
    idempotentHint: tools.every((tool) => tool.annotations.idempotentHint),
    openWorldHint: true,
  };
}

/** Says which names are unknown and suggests the closest served tools. */
async function unknownToolsMessage(runtime: Runtime, names: string[]): Promise<string> {
  const served = servedTools(runtime);
  const index = await searchIndexOf(runtime);
  const lines = names.map((name) => {
    const suggestions = closestNames(name, index, served);
    return `There is no tool named "${truncate(name, 80)}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : ''}`;
  });
  return `${lines.join(' ')} Use search_tools to find a tool's exact name.`;
}

function closestNames(name: string, index: SearchIndex, served: Map<string, ToolDefinition>): string[] {
  const spelled = [...served.keys()]
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= Math.max(2, Math.floor(candidate.length / 4)))
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1))
    .map(({ candidate }) => candidate);
  const similar = searchTools(index, name, 3, { include: (candidate) => served.has(candidate) }).map((hit) => hit.name);
  return [...new Set([...spelled, ...similar])].slice(0, 3);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The first paragraph of a description, cut at a word near 200 characters. */
function briefly(description: string): string {
  const first = description.split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  if (first.length <= 200) return first;
  const cut = first.slice(0, 200);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 150))}...`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function structured(value: { tools: unknown[] }, note?: string): CallToolResult {
  return { content: [{ type: 'text', text: note ?? JSON.stringify(value) }], structuredContent: value };
}

function errorText(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
