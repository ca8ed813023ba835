// Issue 9 (medium and low): arguments that used to reach the API changed, or that broke every call. Each is now
// refused with a tool error before anything is sent, or sent safely, through the real MCP client and a real
// upstream on loopback.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { userAgentOf } from '../../templates/runtime/runtime.js';
import { auditLines, connectInMemory, getTool, sendJson, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const serverDefinition: ServerDefinition = {
  name: 'shop',
  version: '1.0.0',
  envPrefix: 'SHOP',
  securitySchemes: {
    key: { type: 'apiKey', in: 'query', name: 'api_key', env: 'SHOP_API_KEY' },
    session: { type: 'apiKey', in: 'cookie', name: 'sid', env: 'SHOP_SESSION' },
  },
};
const apiKey = 'key-0123456789abcdef';
const session = 'sess-0123456789abcdef';

const deleteItem: ToolDefinition = {
  ...getTool('delete_item', '/items/{id}'),
  inputSchema: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'], additionalProperties: false },
  http: { method: 'DELETE', path: '/items/{id}', parameters: [{ argument: 'id', in: 'path', name: 'id', style: 'simple', explode: false }], output: { kind: 'none' }, security: [] },
};
/** Like `deleteItem`, but its schema allows an empty id, as a spec that says nothing about length does. */
const deleteLoosely: ToolDefinition = {
  ...deleteItem,
  name: 'delete_loosely',
  inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false },
};
const search: ToolDefinition = {
  ...getTool('search', '/search'),
  inputSchema: {
    type: 'object',
    properties: {
      q: { type: 'string' },
      filter: { type: 'object', additionalProperties: { type: 'string' } },
      prefs: { type: 'object', additionalProperties: { type: 'string' } },
      limit: { type: 'integer' },
      amount: { type: 'number' },
    },
    additionalProperties: false,
  },
  http: {
    method: 'GET',
    path: '/search',
    parameters: [
      { argument: 'q', in: 'query', name: 'q', style: 'form', explode: true },
      { argument: 'tenant', in: 'query', name: 'tenant', style: 'form', explode: true, value: 'acme' },
      { argument: 'filter', in: 'query', name: 'filter', style: 'form', explode: true },
      { argument: 'prefs', in: 'cookie', name: 'prefs', style: 'form', explode: true },
      { argument: 'limit', in: 'query', name: 'limit', style: 'form', explode: true },
      { argument: 'amount', in: 'query', name: 'amount', style: 'form', explode: true },
    ],
    output: { kind: 'none' },
    security: [['key', 'session']],
  },
};
const tools = [deleteItem, deleteLoosely, search];

let upstream: TestServer;
let client: Client | undefined;
let lines: string[] = [];

beforeAll(async () => {
  upstream = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close();
  client = undefined;
  upstream.seen.length = 0;
});

async function connect(definition: ServerDefinition = serverDefinition): Promise<Client> {
  const made = testRuntime({ serverDefinition: definition, tools, env: { SHOP_BASE_URL: upstream.url, SHOP_API_KEY: apiKey, SHOP_SESSION: session } });
  lines = made.lines;
  client = await connectInMemory(made.runtime);
  return client;
}

