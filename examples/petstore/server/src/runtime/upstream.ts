import type { Limiter } from './limiter.js';
import { readBody } from './read-body.js';
import type { HttpRequest } from './request.js';
import { isIdempotent, isRetryable, retryDelayMs } from './retry.js';

/** What came back from the upstream API, or why nothing did. */
export type UpstreamOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      headers: Headers;
      body: string;
      /** The body as bytes, for binary responses. */
      bytes?: Uint8Array;
      /** The body was longer than the configured maximum; `body` holds only its beginning. */
      truncated: boolean;
    }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  /** No upstream slot became free within the timeout (see `maxConcurrency`). */
  | { kind: 'busy' }
  | { kind: 'network'; reason: string; code?: string };

/** How {@link sendRequest} behaves. */
export type SendOptions = {
  /** Timeout of each attempt, including reading the body. */
  timeoutMs: number;
  /** The client's cancellation. */
  signal: AbortSignal;
  maxResponseBytes: number;
  /** Bytes kept past `maxResponseBytes` so that a cut body can be redacted before it is cut (see `readBody`). */
  readAheadBytes?: number;
  /** Retries after the first attempt; only idempotent methods are retried. */
  maxRetries: number;
  /** Redirects are followed only to URLs under this base URL, and only for GET and HEAD. */
  baseUrl: string;
  limiter?: Limiter;
  /** When the whole call must end (epoch ms), retries and `Retry-After` waits included; no retry starts that cannot finish by then. */
  deadlineAt?: number;
};

/** What {@link sendRequest} returns: the last outcome, how many requests were sent, and whether the call's deadline cut it short. */
export type SendResult = { outcome: UpstreamOutcome; attempts: number; deadlineReached?: boolean };

const maxRedirects = 3;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Sends a request with timeouts, bounded retries and the caller's cancellation; never follows a redirect elsewhere and never throws. */
export async function sendRequest(request: HttpRequest, options: SendOptions): Promise<SendResult> {
  const retries = isIdempotent(request.method) ? options.maxRetries : 0;
  const deadlineAt = options.deadlineAt ?? Infinity;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadlineAt - Date.now();
    if (remaining <= 0) return { outcome: { kind: 'timeout' }, attempts: attempt - 1, deadlineReached: true };
    const cut = remaining < options.timeoutMs;
    const outcome = await attemptOnce(request, { ...options, timeoutMs: Math.min(options.timeoutMs, remaining) });
    if (cut && outcome.kind === 'timeout') return { outcome, attempts: attempt, deadlineReached: true };
    if (attempt > retries || !isRetryable(outcome)) return { outcome, attempts: attempt };
    const delay = retryDelayMs(attempt, outcome.kind === 'response' ? outcome.headers.get('retry-after') : undefined);
    if (delay === undefined) return { outcome, attempts: attempt };
    if (Date.now() + delay >= deadlineAt) return { outcome, attempts: attempt, deadlineReached: true };
    if (!(await sleep(delay, options.signal))) return { outcome: { kind: 'cancelled' }, attempts: attempt };
  }
}

async function attemptOnce(request: HttpRequest, { timeoutMs, signal, maxResponseBytes, readAheadBytes, baseUrl, limiter }: SendOptions): Promise<UpstreamOutcome> {
  const release = limiter ? await limiter.acquire(signal, timeoutMs) : () => undefined;
  if (!release) return signal.aborted ? { kind: 'cancelled' } : { kind: 'busy' };
  const { aborter, timedOut, dispose } = deadline(signal, timeoutMs);
  try {
    let url = request.url;
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        redirect: 'manual',
        signal: aborter,
      });
      const next = hop < maxRedirects ? redirectTarget(request, response, url, baseUrl) : undefined;
      if (next) {
        await response.body?.cancel().catch(() => undefined);
        url = next;
        continue;
      }
      const { body, bytes, truncated } = await readBody(response, maxResponseBytes, readAheadBytes);
      return { kind: 'response', status: response.status, statusText: response.statusText, headers: response.headers, body, bytes, truncated };
    }
  } catch (error) {
    if (timedOut()) return { kind: 'timeout' };
    if (signal.aborted) return { kind: 'cancelled' };
    return { kind: 'network', ...describeNetworkError(error) };
  } finally {
    dispose();
    release();
  }
}

/** One signal for the caller's cancellation and a timeout (cheaper than `AbortSignal.any` with `AbortSignal.timeout`). */
function deadline(signal: AbortSignal, timeoutMs: number): { aborter: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let expired = false;
  const cancel = () => controller.abort(signal.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException('The upstream request timed out', 'TimeoutError'));
  }, timeoutMs);
  signal.addEventListener('abort', cancel, { once: true });
  return {
    aborter: controller.signal,
    timedOut: () => expired,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
    },
  };
}

/** The URL a GET or HEAD redirect points to, when it stays under the base URL; undefined otherwise. */
function redirectTarget(request: HttpRequest, response: Response, current: string, baseUrl: string): string | undefined {
  if (!redirectStatuses.has(response.status) || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
  const location = response.headers.get('location');
  if (!location) return undefined;
  let target: URL;
  try {
    target = new URL(location, current);
  } catch {
    return undefined;
  }
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const inside = target.origin === base.origin && (target.pathname === prefix || target.pathname.startsWith(`${prefix}/`));
  return inside ? target.href : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
      resolve(completed);
    };
    const abort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}

function describeNetworkError(error: unknown): { reason: string; code?: string } {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return { reason: String(cause) };
  const code = (cause as { code?: unknown }).code;
  if (typeof code !== 'string') return { reason: cause.message };
  return { reason: cause.message.includes(code) ? cause.message : `${code}: ${cause.message}`, code };
}
