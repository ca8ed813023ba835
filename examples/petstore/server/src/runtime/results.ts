import type { CallToolResult } from '@modelcontextprotocol/server';
import { extractApiMessage } from './api-message.js';
import type { ToolDefinition } from './definition.js';
import { conformToSchema } from './lenient-output.js';
import { describePagination, paginationProperty, readPagination } from './pagination.js';
import { redactJson, redactThenTruncate, type Redact } from './redact.js';
import { selectResponseFields } from './response-fields.js';
import { isIdempotent, maxRetryAfterMs, parseRetryAfter } from './retry.js';
import type { UpstreamOutcome } from './upstream.js';
import { findSchemaError } from './validation.js';

/** How a call ended, for the audit log. */
export type CallOutcome =
  | 'ok'
  | 'output_mismatch'
  | 'truncated'
  | 'redirect'
  | 'http_error'
  | 'timeout'
  | 'network_error'
  | 'busy'
  | 'cancelled';

/** What {@link toToolResult} needs to know about a finished call. */
export type ResultInput = {
  tool: ToolDefinition;
  outcome: UpstreamOutcome;
  redact: Redact;
  timeoutMs: number;
  maxResponseBytes: number;
  /** How many requests were sent, retries included. */
  attempts?: number;
  /** Set when the operation needs credentials and none are configured: which variables to set. */
  authHint?: string;
  /** Set when the call's total time limit stopped it (an attempt cut short, or a retry not started). */
  deadlineMs?: number;
  /** The URL the request went to: a `Link` to the next page counts only when it points at the same endpoint. */
  requestUrl?: string;
};

/** How much of the API's own error message a result quotes. */
const maxApiMessageLength = 500;

/** A tool result with how the call ended and, for an output-schema mismatch, what did not match. */
export type ToolAnswer = { result: CallToolResult; outcome: CallOutcome; problem?: string };

/** Turns what the upstream API answered into the tool result, with every secret redacted; `problem` explains an output-schema mismatch for the operator's log. */
export function toToolResult(input: ResultInput): ToolAnswer {
  const answer = describeOutcome(input);
  const limit =
    input.deadlineMs === undefined
      ? []
      : [textBlock(`The call reached its total time limit of ${input.deadlineMs} ms (retries and waits the API asked for included), so it was not retried further.`)];
  const content = [...answer.result.content, ...limit].map((block) => (block.type === 'text' ? { ...block, text: input.redact(block.text) } : block));
  return { ...answer, result: { ...answer.result, content } };
}

/** An error result with one redacted text block. */
export function errorResult(text: string, redact: Redact = (value) => value): CallToolResult {
  return { isError: true, content: [textBlock(redact(text))] };
}

