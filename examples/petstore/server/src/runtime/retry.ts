import type { HttpMethod } from './definition.js';

/** Statuses that say "try again later" without the request having had an effect. */
const retryableStatuses = new Set([429, 502, 503, 504]);
/** Network error codes of a connection that was reset or closed before the answer. */
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const baseDelayMs = 200;
const maxBackoffMs = 5_000;
/** A `Retry-After` longer than this is not waited for: the model is told to retry later instead. */
export const maxRetryAfterMs = 10_000;

/**
 * Whether a method may be repeated without changing the effect of the first request.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 */
export function isIdempotent(method: HttpMethod): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE' || method === 'PUT' || method === 'DELETE';
}

/** Whether an upstream answer is worth retrying: 429, 502, 503 or 504, or a reset connection. */
export function isRetryable(outcome: { kind: 'response'; status: number } | { kind: 'network'; code?: string } | { kind: string }): boolean {
  if (outcome.kind === 'response') return retryableStatuses.has((outcome as { status: number }).status);
  if (outcome.kind === 'network') return resetCodes.has((outcome as { code?: string }).code ?? '');
  return false;
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry): the `Retry-After` header when given
 * (seconds or an HTTP date), otherwise exponential backoff with full jitter; `undefined` when the API asks
 * for a longer wait than {@link maxRetryAfterMs}.
 */
export function retryDelayMs(attempt: number, retryAfter: string | null | undefined, { now = Date.now(), random = Math.random } = {}): number | undefined {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return asked > maxRetryAfterMs ? undefined : asked + Math.floor(random() * 100);
  return Math.floor(random() * Math.min(maxBackoffMs, baseDelayMs * 2 ** attempt));
}

/** Parses `Retry-After` into milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
