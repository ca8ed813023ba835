import { McpServer, fromJsonSchema, type CallToolResult, type JsonSchemaType } from '@modelcontextprotocol/server';
import { describeCredentialVariables, selectCredentials } from './auth.js';
import type { RuntimeConfig } from './config.js';
import type { ServerDefinition, ToolDefinition } from './definition.js';
import { createLogger, type Logger } from './log.js';
import { createRedactor, type Redact } from './redact.js';
import { buildRequest, RequestError } from './request.js';
import { toToolResult } from './results.js';
import { sendRequest } from './upstream.js';
import { schemaValidator } from './validation.js';

/** Everything a server instance is built from. */
export type BuildServerOptions = {
  serverDefinition: ServerDefinition;
  tools: ToolDefinition[];
  config: RuntimeConfig;
  /** Defaults to JSON lines on stderr. */
  log?: Logger;
};

type CallContext = BuildServerOptions & { log: Logger; redact: Redact; userAgent: string };

/** Builds an MCP server that lists the given tools and answers each call with one request to the upstream API. */
export function buildServer(options: BuildServerOptions): McpServer {
  const { serverDefinition, config } = options;
  const redact = createRedactor(config.credentials);
  const log = options.log ?? createLogger({ server: serverDefinition.name, redact });
  const context: CallContext = { ...options, log, redact, userAgent: `${serverDefinition.name}-mcp-server/${serverDefinition.version}` };
  const server = new McpServer(
    { name: serverDefinition.name, version: serverDefinition.version },
    { cacheHints: { 'tools/list': { ttlMs: 300_000, cacheScope: 'public' } } },
  );
  for (const tool of options.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: fromJsonSchema(tool.inputSchema as JsonSchemaType, schemaValidator),
        ...(tool.outputSchema ? { outputSchema: fromJsonSchema(tool.outputSchema as JsonSchemaType, schemaValidator) } : {}),
        annotations: tool.annotations,
      },
      (args, ctx) => callTool(context, tool, (args ?? {}) as { [name: string]: unknown }, ctx.mcpReq.signal),
    );
  }
  return server;
}

async function callTool(context: CallContext, tool: ToolDefinition, args: { [name: string]: unknown }, signal: AbortSignal): Promise<CallToolResult> {
  const { config, log, redact } = context;
  const started = Date.now();
  const audit = { tool: tool.name, method: tool.http.method, path: tool.http.path };
  let request;
  try {
    request = buildRequest({ tool, args, baseUrl: config.baseUrl, credentials: config.credentials });
  } catch (error) {
    const invalid = error instanceof RequestError;
    const text = invalid ? `Invalid arguments for tool ${tool.name}: ${error.message}` : `Tool ${tool.name} failed to build its request: ${String(error)}`;
    log(invalid ? 'info' : 'error', 'tool call', { ...audit, outcome: 'invalid_request', error: text, durationMs: Date.now() - started });
    return { isError: true, content: [{ type: 'text', text: redact(text) }] };
  }
  request.headers['user-agent'] = context.userAgent;
  if (tool.outputSchema || tool.http.output.kind !== 'none') request.headers.accept ??= 'application/json';
  const outcome = await sendRequest(request, { timeoutMs: config.timeoutMs, signal, maxResponseBytes: config.maxResponseBytes });
  const unauthenticated = selectCredentials(tool.http.security, config.credentials) === undefined;
  const answer = toToolResult({
    tool,
    outcome,
    redact,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    authHint: unauthenticated ? describeCredentialVariables(context.serverDefinition, tool.http.security) : undefined,
  });
  if (answer.problem) log('warn', `the response does not match the output schema: ${answer.problem}`, audit);
  log('info', 'tool call', {
    ...audit,
    ...(outcome.kind === 'response' ? { status: outcome.status } : {}),
    outcome: answer.outcome,
    durationMs: Date.now() - started,
  });
  return answer.result;
}
