import {
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  isInputRequiredResult,
  type CallToolResult,
  type InputRequiredResult,
  type JsonSchemaType,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { redactArguments } from './audit.js';
import { callTool } from './call-tool.js';
import type { ToolDefinition } from './definition.js';
import type { Runtime } from './runtime.js';
import { schemaValidator } from './validation.js';

/** One call of a served tool, with arguments that passed its input schema. */
export type ServedCall = {
  args: { [name: string]: unknown };
  ctx: ServerContext;
  server: McpServer;
  /** Who is calling, from inbound authentication; undefined when unknown. */
  caller?: string;
};

/**
 * A tool as the server lists and runs it: a tool of the catalog, or one the server adds itself. The
 * listing is built once; the schemas are compiled into validators on the first call that needs them.
 */
export type ServedTool = {
  /** The entry of `tools/list`. */
  listing: Tool;
  /** Called with arguments that the input schema rejected, before the error goes back to the client. */
  onInvalidArguments?: (args: unknown, caller: string | undefined) => void;
  run(call: ServedCall): Promise<CallToolResult | InputRequiredResult>;
};

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
  useNullPrototypeRegistries(server);
  serveToolTable(server, toolTableOf(runtime), caller);
  return server;
}

/** The runtime's tool table, built on first use. */
export function toolTableOf(runtime: Runtime): ToolTable {
  let table = tables.get(runtime);
  if (!table) {
    table = createToolTable(runtime.tools.map((tool) => catalogTool(runtime, tool)));
    tables.set(runtime, table);
  }
  return table;
}

/** A tool table over the given tools, listed in their order. */
export function createToolTable(tools: ServedTool[]): ToolTable {
  return { listing: tools.map((tool) => tool.listing), byName: new Map(tools.map((tool) => [tool.listing.name, tool])) };
}

/** A tool of the catalog: arguments checked and audited when rejected, then sent upstream by {@link callTool}. */
function catalogTool(runtime: Runtime, tool: ToolDefinition): ServedTool {
  return {
    listing: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: { type: 'object', ...tool.inputSchema } as Tool['inputSchema'],
      ...(tool.outputSchema ? { outputSchema: tool.outputSchema as Tool['outputSchema'] } : {}),
      annotations: tool.annotations,
    },
    onInvalidArguments(args, caller) {
      runtime.audit({
        tool: tool.name,
        ...(caller ? { caller } : {}),
        arguments: args !== null && typeof args === 'object' ? redactArguments(args as { [name: string]: unknown }, tool.inputSchema, runtime.redact) : args,
        method: tool.http.method,
        path: tool.http.path,
        durationMs: 0,
        outcome: 'invalid_arguments',
      });
    },
    run: ({ args, ctx, server, caller }) => callTool(runtime, { tool, args, ctx, server, ...(caller ? { caller } : {}) }),
  };
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
      const args = request.params.arguments ?? {};
      const problem = findProblem(tool.listing.inputSchema, args);
      if (problem !== undefined) {
        tool.onInvalidArguments?.(args, caller);
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Input validation error: Invalid arguments for tool ${name}: ${problem}`);
      }
      const result = await tool.run({ args, ctx, server, ...(caller ? { caller } : {}) });
      if (isInputRequiredResult(result)) return result;
      checkOutput(tool, name, result);
      return inner.projectCallToolResult(result, tool.listing.outputSchema);
    } catch (error) {
      if (error instanceof ProtocolError && error.code === ProtocolErrorCode.UrlElicitationRequired) throw error;
      return { content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }], isError: true };
    }
  });
}

/** A result that declares an output schema must carry conforming `structuredContent` (unless it is an error). */
function checkOutput(tool: ServedTool, name: string, result: CallToolResult): void {
  const schema = tool.listing.outputSchema;
  if (!schema || result.isError) return;
  if (result.structuredContent === undefined) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Output validation error: Tool ${name} has an output schema but no structured content was provided`);
  }
  const problem = findProblem(schema, result.structuredContent);
  if (problem !== undefined) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Output validation error: Invalid structured content for tool ${name}: ${problem}`);
  }
}

/** The validator's message when `value` does not conform to `schema` (compiled on first use, then cached). */
function findProblem(schema: object, value: unknown): string | undefined {
  const result = schemaValidator.getValidator(schema as JsonSchemaType)(value);
  return result.valid ? undefined : result.errorMessage;
}

/**
 * The SDK keeps tools in plain objects keyed by name, where `constructor`, `toString` or `__proto__` would find
 * Object.prototype members (its HTTP entry looks a called tool up there): give those maps no prototype.
 */
function useNullPrototypeRegistries(server: McpServer): void {
  const internals = server as unknown as { [field: string]: unknown };
  for (const field of ['_registeredTools', '_toolInputSchemaJson']) {
    const map = internals[field];
    if (map !== null && typeof map === 'object' && Object.keys(map).length === 0) internals[field] = Object.create(null);
  }
}
