import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countToolTokens } from '../../src/catalog/tokens.js';
import type { ServerDefinition, ServerMode, ToolDefinition } from '../../templates/runtime/definition.js';
import { readTransportConfig } from '../../templates/runtime/http-config.js';
import { serveHttp, type HttpServer } from '../../templates/runtime/http-server.js';
import { buildSearchIndex } from '../../templates/runtime/tool-search.js';
import { auditLines, connectHttp, connectInMemory, getTool, sendJson, startServer, testRuntime, textOf, type ElicitAnswer, type TestServer } from '../runtime/harness.js';

const definition = (mode: ServerMode, coreTools?: string[]): ServerDefinition => ({
  name: 'shop',
  version: '1.0.0',
  envPrefix: 'SHOP',
  securitySchemes: {},
  mode,
  ...(coreTools ? { coreTools } : {}),
  instructions: 'Shop API 1.0: 5 operations behind search_tools, describe_tools and call_tool. Main areas: pets, admin.',
});
const getPet: ToolDefinition = {
  name: 'get_pet',
  title: 'Get a pet',
  description: 'Find a pet by its id.\n\nReturns the pet with its name and status.',
  inputSchema: { type: 'object', properties: { petId: { type: 'integer', minimum: 1 } }, required: ['petId'], additionalProperties: false },
  outputSchema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  http: { method: 'GET', path: '/pets/{petId}', parameters: [{ argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false }], output: { kind: 'object' }, security: [] },
};
const deletePet: ToolDefinition = {
  name: 'delete_pet',
  title: 'Delete a pet',
  description: 'Delete a pet. Needs the user\'s confirmation: set "confirm": true only after the user agreed.',
  inputSchema: { type: 'object', properties: { petId: { type: 'integer' }, confirm: { type: 'boolean' } }, required: ['petId'], additionalProperties: false },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  http: { method: 'DELETE', path: '/pets/{petId}', parameters: [{ argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false }], output: { kind: 'none' }, security: [] },
  confirmation: { argument: 'confirm' },
};
const resetStore = getTool('reset_store', '/admin/reset', {
  title: 'Reset the pet store',
  description: 'Reset every pet of the store.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  http: { method: 'POST', path: '/admin/reset', parameters: [], output: { kind: 'none' }, security: [] },
});
const tools = [deletePet, getPet, getTool('list_pets', '/pets', { title: 'List pets', description: 'List the pets of the store.' }), resetStore];
const eras = [
  ['2025-11-25', { mode: 'legacy' as const }],
  ['2026-07-28', { mode: { pin: '2026-07-28' as const } }],
] as const;

let upstream: TestServer;
let client: Client | undefined;
let http: HttpServer | undefined;
let lines: string[] = [];

beforeAll(async () => {
  upstream = await startServer((req, res) => {
    if (req.method === 'GET' && req.url === '/pets/7') return sendJson(res, 200, { id: 7, name: 'Rex' });
    if (req.method === 'GET' && req.url === '/pets/8') return sendJson(res, 200, { id: 8 });
    res.writeHead(204);
    res.end();
  });
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await http?.close();
  client = undefined;
  http = undefined;
  upstream.seen.length = 0;
});

function runtime(mode: ServerMode, env: { [name: string]: string } = {}, coreTools?: string[]) {
  const made = testRuntime({ serverDefinition: definition(mode, coreTools), tools, env: { SHOP_BASE_URL: upstream.url, ...env } });
  lines = made.lines;
  return made.runtime;
}

type Connect = (mode: ServerMode, options?: { env?: { [name: string]: string }; onElicit?: (params: { message: string }) => ElicitAnswer; coreTools?: string[] }) => Promise<Client>;

const transports: [string, (era: (typeof eras)[number]) => Connect][] = [
  [
    'stdio',
    ([, versionNegotiation]) =>
      (mode, { env, onElicit, coreTools } = {}) =>
        connectInMemory(runtime(mode, env, coreTools), { versionNegotiation, ...(onElicit ? { capabilities: { elicitation: {} }, onElicit } : {}) }),
  ],
  [
    'HTTP',
    ([era]) =>
      async (mode, { env, onElicit, coreTools } = {}) => {
        const transport = readTransportConfig('SHOP', (name) => ({ SHOP_TRANSPORT: 'http', SHOP_PORT: '0' })[name], [], () => '');
        if (transport.transport !== 'http') throw new Error('expected http');
        await http?.close();
        http = await serveHttp(runtime(mode, env, coreTools), transport);
        return connectHttp(http.url, { era, ...(onElicit ? { capabilities: { elicitation: {} }, onElicit } : {}) });
      },
  ],
];

