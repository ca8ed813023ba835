import {
  ProtocolError,
  ProtocolErrorCode,
  isInputRequiredResult,
  type CallToolResult,
  type InputRequiredResult,
  type JsonSchemaType,
  type McpServer,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { redactArguments } from './audit.js';
import { callTool } from './call-tool.js';
import type { ToolDefinition } from './definition.js';
import { metricsOf } from './metrics.js';
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

/** A tool of the catalog: arguments checked and audited when rejected, then sent upstream by {@link callTool}. */
export function catalogTool(runtime: Runtime, tool: ToolDefinition): ServedTool {
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
      metricsOf(runtime, runtime.serverDefinition).recordCall({ tool: tool.name, outcome: 'invalid_arguments', isError: true, durationMs: 0 });
    },
    run: ({ args, ctx, server, caller }) => callTool(runtime, { tool, args, ctx, server, ...(caller ? { caller } : {}) }),
  };
}

/**
 * Runs a served tool as the SDK's `McpServer` runs a registered one: the arguments are checked against the
 * input schema, and a result against the output schema, with the SDK's messages. A problem is thrown as a
 * {@link ProtocolError}; callers turn it into an `isError` result.
 */
export async function invokeServedTool(tool: ServedTool, args: unknown, call: Omit<ServedCall, 'args'>): Promise<CallToolResult | InputRequiredResult> {
  const { name } = tool.listing;
  const problem = findProblem(tool.listing.inputSchema, args);
  if (problem !== undefined) {
    tool.onInvalidArguments?.(args, call.caller);
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Input validation error: Invalid arguments for tool ${name}: ${problem}`);
  }
  const result = await tool.run({ ...call, args: args as { [name: string]: unknown } });
  if (!isInputRequiredResult(result)) checkOutput(tool, result);
  return result;
}

/** A result that declares an output schema must carry conforming `structuredContent` (unless it is an error). */
function checkOutput(tool: ServedTool, result: CallToolResult): void {
  const schema = tool.listing.outputSchema;
  const { name } = tool.listing;
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

/** The text of a call that failed before or after it ran, as an `isError` result; a URL elicitation is left to the SDK. */
export function failedCallResult(error: unknown): CallToolResult {
  if (error instanceof ProtocolError && error.code === ProtocolErrorCode.UrlElicitationRequired) throw error;
  return { content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }], isError: true };
}
