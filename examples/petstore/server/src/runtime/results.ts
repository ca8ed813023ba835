import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ToolDefinition } from './definition.js';
import { redactJson, type Redact } from './redact.js';
import type { UpstreamOutcome } from './upstream.js';
import { findSchemaError } from './validation.js';

/** How a call ended, for the audit log. */
export type CallOutcome = 'ok' | 'output_mismatch' | 'too_large' | 'redirect' | 'http_error' | 'timeout' | 'network_error' | 'cancelled';

const excerptLength = 2_000;

/** What {@link toToolResult} needs to know about a finished call. */
export type ResultInput = {
  tool: ToolDefinition;
  outcome: UpstreamOutcome;
  redact: Redact;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Set when the operation needs credentials and none are configured: which variables to set. */
  authHint?: string;
};

/** A tool result with how the call ended and, for an output-schema mismatch, what did not match. */
export type ToolAnswer = { result: CallToolResult; outcome: CallOutcome; problem?: string };

/** Turns what the upstream API answered into the tool result, with every secret redacted; `problem` explains an output-schema mismatch for the operator's log. */
export function toToolResult(input: ResultInput): ToolAnswer {
  const answer = describeOutcome(input);
  const content = answer.result.content.map((block) => (block.type === 'text' ? { ...block, text: input.redact(block.text) } : block));
  return { ...answer, result: { ...answer.result, content } };
}

function describeOutcome({ tool, outcome, redact, timeoutMs, maxResponseBytes, authHint }: ResultInput): ToolAnswer {
  const operation = `${tool.http.method} ${tool.http.path}`;
  const retryable = tool.annotations.readOnlyHint || tool.annotations.idempotentHint;
  if (outcome.kind === 'timeout') {
    const advice = retryable
      ? 'Retrying may help, ideally with a narrower request.'
      : 'The operation may or may not have taken effect: check before retrying.';
    return { result: errorResult(`${operation}: the API did not answer within ${timeoutMs} ms. ${advice}`), outcome: 'timeout' };
  }
  if (outcome.kind === 'network') {
    const text = `${operation}: could not reach the API (${outcome.reason}). The API may be down or the server's base URL may be wrong; retrying later may help.`;
    return { result: errorResult(text), outcome: 'network_error' };
  }
  if (outcome.kind === 'cancelled') return { result: errorResult(`${operation}: the call was cancelled.`), outcome: 'cancelled' };

  const status = `HTTP ${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`;
  if (outcome.status >= 300 && outcome.status < 400) {
    const location = outcome.headers.get('location');
    const where = location ? `redirects to ${location}` : 'redirects without saying where';
    const text = `${operation}: the API answered ${status} and ${where}. Redirects are not followed; the server's base URL may be outdated.`;
    return { result: errorResult(text), outcome: 'redirect' };
  }
  if (outcome.status < 200 || outcome.status >= 300) {
    const hint = errorHint(outcome.status, outcome.headers, retryable, authHint);
    const body = outcome.body.trim() ? `\nResponse: ${excerpt(outcome.body)}` : '';
    return { result: errorResult(`${operation} failed with ${status}.${hint ? ` ${hint}` : ''}${body}`), outcome: 'http_error' };
  }
  if (outcome.truncated) {
    const text = `${operation} succeeded (${status}), but the response is larger than ${maxResponseBytes} bytes and was not returned. Ask for less data, e.g. with filters or a smaller page size.`;
    return { result: errorResult(text), outcome: 'too_large' };
  }
  return successResult(tool, outcome.body, outcome.headers.get('content-type'), status, redact);
}

function successResult(tool: ToolDefinition, body: string, contentType: string | null, status: string, redact: Redact): ToolAnswer {
  const { output } = tool.http;
  const empty = body.trim() === '';
  const json = empty ? undefined : parseJson(body, contentType);
  let text: string;
  let structured: unknown;
  if (empty) {
    text = `Done (${status}).`;
    structured = output.kind === 'object' ? {} : output.kind === 'wrapped' ? { [output.property]: null } : undefined;
  } else if (json) {
    const value = redactJson(json.value, redact);
    text = JSON.stringify(value);
    structured = output.kind === 'object' ? value : output.kind === 'wrapped' ? { [output.property]: value } : undefined;
  } else {
    text = redact(body);
    structured = output.kind === 'wrapped' ? { [output.property]: text } : undefined;
  }
  const object = structured !== null && typeof structured === 'object' && !Array.isArray(structured) ? (structured as { [key: string]: unknown }) : undefined;
  const ok = (structuredContent?: { [key: string]: unknown }): ToolAnswer => ({
    result: structuredContent ? { content: [textBlock(text)], structuredContent } : { content: [textBlock(text)] },
    outcome: 'ok',
  });
  if (!tool.outputSchema) return ok(object);
  const problem = object ? findSchemaError(tool.outputSchema, object) : 'the response is not a JSON object of the declared shape';
  if (!problem) return ok(object);
  const note = empty
    ? `Done (${status}): the call succeeded and the API returned no content, although this tool declares structured output. Do not repeat the call because of this.`
    : `The call succeeded (${status}), but the response does not match this tool's output schema (${problem}), so it is returned as text only. Do not repeat the call because of this; the response follows.`;
  return {
    result: { isError: true, content: empty ? [textBlock(note)] : [textBlock(note), textBlock(text)] },
    outcome: 'output_mismatch',
    problem,
  };
}

function errorHint(status: number, headers: Headers, retryable: boolean, authHint: string | undefined): string {
  if (status === 401 || status === 403) {
    return authHint
      ? `No upstream credentials are configured for this tool; the server's operator must ${authHint}.`
      : 'The upstream credentials were rejected or lack permission; retrying will not help. Tell the user.';
  }
  if (status === 404) return 'Check the identifiers in the arguments.';
  if (status === 429) {
    const after = headers.get('retry-after');
    return `The API is rate limiting requests; ${after ? `retry after ${after}${/^\d+$/.test(after) ? ' seconds' : ''}` : 'wait before retrying'}.`;
  }
  if (status >= 500) return retryable ? 'The API failed; retrying later may help.' : 'The API failed; check whether the operation took effect before retrying.';
  if (status >= 400) return 'Check the arguments against the tool description, then try again.';
  return '';
}

function parseJson(body: string, contentType: string | null): { value: unknown } | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type && type !== 'application/json' && !type.endsWith('+json')) return undefined;
  try {
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

function excerpt(body: string): string {
  const json = parseJson(body, null);
  const text = json ? JSON.stringify(json.value) : body.trim();
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}... (${text.length - excerptLength} more characters)` : text;
}

function textBlock(text: string): { type: 'text'; text: string } {
  return { type: 'text', text };
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [textBlock(text)] };
}