function describeOutcome({ tool, outcome, redact, timeoutMs, maxResponseBytes, attempts = 1, authHint, requestUrl }: ResultInput): ToolAnswer {
  const operation = `${tool.http.method} ${tool.http.path}`;
  const repeatable = isIdempotent(tool.http.method) || tool.annotations.readOnlyHint || tool.annotations.idempotentHint;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  const uncertain = 'The operation may or may not have taken effect: check before retrying.';
  if (outcome.kind === 'timeout') {
    const advice = repeatable ? 'Retrying may help, ideally with a narrower request.' : uncertain;
    return { result: errorResult(`${operation}: the API did not answer within ${timeoutMs} ms${tries}. ${advice}`), outcome: 'timeout' };
  }
  if (outcome.kind === 'network') {
    const advice = repeatable ? 'retrying later may help' : `retrying later may help, but first check whether the operation took effect`;
    const text = `${operation}: could not reach the API (${outcome.reason})${tries}. The API may be down or the server's base URL may be wrong; ${advice}.`;
    return { result: errorResult(text), outcome: 'network_error' };
  }
  if (outcome.kind === 'busy') {
    const text = `${operation} was not sent: the server has too many calls to the API in flight and none finished within ${timeoutMs} ms. Retrying in a moment may help.`;
    return { result: errorResult(text), outcome: 'busy' };
  }
  if (outcome.kind === 'cancelled') return { result: errorResult(`${operation}: the call was cancelled.`), outcome: 'cancelled' };

  const status = `HTTP ${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`;
  if (outcome.status >= 300 && outcome.status < 400) {
    const location = outcome.headers.get('location');
    const where = location ? `redirects to ${redactThenTruncate(location, redact, { maxLength: 200 })}` : 'redirects without saying where';
    const text = `${operation}: the API answered ${status} and ${where}. Redirects outside the server's base URL are not followed; the base URL may be outdated. Tell the user.`;
    return { result: errorResult(text), outcome: 'redirect' };
  }
  if (outcome.status < 200 || outcome.status >= 300) {
    const hint = errorHint({ status: outcome.status, headers: outcome.headers, repeatable, authHint, uncertain });
    const message = extractApiMessage(withSelectedFields(tool, outcome.body), outcome.headers.get('content-type'), redact);
    const excerpt = message === undefined ? undefined : redactThenTruncate(message, redact, { maxLength: maxApiMessageLength });
    const text = `${operation} failed with ${status}${tries}.${hint ? ` ${hint}` : ''}${excerpt ? `\nThe API said: ${excerpt}` : ''}`;
    return { result: errorResult(text), outcome: 'http_error' };
  }
  const contentType = outcome.headers.get('content-type');
  if (outcome.bytes && isBinaryMediaType(contentType)) {
    return binaryResult({ tool, operation, status, contentType: contentType!, bytes: outcome.bytes, truncated: outcome.truncated, maxResponseBytes, redact });
  }
  if (outcome.truncated && tool.responseFields) {
    const text = `${operation} succeeded (${status}), but the response is larger than ${maxResponseBytes} bytes, and a partial response cannot be filtered as this tool's field selection requires, so it is not returned. Ask for less data, e.g. with filters or a smaller page size.`;
    return { result: errorResult(text), outcome: 'truncated' };
  }
  if (outcome.truncated) {
    const text = `${operation} succeeded (${status}), but the response is larger than ${maxResponseBytes} bytes and was cut off there; its beginning follows and is incomplete. To get a complete result, ask for less data, e.g. with filters or a smaller page size.`;
    return {
      result: {
        ...(tool.outputSchema ? { isError: true } : {}),
        content: [textBlock(text), textBlock(redactThenTruncate(outcome.body, redact, { maxLength: maxResponseBytes, unit: 'bytes', note: false }))],
      },
      outcome: 'truncated',
    };
  }
  return successResult({ tool, body: outcome.body, headers: outcome.headers, status, redact, requestUrl });
}

/** An error body with the tool's field selection applied, so that a dropped or redacted field is not quoted from it. */
function withSelectedFields(tool: ToolDefinition, body: string): string {
  if (!tool.responseFields) return body;
  try {
    return JSON.stringify(selectResponseFields(JSON.parse(body), tool.responseFields));
  } catch {
    return body;
  }
}

/** True for media types whose bodies are not text: images, audio, PDFs, archives, octet streams. */
export function isBinaryMediaType(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return false;
  if (type.startsWith('text/') || type.endsWith('+json') || type.endsWith('+xml') || type.endsWith('+yaml')) return false;
  return !/^application\/(json|xml|yaml|x-yaml|javascript|x-ndjson|ndjson|x-www-form-urlencoded|graphql|problem\+json)$/.test(type);
}

/** A binary response as an image, audio or embedded-resource block, with a text line that describes it. */
function binaryResult({
  tool,
  operation,
  status,
  contentType,
  bytes,
  truncated,
  maxResponseBytes,
  redact,
}: {
  tool: ToolDefinition;
  operation: string;
  status: string;
  contentType: string;
  bytes: Uint8Array;
  truncated: boolean;
  maxResponseBytes: number;
  redact: Redact;
}): ToolAnswer {
  const mimeType = contentType.split(';')[0]!.trim().toLowerCase();
  if (truncated) {
    const text = `${operation} succeeded (${status}), but the ${mimeType} response is larger than ${maxResponseBytes} bytes, and a partial file is of no use, so it is not returned. Ask for a smaller file if the API allows it.`;
    return { result: errorResult(text), outcome: 'truncated' };
  }
  const data = redactBytes(bytes, redact).toString('base64');
  const described = textBlock(`${operation} returned ${mimeType} (${bytes.byteLength} bytes, ${status}), attached.`);
  const block: CallToolResult['content'][number] = mimeType.startsWith('image/')
    ? { type: 'image', data, mimeType }
    : mimeType.startsWith('audio/')
      ? { type: 'audio', data, mimeType }
      : { type: 'resource', resource: { uri: `urn:toolwright:${tool.name}:response`, mimeType, blob: data } };
  return { result: { content: [described, block] }, outcome: 'ok' };
}

