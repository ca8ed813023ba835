// Issue 5 acceptance: an upstream that times out, fails with 500/503 and Retry-After, resets connections, sends
// 50 MB, sends invalid JSON or redirects to another host. The server stays up, every call gets a clear result,
// retries happen only where allowed, and nothing hangs.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { auditLines, connectInMemory, getTool, sendJson, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const serverDefinition: ServerDefinition = { name: 'faulty', version: '1.0.0', envPrefix: 'FAULTY', securitySchemes: {} };
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
const post = (name: string, path: string): ToolDefinition => getTool(name, path, { annotations: write, http: { method: 'POST', path, parameters: [], output: { kind: 'none' }, security: [] } });
const tools: ToolDefinition[] = [
  getTool('slow', '/slow'),
  getTool('fail_500', '/500'),
  getTool('unavailable', '/503'),
  getTool('unavailable_long', '/503-long'),
  getTool('limited', '/429'),
  getTool('reset', '/reset'),
  getTool('huge', '/huge'),
  getTool('garbled', '/garbled', { outputSchema: { type: 'object' }, http: { method: 'GET', path: '/garbled', parameters: [], output: { kind: 'object' }, security: [] } }),
  getTool('elsewhere', '/elsewhere'),
  getTool('moved', '/moved', { http: { method: 'GET', path: '/moved', parameters: [], output: { kind: 'object' }, security: [] } }),
  getTool('healthy', '/ok', { http: { method: 'GET', path: '/ok', parameters: [], output: { kind: 'object' }, security: [] } }),
  getTool('hang', '/hang'),
  getTool('brief', '/brief'),
  post('post_503', '/503'),
  post('post_reset', '/reset'),
];

let upstream: TestServer;
let other: TestServer;
let client: Client | undefined;
let lines: string[] = [];

beforeAll(async () => {
  other = await startServer((_req, res) => sendJson(res, 200, { stolen: true }));
  upstream = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    switch (path) {
      case '/api/slow':
        setTimeout(() => sendJson(res, 200, {}), 3_000).unref();
        return;
      case '/api/hang':
        return;
      case '/api/brief':
        setTimeout(() => sendJson(res, 200, {}), 300).unref();
        return;
      case '/api/500':
        return sendJson(res, 500, { message: 'internal failure' });
      case '/api/503':
        return sendJson(res, 503, { message: 'try later' }, { 'retry-after': '0' });
      case '/api/503-long':
        return sendJson(res, 503, { message: 'maintenance' }, { 'retry-after': '120' });
      case '/api/429':
        return upstream.seen.filter((seen) => seen.url === '/api/429').length < 2 ? sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '1' }) : sendJson(res, 200, {});
      case '/api/reset':
        req.socket.destroy();
        return;
      case '/api/huge': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 50 && res.write(chunk)) sent++;
          if (sent >= 50) res.end();
          else res.once('drain', () => { sent++; pump(); });
        };
        pump();
        return;
      }
      case '/api/garbled':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"id": 1, "name": ');
      case '/api/elsewhere':
        res.writeHead(302, { location: `${other.url}/steal` });
        return void res.end();
      case '/api/moved':
        res.writeHead(301, { location: '/api/ok' });
        return void res.end();
      case '/api/ok':
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { message: 'no route' });
    }
  });
});

afterAll(async () => {
  await upstream.close();
  await other.close();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  upstream.seen.length = 0;
  other.seen.length = 0;
});

async function connect(env: { [name: string]: string } = {}): Promise<Client> {
  const made = testRuntime({ serverDefinition, tools, env: { FAULTY_BASE_URL: `${upstream.url}/api`, FAULTY_TIMEOUT_MS: '500', FAULTY_MAX_RESPONSE_BYTES: '100000', ...env } });
  lines = made.lines;
  client = await connectInMemory(made.runtime);
  return client;
}

async function call(name: string) {
  const result = await client!.callTool({ name, arguments: {} }, { timeout: 15_000 });
  return { result, text: textOf(result), requests: upstream.seen.length };
}

