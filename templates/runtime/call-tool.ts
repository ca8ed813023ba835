import { CLIENT_INFO_META_KEY, type CallToolResult, type InputRequiredResult, type McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { describeCredentialVariables, selectSchemes } from './auth.js';
import { redactArguments, type AuditEntry } from './audit.js';
import { checkConfirmation, elicitationSupport } from './confirmation.js';
import { baseUrlOf } from './config.js';
import { prepareArguments } from './arguments.js';
import type { CredentialSources, Credentials } from './credentials.js';
import { metricsOf, type CallRecord } from './metrics.js';
import type { ToolDefinition } from './definition.js';
import { TokenError } from './oauth-client.js';
import { buildRequest, RequestError, type HttpRequest } from './request.js';
import { redactThenTruncate } from './redact.js';
import { errorResult, toToolResult } from './results.js';
import type { Runtime } from './runtime.js';
import { injectTraceContext, traceToolCall } from './tracing.js';
import { sendRequest, type SendResult } from './upstream.js';

/** One tool call as the server received it. */
export type ToolCall = {
  tool: ToolDefinition;
  args: { [name: string]: unknown };
  ctx: ServerContext;
  server: McpServer;
  /** Who is calling, from inbound authentication; undefined when unknown. */
  caller?: string;
};

type Finish = (result: CallToolResult | InputRequiredResult, entry: Pick<AuditEntry, 'outcome'> & Partial<AuditEntry>) => CallToolResult | InputRequiredResult;

/** Runs one tool call: confirmation, request building, upstream credentials, the upstream request, the result, its audit line and metrics. */
export async function callTool(runtime: Runtime, call: ToolCall): Promise<CallToolResult | InputRequiredResult> {
  return traceToolCall(call.tool.name, (observe) => callObserved(runtime, call, observe));
}

async function callObserved(runtime: Runtime, call: ToolCall, observe: (record: CallRecord) => void): Promise<CallToolResult | InputRequiredResult> {
  const { tool, args } = call;
  const started = Date.now();
  const auditedArgs = redactArguments(args, tool.inputSchema, runtime.redact);
  const finish: Finish = (result, entry) => {
    runtime.audit({
      tool: tool.name,
      ...(call.caller ? { caller: call.caller } : {}),
      ...clientOf(call, runtime.redact),
      arguments: auditedArgs,
      method: tool.http.method,
      path: tool.http.path,
      ...entry,
      durationMs: Date.now() - started,
    });
    const record: CallRecord = { tool: tool.name, outcome: entry.outcome, isError: 'isError' in result && result.isError === true, durationMs: Date.now() - started, ...(entry.status === undefined ? {} : { status: entry.status }) };
    metricsOf(runtime, runtime.serverDefinition).recordCall(record);
    observe(record);
    return result;
  };
  try {
    return await run(runtime, call, auditedArgs, finish);
  } catch (error) {
    runtime.log('error', `tool ${tool.name} failed unexpectedly`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return finish(errorResult(`Tool ${tool.name} failed inside the server; this is a bug, not a problem with the arguments. Tell the user.`), {
      outcome: 'internal_error',
    });
  }
}

async function run(runtime: Runtime, received: ToolCall, auditedArgs: unknown, finish: Finish): Promise<CallToolResult | InputRequiredResult> {
  const { config, redact } = runtime;
  let call: ToolCall;
  try {
    call = { ...received, args: prepareArguments(received.tool, received.args) };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    return finish(errorResult(`Invalid arguments for tool ${received.tool.name}: ${error.message}`, redact), { outcome: 'invalid_request' });
  }
  const { tool, args, ctx } = call;
  const operation = `${tool.http.method} ${tool.http.path}`;
  const baseUrl = baseUrlOf(config, tool.http.server);
  const build = (credentials: Credentials): HttpRequest => {
    const request = buildRequest({ tool, args, baseUrl, credentials, pinned: config.pinned });
    request.headers['user-agent'] = runtime.userAgent;
    injectTraceContext(request.headers);
    if (tool.outputSchema || tool.http.output.kind !== 'none') request.headers.accept ??= 'application/json';
    return request;
  };
  const invalid = (error: RequestError) =>
    finish(errorResult(`Invalid arguments for tool ${tool.name}: ${error.message}`, redact), { outcome: 'invalid_request' });
  try {
    build(staticCredentials(config.credentials));
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    return invalid(error);
  }

  let confirmedBy: 'elicitation' | 'argument' | undefined;
  if (tool.confirmation) {
    const { argument } = tool.confirmation;
    const check = await checkConfirmation({
      tool,
      argument,
      args,
      ctx,
      support: elicitationSupport(ctx, call.server),
      summary: describeCall(tool, args, argument, redact),
      guard: runtime.confirmations,
      caller: call.caller,
      allowArgumentWhenUnknown: config.confirmByArgument,
    });
    if (!check.proceed) return finish(check.result, { outcome: check.outcome });
    confirmedBy = check.confirmedBy;
  }

  const deadlineAt = Date.now() + config.callDeadlineMs;
  const schemes = selectSchemes(tool.http.security, config.credentials);
  const authHint = schemes === undefined ? describeCredentialVariables(runtime.serverDefinition, tool.http.security) : undefined;
  let sent;
  let requestUrl: string | undefined;
  try {
    let credentials = await runtime.resolveCredentials(schemes ?? []);
    const first = build(credentials.ready);
    requestUrl = first.url;
    sent = await send(runtime, call, first, deadlineAt);
    if (sent.outcome.kind === 'response' && sent.outcome.status === 401 && credentials.fetched.length > 0) {
      runtime.forgetTokens(credentials.fetched);
      credentials = await runtime.resolveCredentials(schemes ?? []);
      const again = await send(runtime, call, build(credentials.ready), deadlineAt);
      sent = { ...again, attempts: sent.attempts + again.attempts };
    }
  } catch (error) {
    if (error instanceof RequestError) return invalid(error);
    if (!(error instanceof TokenError)) throw error;
    const advice = error.transient ? 'Retrying later may help.' : "This is a problem with the server's configuration; retrying will not help. Tell the user.";
    const reason = redactThenTruncate(error.message, redact, { maxLength: 300 });
    const text = `${operation} was not sent: the server could not obtain its access token for the API (${reason}). ${advice}`;
    return finish(errorResult(text, redact), { outcome: 'auth_error', ...(confirmedBy ? { confirmedBy } : {}) });
  }

  const answer = toToolResult({
    tool,
    outcome: sent.outcome,
    redact,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    attempts: sent.attempts,
    ...(sent.deadlineReached ? { deadlineMs: config.callDeadlineMs } : {}),
    ...(authHint ? { authHint } : {}),
    ...(requestUrl ? { requestUrl } : {}),
  });
  if (answer.problem) runtime.log('warn', `the response does not match the output schema: ${answer.problem}`, { tool: tool.name });
  return finish(answer.result, {
    outcome: answer.outcome,
    ...(sent.outcome.kind === 'response' ? { status: sent.outcome.status } : {}),
    attempts: sent.attempts,
    ...(confirmedBy ? { confirmedBy } : {}),
  });
}

async function send(runtime: Runtime, call: ToolCall, built: HttpRequest, deadlineAt: number): Promise<SendResult> {
  const { config, hooks } = runtime;
  const context = { tool: call.tool, args: call.args };
  const baseUrl = baseUrlOf(config, call.tool.http.server);
  const request = hooks.beforeRequest ? checkHookedRequest(await hooks.beforeRequest(built, context), baseUrl) : built;
  const sent = await sendRequest(request, {
    timeoutMs: config.timeoutMs,
    signal: call.ctx.mcpReq.signal,
    maxResponseBytes: config.maxResponseBytes,
    readAheadBytes: runtime.redact.readAheadBytes(),
    maxRetries: config.maxRetries,
    baseUrl,
    limiter: runtime.limiter,
    deadlineAt,
  });
  if (!hooks.afterResponse || sent.outcome.kind !== 'response') return sent;
  const { outcome } = sent;
  const changed = await hooks.afterResponse({ status: outcome.status, headers: Object.fromEntries(outcome.headers), body: outcome.body }, context);
  return { ...sent, outcome: { ...outcome, status: changed.status, headers: new Headers(changed.headers), body: changed.body } };
}

/** A `beforeRequest` hook may change the request, but not send it outside the base URL. */
function checkHookedRequest(request: HttpRequest, baseUrl: string): HttpRequest {
  const url = new URL(request.url);
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
    throw new Error(`the beforeRequest hook sent the request outside ${base.origin}${prefix}`);
  }
  return request;
}

function clientOf({ ctx, server }: ToolCall, redact: (text: string) => string): { client?: string } {
  const envelope = ctx.mcpReq.envelope as { [key: string]: unknown } | undefined;
  const info = (envelope?.[CLIENT_INFO_META_KEY] ?? server.server.getClientVersion()) as { name?: unknown; version?: unknown } | undefined;
  return typeof info?.name === 'string' ? { client: redactThenTruncate(`${info.name}/${String(info.version ?? '')}`, redact, { maxLength: 100 }) } : {};
}

/**
 * What a call would do, for the user who confirms it: the operation and every argument in full (secrets
 * redacted, sensitive fields hidden). Past {@link maxSummaryLength}, values of arguments that do not address the
 * target (neither path nor query parameters) are shortened; the target's are never cut.
 */
function describeCall(tool: ToolDefinition, args: { [name: string]: unknown }, confirmArgument: string, redact: (text: string) => string): string {
  const { [confirmArgument]: _confirm, ...rest } = args;
  const operation = `${tool.http.method} ${tool.http.path}`;
  const full = redactArguments(rest, tool.inputSchema, redact, { full: true }) as { [name: string]: unknown };
  const text = JSON.stringify(full);
  if (text.length <= maxSummaryLength) return `${operation} with ${text}`;
  const targets = new Set(tool.http.parameters.filter((binding) => binding.in === 'path' || binding.in === 'query').map((binding) => binding.argument));
  const short = redactArguments(rest, tool.inputSchema, redact) as { [name: string]: unknown };
  const shown = Object.fromEntries(Object.keys(full).map((name) => [name, targets.has(name) ? full[name] : short[name]]));
  return `${operation} with ${JSON.stringify(shown)} (long values other than the target's shortened)`;
}

const maxSummaryLength = 4_000;

/** The configured credentials that need no token request, to check the arguments against before anything is fetched. */
function staticCredentials(sources: CredentialSources): Credentials {
  const ready: Credentials = {};
  for (const [scheme, source] of Object.entries(sources)) if (source.type !== 'clientCredentials') ready[scheme] = source;
  return ready;
}