function successResult({
  tool,
  body,
  headers,
  status,
  redact,
  requestUrl,
}: {
  tool: ToolDefinition;
  body: string;
  headers: Headers;
  status: string;
  redact: Redact;
  requestUrl: string | undefined;
}): ToolAnswer {
  const { output } = tool.http;
  const empty = body.trim() === '';
  const json = empty ? undefined : parseJson(body, headers.get('content-type'));
  const page = json ? readPagination({ tool, headers, body: json.value, ...(requestUrl ? { requestUrl } : {}) }) : undefined;
  let text: string;
  let structured: unknown;
  if (empty) {
    text = `Done (${status}).`;
    structured = output.kind === 'object' ? {} : output.kind === 'wrapped' ? { [output.property]: null } : undefined;
  } else if (json) {
    const value = redactJson(selectResponseFields(json.value, tool.responseFields), redact);
    structured = output.kind === 'object' ? value : output.kind === 'wrapped' ? { [output.property]: value } : undefined;
    if (page && isObject(structured)) structured = { ...structured, [paginationProperty]: redactJson(page, redact) };
    text = JSON.stringify(value);
  } else {
    text = redact(body);
    structured = output.kind === 'wrapped' ? { [output.property]: text } : undefined;
  }
  const pageNote = page ? describePagination(tool, page) : undefined;
  const blocks = (first: string) => [textBlock(first), ...(pageNote ? [textBlock(redact(pageNote))] : [])];
  const object = isObject(structured) ? structured : undefined;
  const ok = (structuredContent?: { [key: string]: unknown }): ToolAnswer => ({
    result: structuredContent ? { content: blocks(text), structuredContent } : { content: blocks(text) },
    outcome: 'ok',
  });
  if (!tool.outputSchema) return ok(object);
  const problem = object ? findSchemaError(tool.outputSchema, object) : 'the response is not a JSON object of the declared shape';
  if (!problem) return ok(object);
  const conformed = tool.outputValidation === 'strict' ? undefined : conformToSchema(tool.outputSchema, object ?? {});
  if (conformed) {
    const left = conformed.removed.filter(Boolean).sort();
    const note =
      left.length > 0 && !conformed.removed.includes('')
        ? `Note: parts of the response do not have the types this tool declares and are left out of the structured result (${left.slice(0, 5).join(', ')}${left.length > 5 ? ', ...' : ''}); the text above is the complete response.`
        : `Note: the response does not have the shape this tool declares, so the structured result is empty; the text above is the complete response.`;
    return {
      result: { content: [...blocks(text), textBlock(note)], structuredContent: conformed.value },
      outcome: 'output_mismatch',
      problem,
    };
  }
  const note = empty
    ? `Done (${status}): the call succeeded and the API returned no content, although this tool declares structured output. Do not repeat the call because of this.`
    : `The call succeeded (${status}), but the response does not match this tool's output schema (${problem}), so it is returned as text only. Do not repeat the call because of this; the response follows.`;
  return {
    result: { isError: true, content: empty ? [textBlock(note)] : [textBlock(note), textBlock(text)] },
    outcome: 'output_mismatch',
    problem,
  };
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function errorHint({
  status,
  headers,
  repeatable,
  authHint,
  uncertain,
}: {
  status: number;
  headers: Headers;
  repeatable: boolean;
  authHint: string | undefined;
  uncertain: string;
}): string {
  if (status === 401 || status === 403) {
    return authHint
      ? `No upstream credentials are configured for this tool; the server's operator must ${authHint}.`
      : 'The upstream credentials were rejected or lack permission; retrying will not help. Tell the user.';
  }
  if (status === 404) return 'Check the identifiers in the arguments.';
  if (status === 429 || status === 503) {
    const after = headers.get('retry-after');
    const waitMs = parseRetryAfter(after);
    const wait = waitMs === undefined ? 'wait a while before retrying' : `retry after ${Math.ceil(waitMs / 1000)} seconds`;
    if (status === 429) return `The API is rate limiting requests; ${wait}.`;
    if (waitMs !== undefined && waitMs > maxRetryAfterMs) return `The API is unavailable; ${wait}.`;
  }
  if (status >= 500) return repeatable ? 'The API failed; retrying later may help.' : `The API failed. ${uncertain}`;
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

/** A binary body with every secret that appears in it as text (ASCII forms) overwritten, as bytes. */
function redactBytes(bytes: Uint8Array, redact: Redact): Buffer {
  const raw = Buffer.from(bytes);
  const text = raw.toString('latin1');
  const redacted = redact(text);
  return redacted === text ? raw : Buffer.from(redacted, 'latin1');
}

function textBlock(text: string): { type: 'text'; text: string } {
  return { type: 'text', text };
}
