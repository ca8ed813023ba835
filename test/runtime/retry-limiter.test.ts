import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../templates/runtime/limiter.js';
import { isIdempotent, isRetryable, parseRetryAfter, retryDelayMs } from '../../templates/runtime/retry.js';

describe('retry policy', () => {
  it.each([
    ['GET', true],
    ['HEAD', true],
    ['PUT', true],
    ['DELETE', true],
    ['POST', false],
    ['PATCH', false],
  ] as const)('%s is idempotent: %s', (method, want) => {
    expect(isIdempotent(method)).toBe(want);
  });

  it.each([
    [{ kind: 'response', status: 429 }, true],
    [{ kind: 'response', status: 502 }, true],
    [{ kind: 'response', status: 503 }, true],
    [{ kind: 'response', status: 504 }, true],
    [{ kind: 'response', status: 500 }, false],
    [{ kind: 'response', status: 404 }, false],
    [{ kind: 'network', code: 'ECONNRESET' }, true],
    [{ kind: 'network', code: 'UND_ERR_SOCKET' }, true],
    [{ kind: 'network', code: 'ECONNREFUSED' }, false],
    [{ kind: 'timeout' }, false],
  ])('retries %j: %s', (outcome, want) => {
    expect(isRetryable(outcome)).toBe(want);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, honours Retry-After, and gives up on long waits', () => {
    expect(retryDelayMs(1, null, { random: () => 0.999 })).toBe(399);
    expect(retryDelayMs(2, null, { random: () => 0.999 })).toBe(799);
    expect(retryDelayMs(10, null, { random: () => 0.999 })).toBe(4_995);
    expect(retryDelayMs(1, null, { random: () => 0 })).toBe(0);
    expect(retryDelayMs(1, '2', { random: () => 0.5 })).toBe(2_050);
    expect(retryDelayMs(1, '11', { random: () => 0 })).toBeUndefined();
  });
});

describe('concurrency limiter', () => {
  it('grants slots in order and hands a released slot to the next waiter', async () => {
    const limiter = createLimiter(2);
    const signal = new AbortController().signal;
    const a = await limiter.acquire(signal, 1_000);
    const b = await limiter.acquire(signal, 1_000);
    const order: string[] = [];
    const c = limiter.acquire(signal, 1_000).then((release) => (order.push('c'), release));
    const d = limiter.acquire(signal, 1_000).then((release) => (order.push('d'), release));
    expect([limiter.active, limiter.waiting]).toStrictEqual([2, 2]);
    a!();
    a!();
    (await c)!();
    b!();
    (await d)!();
    expect(order).toStrictEqual(['c', 'd']);
    expect([limiter.active, limiter.waiting]).toStrictEqual([0, 0]);
  });

  it('gives up waiting on timeout or cancellation, leaving the queue clean', async () => {
    const limiter = createLimiter(1);
    const held = await limiter.acquire(new AbortController().signal, 1_000);
    expect(await limiter.acquire(new AbortController().signal, 20)).toBeUndefined();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, 10_000);
    controller.abort();
    expect(await waiting).toBeUndefined();
    expect(limiter.waiting).toBe(0);
    held!();
    expect(limiter.active).toBe(0);
  });
});
