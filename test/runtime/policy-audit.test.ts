import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAudit, createFileSink, isSensitiveName, redactArguments } from '../../templates/runtime/audit.js';
import { readConfig } from '../../templates/runtime/config.js';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { ConfigError } from '../../templates/runtime/env.js';
import { selectServedTools } from '../../templates/runtime/policy.js';
import { createRedactor } from '../../templates/runtime/redact.js';
import { auditLines, connectInMemory, getTool, sendJson, startServer, testRuntime, type TestServer } from './harness.js';

const serverDefinition: ServerDefinition = { name: 'shop', version: '1.0.0', envPrefix: 'SHOP', securitySchemes: {} };
const writeAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
const tools: ToolDefinition[] = [
  getTool('list_pets', '/pets'),
  getTool('get_pet', '/pets/1'),
  getTool('add_pet', '/pets', {
    annotations: writeAnnotations,
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string' }, ownerPin: { type: 'string' }, note: { type: 'string', writeOnly: true } },
      additionalProperties: false,
    },
    http: { method: 'POST', path: '/pets', parameters: [], body: { mediaType: 'application/json', encoding: 'json', required: true, properties: [{ argument: 'name', name: 'name' }, { argument: 'ownerPin', name: 'pin' }, { argument: 'note', name: 'note' }] }, output: { kind: 'none' }, security: [] },
  }),
];

let upstream: TestServer;
let client: Client | undefined;
beforeAll(async () => {
  upstream = await startServer((_req, res) => sendJson(res, 200, {}));
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('run-time switches', () => {
  it.each([
    [{}, ['list_pets', 'get_pet', 'add_pet']],
    [{ SHOP_READ_ONLY: 'true' }, ['list_pets', 'get_pet']],
    [{ SHOP_TOOLS: 'get_pet, add_pet' }, ['get_pet', 'add_pet']],
    [{ SHOP_TOOLS: 'get_pet add_pet', SHOP_READ_ONLY: '1' }, ['get_pet']],
  ])('serves only the allowed tools with %j, and the others cannot be called', async (env, served) => {
    const { runtime } = testRuntime({ serverDefinition, tools, env: { SHOP_BASE_URL: upstream.url, ...env } });
    client = await connectInMemory(runtime);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toStrictEqual(served);
    for (const hidden of tools.map((tool) => tool.name).filter((name) => !served.includes(name))) {
      await expect(client.callTool({ name: hidden, arguments: {} })).rejects.toThrow(/not found|Unknown tool/i);
    }
  });

  it('refuses an allow-list entry that names no tool', () => {
    const config = readConfig(serverDefinition, { SHOP_BASE_URL: 'https://x', SHOP_TOOLS: 'get_pet,get_pets' });
    expect(() => selectServedTools(tools, config, 'SHOP_TOOLS')).toThrow(ConfigError);
    expect(() => selectServedTools(tools, config, 'SHOP_TOOLS')).toThrow('SHOP_TOOLS names unknown tools: get_pets. Known tools: list_pets, get_pet, add_pet.');
  });

  it('rejects a read-only switch that is not a boolean', () => {
    expect(() => readConfig(serverDefinition, { SHOP_BASE_URL: 'https://x', SHOP_READ_ONLY: 'maybe' })).toThrow('SHOP_READ_ONLY must be true or false (got "maybe").');
  });
});

describe('audit', () => {
  it.each(['password', 'apiKey', 'api_key', 'X-Auth-Token', 'client_secret', 'accessToken', 'ownerPin', 'sessionId', 'Cookie', 'privateKey'])('treats %s as sensitive', (name) => {
    expect(isSensitiveName(name)).toBe(true);
  });

  it.each(['name', 'author', 'keyword', 'tokenizer_name', 'pinned', 'description', 'monkey'])('does not treat %s as sensitive', (name) => {
    expect(isSensitiveName(name)).toBe(false);
  });

  it('redacts sensitive and writeOnly fields and shortens long values', () => {
    const schema = { type: 'object', properties: { note: { type: 'string', writeOnly: true }, nested: { type: 'object', properties: { code: { format: 'password' } } } } };
    expect(redactArguments({ name: 'Rex', password: 'x', note: 'n', nested: { code: '1', ok: 2 }, long: 'y'.repeat(250), many: Array.from({ length: 25 }, (_, i) => i) }, schema, (text) => text)).toStrictEqual({
      name: 'Rex',
      password: '[REDACTED]',
      note: '[REDACTED]',
      nested: { code: '[REDACTED]', ok: 2 },
      long: `${'y'.repeat(200)}... (50 more characters)`,
      many: [...Array.from({ length: 20 }, (_, i) => i), '... (25 items)'],
    });
  });

  it('writes one line per call with the fields the issue asks for, arguments redacted', async () => {
    const { runtime, lines } = testRuntime({ serverDefinition, tools, env: { SHOP_BASE_URL: upstream.url } });
    client = await connectInMemory(runtime);
    await client.callTool({ name: 'add_pet', arguments: { name: 'Rex', ownerPin: '1234', note: 'private' } });
    const [entry] = auditLines(lines);
    expect(Object.keys(entry!).sort()).toStrictEqual(['arguments', 'attempts', 'caller', 'client', 'durationMs', 'method', 'outcome', 'path', 'server', 'status', 'time', 'tool', 'type']);
    expect(entry).toMatchObject({
      type: 'audit',
      tool: 'add_pet',
      caller: 'tester',
      client: 'test-client/1.0.0',
      arguments: { name: 'Rex', ownerPin: '[REDACTED]', note: '[REDACTED]' },
      method: 'POST',
      path: '/pets',
      status: 200,
      outcome: 'ok',
    });
    expect(JSON.parse(upstream.seen.at(-1)!.body)).toStrictEqual({ name: 'Rex', pin: '1234', note: 'private' });
  });

  it('appends to an audit file created with mode 0600, redacting secrets', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'toolwright-audit-'));
    try {
      const file = path.join(dir, 'audit.jsonl');
      const sink = createFileSink(file);
      const audit = createAudit({ server: 'shop', redact: createRedactor({}, ['s3cr3t-value']), sink });
      audit({ tool: 't', arguments: { q: 'has s3cr3t-value inside' }, method: 'GET', path: '/x', durationMs: 1, outcome: 'ok' });
      audit({ tool: 't', arguments: {}, method: 'GET', path: '/x', durationMs: 2, outcome: 'ok' });
      sink.close();
      const written = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { arguments: unknown });
      expect(written).toHaveLength(2);
      expect(written[0]!.arguments).toStrictEqual({ q: 'has [REDACTED] inside' });
      if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