describe.each(transports)('discovery mode over %s', (transport, connectFor) => {
  describe.each(eras)('protocol %s', (...era) => {
    const connect = connectFor(era as unknown as (typeof eras)[number]);

    it('lists exactly the three meta-tools, for under 1,500 tokens, with instructions', async () => {
      client = await connect('discovery');
      const listed = (await client.listTools()).tools;
      expect(listed.map((tool) => tool.name)).toEqual(['search_tools', 'describe_tools', 'call_tool']);
      const tokens = listed.reduce((sum, tool) => sum + countToolTokens(tool as never), 0);
      expect(tokens).toBeLessThan(1500);
      expect(client.getInstructions()).toContain('Main areas: pets, admin.');
      expect(listed.find((tool) => tool.name === 'call_tool')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    });

    it('searches, describes and calls a tool end to end; the audit line names the inner tool', async () => {
      client = await connect('discovery');
      const found = await client.callTool({ name: 'search_tools', arguments: { query: 'find a pet by id' } });
      const hits = (found.structuredContent as { tools: { name: string; description: string; annotations: object }[] }).tools;
      expect(hits[0]).toEqual({ name: 'get_pet', title: 'Get a pet', description: 'Find a pet by its id.', annotations: getPet.annotations });
      expect(JSON.parse(textOf(found))).toEqual(found.structuredContent);

      const described = await client.callTool({ name: 'describe_tools', arguments: { names: ['get_pet'] } });
      expect(described.structuredContent).toEqual({
        tools: [{ name: 'get_pet', title: 'Get a pet', description: getPet.description, inputSchema: getPet.inputSchema, outputSchema: getPet.outputSchema, annotations: getPet.annotations }],
      });

      const called = await client.callTool({ name: 'call_tool', arguments: { name: 'get_pet', arguments: { petId: 7 } } });
      expect(called.isError).toBeFalsy();
      expect(called.structuredContent).toEqual({ id: 7, name: 'Rex' });
      expect(upstream.seen.map((seen) => `${seen.method} ${seen.url}`)).toEqual(['GET /pets/7']);
      expect(auditLines(lines).at(-1)).toMatchObject({ tool: 'get_pet', outcome: 'ok', status: 200, method: 'GET', path: '/pets/{petId}' });
    });

    it('answers every call exactly as the listed tool does: invalid arguments, output schema, confirmation', async () => {
      const cases: [string, { [key: string]: unknown }][] = [
        ['get_pet', { petId: 0 }],
        ['get_pet', { petId: 'seven' }],
        ['get_pet', {}],
        ['get_pet', { petId: 8 }],
        ['delete_pet', { petId: 3 }],
        ['delete_pet', { petId: 3, confirm: true }],
      ];
      const run = async (mode: ServerMode) => {
        client = await connect(mode);
        const results = [];
        for (const [name, args] of cases) {
          const result = mode === 'tools' ? await client.callTool({ name, arguments: args }) : await client.callTool({ name: 'call_tool', arguments: { name, arguments: args } });
          const audit = auditLines(lines).at(-1)!;
          results.push({ isError: Boolean(result.isError), text: textOf(result), audit: { tool: audit.tool, outcome: audit.outcome, arguments: audit.arguments } });
        }
        await client.close();
        return results;
      };
      const listed = await run('tools');
      upstream.seen.length = 0;
      const called = await run('discovery');
      expect(called).toEqual(listed);
      expect(listed[0]!.text).toMatch(/^Input validation error: Invalid arguments for tool get_pet: /);
      expect(listed[0]!.audit).toMatchObject({ tool: 'get_pet', outcome: 'invalid_arguments' });
      expect(listed[3]!.isError).toBe(true);
      expect(listed[4]!.text).toContain('delete_pet changes or deletes data');
      // Stateless 2025-11-25 HTTP cannot tell whether the user agreed, so even confirm: true is refused there.
      const statelessHttp = transport === 'HTTP' && era[0] === '2025-11-25';
      expect(listed[5]).toMatchObject({ isError: statelessHttp, audit: { tool: 'delete_pet', outcome: statelessHttp ? 'unconfirmed' : 'ok' } });
      expect(upstream.seen.map((seen) => `${seen.method} ${seen.url}`)).toEqual(statelessHttp ? ['GET /pets/8'] : ['GET /pets/8', 'DELETE /pets/3']);
    });

    it('asks for confirmation of a destructive tool exactly as when it is listed (elicitation where the client can)', async () => {
      const run = async (mode: ServerMode) => {
        const asked: string[] = [];
        const onElicit = (params: { message: string }): ElicitAnswer => {
          asked.push(params.message);
          return { action: 'accept', content: { confirm: true } };
        };
        client = await connect(mode, { onElicit });
        const result = mode === 'tools' ? await client.callTool({ name: 'delete_pet', arguments: { petId: 7 } }) : await client.callTool({ name: 'call_tool', arguments: { name: 'delete_pet', arguments: { petId: 7 } } });
        const audit = auditLines(lines).at(-1)!;
        const seen = upstream.seen.map((one) => `${one.method} ${one.url}`);
        upstream.seen.length = 0;
        await client.close();
        return { isError: Boolean(result.isError), text: textOf(result), asked, seen, audit: { tool: audit.tool, outcome: audit.outcome, confirmedBy: audit.confirmedBy } };
      };
      const listed = await run('tools');
      expect(await run('discovery')).toEqual(listed);
      const canElicit = transport === 'stdio' || era[0] === '2026-07-28';
      expect(listed.asked.length).toBe(canElicit ? 1 : 0);
      if (listed.asked.length > 0) {
        expect(listed).toMatchObject({ isError: false, seen: ['DELETE /pets/7'], audit: { tool: 'delete_pet', outcome: 'ok', confirmedBy: 'elicitation' } });
        expect(listed.asked).toEqual(['Delete a pet: DELETE /pets/{petId} with {"petId":7}. This changes or deletes data. Do you want to go ahead?']);
      } else {
        // Stateless 2025-11-25 HTTP cannot tell whether the client elicits: the call needs confirm: true instead.
        expect(listed).toMatchObject({ isError: true, seen: [], audit: { tool: 'delete_pet', outcome: 'unconfirmed' } });
      }
    });

    it('neither finds nor calls a tool left out by the allow-list or the read-only switch', async () => {
      for (const env of [{ SHOP_TOOLS: 'get_pet,list_pets,delete_pet' }, { SHOP_READ_ONLY: 'true' }] as { [name: string]: string }[]) {
        client = await connect('discovery', { env });
        const found = await client.callTool({ name: 'search_tools', arguments: { query: 'reset the store', limit: 25 } });
        expect(JSON.stringify(found.structuredContent)).not.toContain('reset_store');
        const described = await client.callTool({ name: 'describe_tools', arguments: { names: ['reset_store'] } });
        expect(described.isError).toBe(true);
        const called = await client.callTool({ name: 'call_tool', arguments: { name: 'reset_store', arguments: {} } });
        expect(called.isError).toBe(true);
        expect(textOf(called)).toMatch(/^There is no tool named "reset_store"\./);
        expect(textOf(called)).not.toContain('Did you mean reset_store');
        await client.close();
      }
      client = await connect('discovery', { env: { SHOP_READ_ONLY: 'true' } });
      const readOnly = await client.callTool({ name: 'call_tool', arguments: { name: 'delete_pet', arguments: { petId: 1, confirm: true } } });
      expect(readOnly.isError).toBe(true);
      expect((await client.listTools()).tools.find((tool) => tool.name === 'call_tool')!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(upstream.seen).toEqual([]);
    });

    it('suggests the closest names for an unknown tool', async () => {
      client = await connect('discovery');
      const result = await client.callTool({ name: 'call_tool', arguments: { name: 'get_pets', arguments: {} } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe('There is no tool named "get_pets". Did you mean get_pet, list_pets, delete_pet? Use search_tools to find a tool\'s exact name.');
    });

    it('lists the core tools and the three meta-tools in hybrid mode', async () => {
      client = await connect('hybrid', { coreTools: ['list_pets'] });
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['list_pets', 'search_tools', 'describe_tools', 'call_tool']);
      const found = await client.callTool({ name: 'search_tools', arguments: { query: 'delete a pet' } });
      expect((found.structuredContent as { tools: { name: string }[] }).tools[0]!.name).toBe('delete_pet');
    });
  });
});

describe('discovery mode at scale', () => {
  it('costs the same tokens for 1,000 tools as for 4, and uses the index built at generation time', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => getTool(`widget_${String(i).padStart(4, '0')}_get`, `/widgets${i}`, { title: `Get widget ${i}` }));
    const index = buildSearchIndex(many.map((tool) => ({ name: tool.name, title: tool.title, description: tool.description, tags: ['gadgets'], pathWords: [], parameters: [] })));
    let loads = 0;
    const made = testRuntime({ serverDefinition: definition('discovery'), tools: many, env: { SHOP_BASE_URL: upstream.url } });
    const big = await connectInMemory({ ...made.runtime, loadSearchIndex: async () => (loads++, index) });
    const small = await connectInMemory(runtime('discovery'));
    const cost = async (one: Client) => (await one.listTools()).tools.reduce((sum, tool) => sum + countToolTokens(tool as never), 0);
    expect(await cost(big)).toBe(await cost(small));
    expect(loads).toBe(0);
    const found = await big.callTool({ name: 'search_tools', arguments: { query: 'gadgets widget 17', limit: 3 } });
    expect((found.structuredContent as { tools: { name: string }[] }).tools.length).toBe(3);
    await big.callTool({ name: 'search_tools', arguments: { query: 'widget' } });
    expect(loads).toBe(1);
    await big.close();
    await small.close();
  });
});