describe('arguments the API must never see', () => {
  it('refuses an empty path parameter, by schema and again when the request is built', async () => {
    const mcp = await connect();
    const bySchema = await mcp.callTool({ name: 'delete_item', arguments: { id: '' } });
    expect(bySchema.isError).toBe(true);
    const byRequest = await mcp.callTool({ name: 'delete_loosely', arguments: { id: '' } });
    expect(byRequest.isError).toBe(true);
    expect(textOf(byRequest)).toBe('Invalid arguments for tool delete_loosely: id: must not be empty, because it fills {id} in the path /items/{id}');
    expect(upstream.seen).toHaveLength(0);
  });

  it.each([
    ['a credential', { filter: { api_key: 'mine' } }, 'filter: the key "api_key" is not allowed, because the server sends a query parameter named "api_key" itself'],
    ['a pinned parameter', { filter: { Tenant: 'evil' } }, 'filter: the key "Tenant" is not allowed, because the server sends a query parameter named "tenant" itself'],
    ['another declared parameter', { filter: { 'q[]': 'x' } }, 'filter: the key "q[]" is not allowed, because the server sends a query parameter named "q" itself'],
    ['a cookie credential', { prefs: { sid: 'stolen' } }, 'prefs: the key "sid" is not allowed, because the server sends a cookie parameter named "sid" itself'],
  ])('refuses an exploded object key that collides with %s', async (_case, args, message) => {
    const mcp = await connect();
    const result = await mcp.callTool({ name: 'search', arguments: args });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(message);
    expect(upstream.seen).toHaveLength(0);
    expect(auditLines(lines).at(-1)).toMatchObject({ outcome: 'invalid_request' });
  });

  it('still sends exploded object keys that collide with nothing', async () => {
    const mcp = await connect();
    expect((await mcp.callTool({ name: 'search', arguments: { filter: { colour: 'red' }, prefs: { theme: 'dark' } } })).isError).toBeFalsy();
    const [seen] = upstream.seen;
    expect(seen!.url).toBe(`/search?tenant=acme&colour=red&api_key=${apiKey}`);
    expect(seen!.headers.cookie).toBe(`theme=dark; sid=${session}`);
  });

  it('turns a lone surrogate into a validation error, not an internal one', async () => {
    const mcp = await connect();
    const result = await mcp.callTool({ name: 'search', arguments: { q: 'a\ud800b' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Invalid arguments for tool search: q: contains an unpaired UTF-16 surrogate, which is not valid text');
    expect(upstream.seen).toHaveLength(0);
  });

  it.each([
    ['Infinity (what 1e309 parses to)', { amount: Infinity }, 'amount: must be a finite number (got Infinity)'],
    ['an integer above 2^53', { limit: 2 ** 53 + 2 }, 'limit: 9007199254740994 is beyond ±9007199254740991, so it cannot be represented exactly'],
  ])('refuses %s instead of sending something else', async (_case, args, message) => {
    const mcp = await connect();
    const result = await mcp.callTool({ name: 'search', arguments: args });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(message);
    expect(upstream.seen).toHaveLength(0);
  });

  it('sends a large number where the schema asks for a number', async () => {
    const mcp = await connect();
    expect((await mcp.callTool({ name: 'search', arguments: { amount: 6.02e23 } })).isError).toBeFalsy();
    expect(upstream.seen[0]!.url).toContain('amount=6.02e%2B23');
  });
});

describe('a version that a header cannot carry', () => {
  it('percent-encodes it in the User-Agent, and every call still goes through', async () => {
    const preview = { ...serverDefinition, version: '2024.1 – preview' };
    expect(userAgentOf(preview)).toBe('shop-mcp-server/2024.1%20%E2%80%93%20preview');
    const mcp = await connect(preview);
    expect((await mcp.callTool({ name: 'search', arguments: { q: 'x' } })).isError).toBeFalsy();
    expect(upstream.seen[0]!.headers['user-agent']).toBe('shop-mcp-server/2024.1%20%E2%80%93%20preview');
  });
});

describe('a total time limit per call', () => {
  it('stops honouring Retry-After when the next wait would pass the limit, and says so', async () => {
    const busy = await startServer((_req, res) => sendJson(res, 503, { message: 'busy' }, { 'retry-after': '1' }));
    try {
      const env = { SHOP_BASE_URL: busy.url, SHOP_API_KEY: apiKey, SHOP_SESSION: session, SHOP_MAX_RETRIES: '10', SHOP_CALL_DEADLINE_MS: '2500' };
      const made = testRuntime({ serverDefinition, tools, env });
      client = await connectInMemory(made.runtime);
      const started = Date.now();
      const result = await client.callTool({ name: 'search', arguments: { q: 'x' } });
      const elapsed = Date.now() - started;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('The call reached its total time limit of 2500 ms (retries and waits the API asked for included), so it was not retried further.');
      expect(elapsed).toBeLessThan(2500);
      expect(busy.seen.length).toBeGreaterThanOrEqual(2);
      expect(busy.seen.length).toBeLessThanOrEqual(3);
    } finally {
      await busy.close();
    }
  });
});
