import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer, fromJsonSchema } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../templates/runtime/config.js';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { createLogger } from '../../templates/runtime/log.js';
import { createRedactor } from '../../templates/runtime/redact.js';
import { createAudit } from '../../templates/runtime/audit.js';
import { createRuntime } from '../../templates/runtime/runtime.js';
import { buildServer, toolTableOf } from '../../templates/runtime/server.js';

type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

const secret = 'sk-live-9f8e7d6c5b4a';
const annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
const petSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] };

const serverDefinition: ServerDefinition = {
  name: 'petstore',
  version: '1.2.3',
  envPrefix: 'PETSTORE',
  securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'PETSTORE_API_KEY' } },
};

function tool(name: string, http: Partial<ToolDefinition['http']>, extra: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name,
    title: name,
    description: `The ${name} tool.`,
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations,
    http: { method: 'GET', path: '/', parameters: [], output: { kind: 'none' }, security: [['apiKey']], ...http },
    ...extra,
  };
}

const tools: ToolDefinition[] = [
  tool(
    'get_pet',
    {
      path: '/pets/{petId}',
      parameters: [
        { argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false },
        { argument: 'fields', in: 'query', name: 'fields', style: 'form', explode: false },
        { argument: 'requestId', in: 'header', name: 'X-Request-ID', style: 'simple', explode: false },
      ],
      output: { kind: 'object' },
    },
    {
      inputSchema: {
        type: 'object',
        properties: {
          petId: { type: 'integer', minimum: 1 },
          fields: { type: 'array', items: { type: 'string' } },
          requestId: { type: 'string' },
        },
        required: ['petId'],
        additionalProperties: false,
      },
      outputSchema: petSchema,
    },
  ),
  tool(
    'list_pets',
    {
      path: '/pets',
      parameters: [{ argument: 'limit', in: 'query', name: 'limit', style: 'form', explode: true }],
      output: { kind: 'wrapped', property: 'items' },
    },
    {
      inputSchema: { type: 'object', properties: { limit: { type: 'integer', maximum: 100 } }, additionalProperties: false },
      outputSchema: { type: 'object', properties: { items: { type: 'array', items: petSchema } }, required: ['items'] },
    },
  ),
  tool(
    'create_pet',
    {
      method: 'POST',
      path: '/pets',
      body: { mediaType: 'application/json', encoding: 'json', required: true, properties: [{ argument: 'name', name: 'name' }, { argument: 'tag', name: 'tag' }] },
      output: { kind: 'object' },
    },
    {
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      inputSchema: { type: 'object', properties: { name: { type: 'string' }, tag: { type: 'string' } }, required: ['name'], additionalProperties: false },
    },
  ),
  tool(
    'delete_pet',
    { method: 'DELETE', path: '/pets/{petId}', parameters: [{ argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false }], output: { kind: 'object' } },
    {
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      inputSchema: { type: 'object', properties: { petId: { type: 'integer' } }, required: ['petId'], additionalProperties: false },
      outputSchema: { type: 'object', properties: { deleted: { type: 'boolean' } } },
    },
  ),
  tool('get_text', { path: '/text' }),
  tool(
    'get_file',
    { path: '/files/{name}', parameters: [{ argument: 'name', in: 'path', name: 'name', style: 'simple', explode: false }] },
    { inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
  ),
  tool('slow', { path: '/slow' }),
  tool('moved', { path: '/moved' }),
  tool('echo_key', { path: '/echo-key', output: { kind: 'object' } }),
  tool('drifted', { path: '/drifted', output: { kind: 'object' } }, { outputSchema: petSchema }),
  tool('drifted_open', { path: '/drifted', output: { kind: 'object' } }, { outputSchema: { ...petSchema, required: [] } }),
  tool('public_status', { path: '/status', security: [] }),
  tool('big', { path: '/big' }),
];

let upstream: HttpServer;
let port: number;
let received: Received[] = [];
let logs: string[] = [];
let client: Client | undefined;

function respond(request: IncomingMessage, response: ServerResponse, body: string): void {
  const url = new URL(request.url ?? '/', 'http://upstream');
  const send = (status: number, headers: { [name: string]: string }, text = ''): void => {
    response.writeHead(status, headers);
    response.end(text);
  };
  const json = (status: number, value: unknown) => send(status, { 'content-type': 'application/json' }, JSON.stringify(value));
  if (url.pathname === '/v1/pets/404') return json(404, { message: 'Pet 404 not found' });
  if (url.pathname.startsWith('/v1/pets/') && request.method === 'GET') return json(200, { id: 7, name: 'Rex' });
  if (url.pathname.startsWith('/v1/pets/') && request.method === 'DELETE') return send(204, {});
  if (url.pathname === '/v1/pets' && request.method === 'GET') return json(200, [{ id: 1, name: 'A' }, { id: 2, name: 'B' }]);
  if (url.pathname === '/v1/pets' && request.method === 'POST') return json(201, { id: 3, ...JSON.parse(body) });
  if (url.pathname === '/v1/text') return send(200, { 'content-type': 'text/plain' }, 'plain words');
  if (url.pathname === '/v1/slow') {
    setTimeout(() => json(200, {}), 2_000).unref();
    return;
  }
  if (url.pathname === '/v1/moved') return send(302, { location: 'http://elsewhere.example/steal' });
  if (url.pathname === '/v1/echo-key') return json(401, { error: `invalid key ${String(request.headers['x-api-key'])}` });
  if (url.pathname === '/v1/drifted') return json(200, { id: 'seven', name: 'Rex' });
  if (url.pathname === '/v1/status') return json(200, { ok: true });
  if (url.pathname === '/v1/big') return json(200, { data: 'x'.repeat(5_000) });
  json(500, { message: 'unexpected' });
}

beforeAll(async () => {
  upstream = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      respond(request, response, body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  port = (upstream.address() as AddressInfo).port;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  received = [];
  logs = [];
});

async function connect(env: { [name: string]: string } = { PETSTORE_API_KEY: secret }): Promise<Client> {
  const config = readConfig(serverDefinition, {
    PETSTORE_BASE_URL: `http://127.0.0.1:${port}/v1`,
    PETSTORE_TIMEOUT_MS: '300',
    PETSTORE_MAX_RESPONSE_BYTES: '4000',
    ...env,
  });
  const redact = createRedactor(config.credentials);
  const log = createLogger({ server: 'petstore', redact, sink: (line) => logs.push(line) });
  const audit = createAudit({ server: 'petstore', redact, sink: (line) => logs.push(line) });
  const server = buildServer(createRuntime({ serverDefinition, tools, config, log, audit }));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
  return client;
}

async function call(name: string, args: { [name: string]: unknown } = {}) {
  const result = await client!.callTool({ name, arguments: args }, { timeout: 10_000 });
  return { ...result, text: (result.content as { type: string; text: string }[]).map((block) => block.text).join('\n') };
}

describe('generated server over the SDK client', () => {
  it('lists every tool with its schemas and annotations', async () => {
    await connect();
    const { tools: listed } = await client!.listTools();
    expect(listed.map((listedTool) => listedTool.name)).toStrictEqual(tools.map((definition) => definition.name));
    const getPet = listed.find((listedTool) => listedTool.name === 'get_pet')!;
    expect(getPet.inputSchema).toStrictEqual(tools[0]!.inputSchema);
    expect(getPet.outputSchema).toStrictEqual(petSchema);
    expect(getPet.annotations).toStrictEqual(annotations);
    expect(getPet.title).toBe('get_pet');
  });

  it('sends the exact request and returns structured content', async () => {
    await connect();
    const result = await call('get_pet', { petId: 7, fields: ['id', 'name'], requestId: 'req-1' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toStrictEqual({ id: 7, name: 'Rex' });
    expect(result.text).toBe('{"id":7,"name":"Rex"}');
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe('/v1/pets/7?fields=id,name');
    expect(request!.headers['x-api-key']).toBe(secret);
    expect(request!.headers['x-request-id']).toBe('req-1');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('petstore-mcp-server/1.2.3');
    expect(request!.body).toBe('');
  });

  it('wraps a JSON array per the output binding', async () => {
    await connect();
    const result = await call('list_pets', { limit: 2 });
    expect(result.structuredContent).toStrictEqual({ items: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }] });
    expect(received[0]!.url).toBe('/v1/pets?limit=2');
  });

  it('sends a JSON body assembled from arguments', async () => {
    await connect();
    const result = await call('create_pet', { name: 'Tom' });
    expect(result.structuredContent).toStrictEqual({ id: 3, name: 'Tom' });
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.body).toBe('{"name":"Tom"}');
  });

  it('answers an empty 204 with a short text and valid structured content', async () => {
    await connect();
    const result = await call('delete_pet', { petId: 5 });
    expect(result.isError).toBeFalsy();
    expect(result.text).toBe('Done (HTTP 204 No Content).');
    expect(result.structuredContent).toStrictEqual({});
    expect(received[0]!.method).toBe('DELETE');
  });

  it('returns non-JSON text as text', async () => {
    await connect();
    const result = await call('get_text');
    expect(result.isError).toBeFalsy();
    expect(result.text).toBe('plain words');
    expect(result.structuredContent).toBeUndefined();
  });

  it('reports a 404 as an error result with the status and body', async () => {
    await connect();
    const result = await call('get_pet', { petId: 404 });
    expect(result.isError).toBe(true);
    expect(result.text).toBe('GET /pets/{petId} failed with HTTP 404 Not Found. Check the identifiers in the arguments.\nThe API said: Pet 404 not found');
  });

  it.each([
    [{ petId: 'abc' }, 'petId: must be an integer (got "abc")'],
    [{ petId: 1, extra: true }, 'unknown argument "extra" (allowed: petId, fields, requestId)'],
    [{}, 'missing required argument "petId"'],
    [{ petId: 0 }, 'petId: must be >= 1 (got 0)'],
  ])('rejects %j before any request', async (args, message) => {
    await connect();
    const result = await call('get_pet', args);
    expect(result.isError).toBe(true);
    expect(result.text).toContain(message);
    expect(received).toHaveLength(0);
  });

  it('keeps path values inside their segment and refuses dot segments, sending nothing', async () => {
    await connect();
    expect((await call('get_file', { name: '../admin?x=1#y' })).isError).toBe(true);
    expect(received.map((request) => request.url)).toStrictEqual(['/v1/files/..%2Fadmin%3Fx%3D1%23y']);
    const result = await call('get_file', { name: '..' });
    expect(result.isError).toBe(true);
    expect(result.text).toBe('Invalid arguments for tool get_file: name: a path value cannot be "." or "..", which would address a different endpoint');
    expect(received).toHaveLength(1);
  });

  it('refuses a header value with a line break, sending nothing', async () => {
    await connect();
    const result = await call('get_pet', { petId: 1, requestId: 'a\r\nx-evil: 1' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('requestId: must contain only printable ASCII');
    expect(received).toHaveLength(0);
  });

  it('keeps the credential out of everything the client receives and of the logs', async () => {
    await connect();
    const result = await call('echo_key');
    expect(received[0]!.headers['x-api-key']).toBe(secret);
    expect(result.isError).toBe(true);
    expect(result.text).toContain('invalid key [REDACTED]');
    const everything = JSON.stringify([result, await client!.listTools(), logs]);
    expect(everything).not.toContain(secret);
    expect(logs.length).toBeGreaterThan(0);
  });

  it('times out with an error result that says so', async () => {
    await connect();
    const result = await call('slow');
    expect(result.isError).toBe(true);
    expect(result.text).toBe('GET /slow: the API did not answer within 300 ms. Retrying may help, ideally with a narrower request.');
  });

  it('does not follow redirects', async () => {
    await connect();
    const result = await call('moved');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('HTTP 302 Found and redirects to http://elsewhere.example/steal');
    expect(received).toHaveLength(1);
  });

  it('reports an unreachable API as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await connect({ PETSTORE_API_KEY: secret, PETSTORE_BASE_URL: `http://127.0.0.1:${closedPort}` });
    const result = await call('public_status');
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^GET \/status: could not reach the API \(.*ECONNREFUSED.*\)\. .*retrying later may help\.$/);
  });

  it('returns data that does not match the output schema anyway: conforming structured content, the whole response as text', async () => {
    await connect();
    const result = await call('drifted_open');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toStrictEqual({ name: 'Rex' });
    expect(result.content).toHaveLength(2);
    expect(result.text).toContain('{"id":"seven","name":"Rex"}');
    expect(result.text).toContain('left out of the structured result (/id); the text above is the complete response');
    expect(logs.some((line) => line.includes('"level":"warn"') && line.includes('output schema'))).toBe(true);
  });

  it('returns data as flagged text when the output schema requires what does not match, so nothing conforms', async () => {
    await connect();
    const result = await call('drifted');
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toHaveLength(2);
    expect(result.text).toContain("does not match this tool's output schema (id: must be an integer (got \"seven\"))");
    expect(result.text).toContain('Do not repeat the call because of this');
    expect(result.text).toContain('{"id":"seven","name":"Rex"}');
  });

  it('cuts a response larger than the cap and says so', async () => {
    await connect();
    const result = await call('big');
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('larger than 4000 bytes and was cut off there');
    expect(result.content[1]).toStrictEqual({ type: 'text', text: `{"data":"${'x'.repeat(3_991)}` });
  });

  it('sends calls without credentials when none are configured, and says which variable to set on 401', async () => {
    await connect({});
    const result = await call('echo_key');
    expect(received[0]!.headers['x-api-key']).toBeUndefined();
    expect(result.text).toContain("No upstream credentials are configured for this tool; the server's operator must set PETSTORE_API_KEY.");
    expect((await call('public_status')).structuredContent).toBeUndefined();
  });

  it('writes one audit line per call', async () => {
    await connect();
    await call('get_pet', { petId: 7 });
    const audit = logs.map((line) => JSON.parse(line) as { [key: string]: unknown }).filter((entry) => entry.type === 'audit');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      type: 'audit',
      server: 'petstore',
      tool: 'get_pet',
      client: 'test-client/1.0.0',
      arguments: { petId: 7 },
      method: 'GET',
      path: '/pets/{petId}',
      status: 200,
      attempts: 1,
      outcome: 'ok',
    });
    expect(audit[0]!.durationMs).toBeTypeOf('number');
    expect(Date.parse(String(audit[0]!.time))).not.toBeNaN();
  });
});

