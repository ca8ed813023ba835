import type { HttpRequest } from './request.js';

/** What came back from the upstream API, or why nothing did. */
export type UpstreamOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      headers: Headers;
      body: string;
      /** The body was longer than the configured maximum; `body` holds only its beginning. */
      truncated: boolean;
    }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'network'; reason: string };

/** Sends a request with a timeout and the caller's cancellation signal; never follows redirects and never throws. */
export async function sendRequest(
  request: HttpRequest,
  { timeoutMs, signal, maxResponseBytes }: { timeoutMs: number; signal: AbortSignal; maxResponseBytes: number },
): Promise<UpstreamOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, signal]),
    });
    const { body, truncated } = await readBody(response, maxResponseBytes);
    return { kind: 'response', status: response.status, statusText: response.statusText, headers: response.headers, body, truncated };
  } catch (error) {
    if (timeout.aborted) return { kind: 'timeout' };
    if (signal.aborted) return { kind: 'cancelled' };
    return { kind: 'network', reason: describeNetworkError(error) };
  }
}

async function readBody(response: Response, maxBytes: number): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      break;
    }
  }
  const bytes = Buffer.concat(chunks);
  return { body: new TextDecoder().decode(bytes.subarray(0, maxBytes)), truncated: size > maxBytes };
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
}
