import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './helpers.js';
import { startUpstream, type RecordedRequest, type UpstreamReply } from './upstream.js';

const apiKey = `canary-${randomBytes(12).toString('hex')}`;
const pet = { id: 7, name: 'Rex', species: 'dog', tags: ['good'], status: 'available' };

function reply(request: RecordedRequest): UpstreamReply {
  const url = new URL(request.url, 'http://upstream');
  if (request.method === 'GET' && url.pathname === '/v1/pets') return { status: 200, body: [pet] };
  if (request.method === 'GET' && url.pathname === '/v1/pets/7') return { status: 200, body: pet };
  if (request.method === 'GET' && url.pathname.startsWith('/v1/pets/')) return { status: 404, body: { message: 'No pet has this id' } };
  if (request.method === 'DELETE' && url.pathname === '/v1/pets/7') return { status: 204 };
  if (request.method === 'POST' && url.pathname === '/v1/pets') return { status: 201, body: { ...JSON.parse(request.body), id: 8 } };
  if (request.method === 'GET' && /^\/v1\/owners\/[^/]+\/pets$/.test(url.pathname)) return { status: 200, body: { ownerId: 'ow/1', pets: [pet] } };
  return { status: 500, body: 'unexpected request' };
}

describe('the generated petstore server, over stdio, against an HTTP upstream', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let client: Client;
  let serverLog = '';
  const received: unknown[] = [];

  let seen = 0;
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    received.push(result);
    return result as { content: { type: string; text: string }[]; structuredContent?: unknown; isError?: boolean };
  };
  /** The upstream requests made since the last time this was called. */
  const newRequests = (): RecordedRequest[] => {
    const fresh = upstream.requests.slice(seen);
    seen = upstream.requests.length;
    return fresh;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await cp(path.join(repoRoot, 'examples/petstore/server'), dir, { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit', timeout: 120_000 });
    upstream = await startUpstream(reply);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(dir, 'build/index.js')],
      env: { ...getDefaultEnvironment(), PETSTORE_BASE_URL: `${upstream.url}/v1`, PETSTORE_API_KEY: apiKey },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
    client = new Client({ name: 'toolwright-e2e', version: '1.0.0' });
    await client.connect(transport);
  });

  afterAll(async () => {
    await client?.close();
    await upstream?.close();
    await cleanup?.();
  });

  it('lists the curated tools with their schemas and annotations, as tools.json says', async () => {
    const { tools } = await client.listTools();
    received.push(tools);
    const catalog = JSON.parse(await readFile(path.join(dir, 'tools.json'), 'utf8')) as { tools: { name: string; inputSchema: unknown; annotations: unknown }[] };
    expect(tools.map((tool) => tool.name)).toStrictEqual(['add_pet', 'get_pet', 'list_owner_pets', 'list_pets', 'remove_pet']);
    expect(client.getInstructions()).toContain('Pet ids are numbers');
    for (const tool of tools) {
      const entry = catalog.tools.find((candidate) => candidate.name === tool.name)!;
      expect(tool.inputSchema).toStrictEqual(entry.inputSchema);
      expect(tool.annotations).toStrictEqual(entry.annotations);
    }
    expect(tools.find((tool) => tool.name === 'get_pet')!.annotations).toStrictEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
  });

  it('sends query parameters per their style and returns JSON as structured content', async () => {
    newRequests();
    const result = await call('list_pets', { species: 'dog', tags: ['good', 'small'], limit: 5 });
    expect(result.isError).toBeFalsy();
    const requests = newRequests();
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe('/v1/pets?store=store-42&species=dog&tags=good,small&limit=5');
    expect(request!.headers['x-api-key']).toBe(apiKey);
    expect(result.structuredContent).toStrictEqual({ result: [pet] });
    expect(JSON.parse(result.content[0]!.text)).toStrictEqual([pet]);
  });

  it('keeps pinned and hidden arguments out of the schema, sends the pinned value and never the hidden one', async () => {
    const { tools } = await client.listTools();
    const listPets = tools.find((tool) => tool.name === 'list_pets')!;
    expect(Object.keys(listPets.inputSchema.properties ?? {})).toStrictEqual(['species', 'tags', 'limit']);
    expect((listPets.inputSchema.properties as Record<string, { maximum?: number }>).limit!.maximum).toBe(50);
    newRequests();
    const pinned = await call('list_pets', { store: 'other-store' });
    expect(pinned.isError).toBe(true);
    expect(pinned.content[0]!.text).toContain('store');
    const hidden = await call('list_pets', { includeArchived: true });
    expect(hidden.isError).toBe(true);
    const capped = await call('list_pets', { limit: 60 });
    expect(capped.isError).toBe(true);
    expect(newRequests()).toHaveLength(0);
    await call('list_pets', {});
    const [request] = newRequests();
    expect(request!.url).toBe('/v1/pets?store=store-42');
  });

  it('encodes path parameters and sends header parameters', async () => {
    newRequests();
    const requestId = '0b6f5a4e-8f5c-4d0e-9a59-3c1f1f6f9f10';
    const result = await call('list_owner_pets', { ownerId: 'ow/1?x#y', status: 'adopted', 'X-Request-Id': requestId });
    expect(result.isError).toBeFalsy();
    const [request] = newRequests();
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe('/v1/owners/ow%2F1%3Fx%23y/pets?status=adopted');
    expect(request!.headers['x-request-id']).toBe(requestId);
    expect(request!.headers['x-api-key']).toBe(apiKey);
    expect(result.structuredContent).toStrictEqual({ ownerId: 'ow/1', pets: [pet] });
  });

  it('sends a JSON body assembled from the arguments', async () => {
    newRequests();
    const result = await call('add_pet', { name: 'Tom', species: 'cat', birthDate: null, tags: ['indoor'] });
    expect(result.isError).toBeFalsy();
    const [request] = newRequests();
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/pets');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toStrictEqual({ name: 'Tom', species: 'cat', birthDate: null, tags: ['indoor'] });
    expect(result.structuredContent).toStrictEqual({ name: 'Tom', species: 'cat', birthDate: null, tags: ['indoor'], id: 8 });
  });

  it('returns isError with the status on a 404', async () => {
    const result = await call('get_pet', { petId: 99 });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain('404');
    expect(result.content[0]!.text).toContain('No pet has this id');
  });

  it('rejects invalid arguments naming the field, without calling upstream', async () => {
    newRequests();
    const wrongType = await call('get_pet', { petId: 'seven' });
    expect(wrongType.isError).toBe(true);
    expect(wrongType.content[0]!.text).toContain('petId');
    const outOfRange = await call('list_pets', { limit: 1000 });
    expect(outOfRange.isError).toBe(true);
    expect(outOfRange.content[0]!.text).toContain('limit');
    const unknown = await call('get_pet', { petId: 7, owner: 'me' });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]!.text).toContain('owner');
    const missing = await call('add_pet', { name: 'Tom' });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toContain('species');
    expect(newRequests()).toHaveLength(0);
  });

  it('refuses a destructive tool without confirmation from a client that cannot be asked, and runs it with confirm: true', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'remove_pet')!.annotations).toStrictEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
    newRequests();
    const refused = await call('remove_pet', { petId: 7 });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toContain('confirm');
    expect(newRequests()).toHaveLength(0);
    const confirmed = await call('remove_pet', { petId: 7, confirm: true });
    expect(confirmed.isError).toBeFalsy();
    const requests = newRequests();
    expect(requests.map((request) => [request.method, request.url])).toStrictEqual([['DELETE', '/v1/pets/7']]);
  });

  it('keeps the API key out of everything the client received and of the server log', () => {
    expect(upstream.requests.length).toBeGreaterThan(3);
    for (const request of upstream.requests) expect(request.headers['x-api-key']).toBe(apiKey);
    expect(JSON.stringify(received)).not.toContain(apiKey);
    expect(serverLog).not.toContain(apiKey);
  });
});