describe('the tool table behind every server instance', () => {
  function runtimeWith(toolList: ToolDefinition[]) {
    const config = readConfig(serverDefinition, { PETSTORE_BASE_URL: `http://127.0.0.1:${port}/v1`, PETSTORE_API_KEY: secret });
    const redact = createRedactor(config.credentials);
    const sink = (line: string) => logs.push(line);
    return createRuntime({ serverDefinition, tools: toolList, config, log: createLogger({ server: 'petstore', redact, sink }), audit: createAudit({ server: 'petstore', redact, sink }) });
  }

  it('is built once per runtime and shared by every server built from it', () => {
    const runtime = runtimeWith(tools);
    const table = toolTableOf(runtime);
    buildServer(runtime, 'a');
    buildServer(runtime, 'b');
    expect(toolTableOf(runtime)).toBe(table);
    expect(table.listing.map((entry) => entry.name)).toStrictEqual(tools.map((definition) => definition.name));
  });

  it('compiles a schema on the first call that needs it, so one broken schema does not stop the others', async () => {
    const broken = tool('broken', { method: 'GET', path: '/pets' }, { inputSchema: { type: 'object', properties: { a: { type: 'no-such-type' } } } });
    const runtime = runtimeWith([broken, tools[0]!]);
    const server = buildServer(runtime);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(clientTransport);
    expect((await client.listTools()).tools.map((listed) => listed.name)).toStrictEqual(['broken', tools[0]!.name]);
    expect(await client.callTool({ name: 'broken', arguments: {} })).toMatchObject({ isError: true });
    expect(await client.callTool({ name: tools[0]!.name, arguments: { petId: 7 } })).not.toHaveProperty('isError', true);
  });
});

describe('SDK behaviour the runtime relies on', () => {
  it('turns a missing or mismatching structuredContent into an error result when an output schema is declared', async () => {
    const server = new McpServer({ name: 'probe', version: '0.0.0' });
    const outputSchema = fromJsonSchema({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
    const config = { inputSchema: fromJsonSchema({ type: 'object', properties: {} }), outputSchema };
    server.registerTool('missing', config, async () => ({ content: [{ type: 'text', text: 'data' }] }));
    server.registerTool('mismatch', config, async () => ({ content: [{ type: 'text', text: 'data' }], structuredContent: { id: 'x' } }));
    server.registerTool('error', config, async () => ({ content: [{ type: 'text', text: 'failed' }], isError: true }));
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    client = new Client({ name: 'probe-client', version: '1.0.0' });
    await client.connect(clientTransport);
    const missing = await client.callTool({ name: 'missing', arguments: {} });
    expect(missing).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringContaining('Output validation error') }] });
    const mismatch = await client.callTool({ name: 'mismatch', arguments: {} });
    expect(mismatch).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringContaining('Output validation error') }] });
    expect(await client.callTool({ name: 'error', arguments: {} })).toMatchObject({ isError: true, content: [{ text: 'failed' }] });
  });
});
