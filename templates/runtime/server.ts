import { McpServer, ProtocolError, ProtocolErrorCode, isInputRequiredResult, type Tool } from '@modelcontextprotocol/server';
import { discoveryTools, listedTools } from './discovery.js';
import type { Runtime } from './runtime.js';
import { catalogTool, failedCallResult, invokeServedTool, type ServedTool } from './served-tool.js';

export type { ServedCall, ServedTool } from './served-tool.js';

/** Every tool a runtime serves: the `tools/list` answer and each tool by name, shared by every server instance. */
export type ToolTable = { listing: Tool[]; byName: ReadonlyMap<string, ServedTool> };

const tables = new WeakMap<Runtime, ToolTable>();

/**
 * Builds an MCP server that lists the runtime's tools and answers each call with a request to the upstream API.
 * `caller` names who is calling (from inbound authentication) for the audit log. Building one is cheap whatever
 * the number of tools: stateless HTTP builds one per request, from a tool table built once per runtime.
 */
export function buildServer(runtime: Runtime, caller?: string): McpServer {
  const { serverDefinition } = runtime;
  const server = new McpServer(
    { name: serverDefinition.name, version: serverDefinition.version },
    {
      cacheHints: { 'tools/list': { ttlMs: 300_000, cacheScope: 'public' } },
      ...(serverDefinition.instructions ? { instructions: serverDefinition.instructions } : {}),
    },
  );
  serveToolTable(server, toolTableOf(runtime), caller);
  return server;
}

/** The runtime's tool table, built on first use. */
export function toolTableOf(runtime: Runtime): ToolTable {
  let table = tables.get(runtime);
  if (!table) {
    const catalog = new Map(runtime.tools.map((tool) => [tool.name, catalogTool(runtime, tool)]));
    table = createToolTable([...listedTools(runtime).map((tool) => catalog.get(tool.name)!), ...discoveryTools(runtime, catalog)]);
    tables.set(runtime, table);
  }
  return table;
}

/** A tool table over the given tools, listed in their order. */
export function createToolTable(tools: ServedTool[]): ToolTable {
  return { listing: tools.map((tool) => tool.listing), byName: new Map(tools.map((tool) => [tool.listing.name, tool])) };
}

/**
 * Answers `tools/list` and `tools/call` from the table, as the SDK's `McpServer` does for registered tools
 * (the same errors, output checks and result projection for each protocol revision), without registering
 * every tool on every instance.
 */
function serveToolTable(server: McpServer, table: ToolTable, caller: string | undefined): void {
  const inner = server.server;
  inner.registerCapabilities({ tools: { listChanged: inner.getCapabilities().tools?.listChanged ?? true } });
  inner.setRequestHandler('tools/list', () => ({ tools: table.listing }));
  inner.setRequestHandler('tools/call', async (request, ctx) => {
    const { name } = request.params;
    const tool = table.byName.get(name);
    if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
    try {
      const result = await invokeServedTool(tool, request.params.arguments ?? {}, { ctx, server, ...(caller ? { caller } : {}) });
      return isInputRequiredResult(result) ? result : inner.projectCallToolResult(result, tool.listing.outputSchema);
    } catch (error) {
      return failedCallResult(error);
    }
  });
}