describe('fault injection against an upstream on 127.0.0.1', () => {
  it('times out, says so, does not retry a timeout, and keeps serving', async () => {
    await connect();
    const started = Date.now();
    const { result, text, requests } = await call('slow');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.isError).toBe(true);
    expect(text).toBe('GET /slow: the API did not answer within 500 ms. Retrying may help, ideally with a narrower request.');
    expect(requests).toBe(1);
    expect((await call('healthy')).result.structuredContent).toStrictEqual({ ok: true });
  });

  it('bounds an upstream that accepts the request and never answers', async () => {
    await connect();
    const { result, text } = await call('hang');
    expect(result.isError).toBe(true);
    expect(text).toContain('did not answer within 500 ms');
  });

  it('does not retry a 500, and shows the API message', async () => {
    await connect();
    const { text, requests } = await call('fail_500');
    expect(requests).toBe(1);
    expect(text).toBe('GET /500 failed with HTTP 500 Internal Server Error. The API failed; retrying later may help.\nThe API said: internal failure');
  });

  it('retries a 503 with Retry-After for GET, up to the limit', async () => {
    await connect();
    const { text, requests } = await call('unavailable');
    expect(requests).toBe(3);
    expect(text).toBe('GET /503 failed with HTTP 503 Service Unavailable (3 attempts). The API failed; retrying later may help.\nThe API said: try later');
  });

  it('honours a 1 s Retry-After on 429 and succeeds on the retry', async () => {
    await connect();
    const started = Date.now();
    const { result, requests } = await call('limited');
    expect(result.isError).toBeFalsy();
    expect(requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('does not wait for a Retry-After beyond 10 s, and tells the model when to retry', async () => {
    await connect();
    const { text, requests } = await call('unavailable_long');
    expect(requests).toBe(1);
    expect(text).toContain('The API is unavailable; retry after 120 seconds.');
  });

  it('never retries a POST, whatever the failure', async () => {
    await connect();
    const unavailable = await call('post_503');
    expect(unavailable.requests).toBe(1);
    expect(unavailable.text).toContain('The operation may or may not have taken effect: check before retrying.');
    upstream.seen.length = 0;
    const reset = await call('post_reset');
    expect(reset.requests).toBe(1);
    expect(reset.text).toMatch(/^POST \/reset: could not reach the API \(.+\)\. .*first check whether the operation took effect\.$/);
  });

  it('retries a reset connection for GET, then reports it', async () => {
    await connect({ FAULTY_MAX_RETRIES: '1' });
    const { result, text, requests } = await call('reset');
    expect(requests).toBe(2);
    expect(result.isError).toBe(true);
    expect(text).toMatch(/^GET \/reset: could not reach the API \(.*(ECONNRESET|UND_ERR_SOCKET|other side closed|socket hang up).*\) \(2 attempts\)\./);
  });

  it('cuts a 50 MB body at the cap without reading it all, and says so', async () => {
    await connect();
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const { result, text } = await call('huge');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.isError).toBeFalsy();
    expect(text).toContain('larger than 100000 bytes and was cut off there');
    expect((result.content as { text: string }[])[1]!.text).toHaveLength(100_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('answers invalid JSON with the text as it came and empty structured content', async () => {
    await connect();
    const { result, text } = await call('garbled');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toStrictEqual({});
    expect(text).toContain('the response does not have the shape this tool declares, so the structured result is empty');
    expect(text).toContain('{"id": 1, "name": ');
  });

  it('does not follow a redirect to another host', async () => {
    await connect();
    const { result, text } = await call('elsewhere');
    expect(result.isError).toBe(true);
    expect(text).toContain(`HTTP 302 Found and redirects to ${other.url}/steal. Redirects outside the server's base URL are not followed`);
    expect(other.seen).toHaveLength(0);
  });

  it('follows a redirect that stays under the base URL', async () => {
    await connect();
    const { result } = await call('moved');
    expect(result.structuredContent).toStrictEqual({ ok: true });
    expect(upstream.seen.map((seen) => seen.url)).toStrictEqual(['/api/moved', '/api/ok']);
  });

  it('caps the calls in flight upstream; the others wait their turn', async () => {
    await connect({ FAULTY_MAX_CONCURRENCY: '2', FAULTY_TIMEOUT_MS: '5000' });
    upstream.maxInFlight = 0;
    const results = await Promise.all(Array.from({ length: 6 }, () => call('brief')));
    expect(results.every(({ result }) => !result.isError)).toBe(true);
    expect(upstream.maxInFlight).toBe(2);
  });

  it('tells the model when no upstream slot frees up in time', async () => {
    await connect({ FAULTY_MAX_CONCURRENCY: '1', FAULTY_TIMEOUT_MS: '400' });
    const pending = [call('hang')];
    await waitFor(() => upstream.seen.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    pending.push(call('hang'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await call('brief');
    const [first] = await Promise.all(pending);
    expect(first!.text).toContain('did not answer within 400 ms');
    expect(second.text).toBe('GET /brief was not sent: the server has too many calls to the API in flight and none finished within 400 ms. Retrying in a moment may help.');
  });

  it('aborts the upstream request when the client cancels the call', async () => {
    await connect({ FAULTY_TIMEOUT_MS: '10000' });
    const controller = new AbortController();
    const pending = client!.callTool({ name: 'hang', arguments: {} }, { signal: controller.signal, timeout: 15_000 });
    await waitFor(() => upstream.seen.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => upstream.seen[0]!.closedEarly);
    await waitFor(() => auditLines(lines).some((entry) => entry.outcome === 'cancelled'));
  });

  it('writes one audit line per call, faults included', async () => {
    await connect();
    await call('fail_500');
    await call('elsewhere');
    expect(auditLines(lines).map((entry) => [entry.tool, entry.status, entry.outcome])).toStrictEqual([
      ['fail_500', 500, 'http_error'],
      ['elsewhere', 302, 'redirect'],
    ]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
