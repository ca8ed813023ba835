// Issue 5 acceptance: a destructive tool called by a client that supports elicitation asks and honours decline;
// by one that does not, it refuses without `confirm: true`; when the capabilities are unknown it never proceeds
// on its own.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { readConfig } from '../../templates/runtime/config.js';
import { createConfirmationGuard } from '../../templates/runtime/confirmation.js';
import { buildServer } from '../../templates/runtime/server.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { readTransportConfig } from '../../templates/runtime/http-config.js';
import { serveHttp, type HttpServer } from '../../templates/runtime/http-server.js';
import { auditLines, connectHttp, type ElicitAnswer, connectInMemory, getTool, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const serverDefinition: ServerDefinition = { name: 'shop', version: '1.0.0', envPrefix: 'SHOP', securitySchemes: {} };
const deletePet: ToolDefinition = {
  name: 'delete_pet',
  title: 'Delete a pet',
  description: 'Delete a pet. Needs the user\'s confirmation: set "confirm": true only after the user agreed.',
  inputSchema: {
    type: 'object',
    properties: { petId: { type: 'integer' }, confirm: { type: 'boolean', description: 'Set to true only after the user confirmed.' } },
    required: ['petId'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  http: { method: 'DELETE', path: '/pets/{petId}', parameters: [{ argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false }], output: { kind: 'none' }, security: [] },
  confirmation: { argument: 'confirm' },
};
const tools = [deletePet, getTool('list_pets', '/pets')];
const eras = [
  ['2025-11-25', { mode: 'legacy' as const }],
  ['2026-07-28', { mode: { pin: '2026-07-28' as const } }],
] as const;

let upstream: TestServer;
let client: Client | undefined;
let lines: string[] = [];
const asked: string[] = [];

beforeAll(async () => {
  upstream = await startServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close();
  client = undefined;
  upstream.seen.length = 0;
  asked.length = 0;
});

function runtime() {
  const made = testRuntime({ serverDefinition, tools, env: { SHOP_BASE_URL: upstream.url } });
  lines = made.lines;
  return made.runtime;
}

const answer = (action: 'accept' | 'decline' | 'cancel', content?: { [key: string]: boolean }) => (params: { message: string }): ElicitAnswer => {
  asked.push(params.message);
  return content ? { action, content } : { action };
};

describe.each(eras)('confirmation over %s', (_era, versionNegotiation) => {
  it('asks the user by elicitation and sends the request once they accept', async () => {
    client = await connectInMemory(runtime(), { versionNegotiation, capabilities: { elicitation: {} }, onElicit: answer('accept', { confirm: true }) });
    const result = await client.callTool({ name: 'delete_pet', arguments: { petId: 7 } });
    expect(result.isError).toBeFalsy();
    expect(asked).toStrictEqual(['Delete a pet: DELETE /pets/{petId} with {"petId":7}. This changes or deletes data. Do you want to go ahead?']);
    expect(upstream.seen.map((seen) => `${seen.method} ${seen.url}`)).toStrictEqual(['DELETE /pets/7']);
    expect(auditLines(lines).at(-1)).toMatchObject({ tool: 'delete_pet', outcome: 'ok', confirmedBy: 'elicitation', status: 204 });
  });

  it.each([
    ['declines', answer('decline')],
    ['cancels', answer('cancel')],
    ['accepts without ticking the box', answer('accept', { confirm: false })],
  ])('sends nothing when the user %s, even if the model set confirm: true', async (_case, onElicit) => {
    client = await connectInMemory(runtime(), { versionNegotiation, capabilities: { elicitation: {} }, onElicit });
    const result = await client.callTool({ name: 'delete_pet', arguments: { petId: 7, confirm: true } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('The user did not confirm delete_pet; nothing was sent. Do not call it again unless the user asks for it.');
    expect(asked).toHaveLength(1);
    expect(upstream.seen).toHaveLength(0);
    expect(auditLines(lines).at(-1)).toMatchObject({ tool: 'delete_pet', outcome: 'declined' });
  });

  it('refuses without confirm: true when the client cannot elicit, and proceeds with it', async () => {
    client = await connectInMemory(runtime(), { versionNegotiation });
    const refused = await client.callTool({ name: 'delete_pet', arguments: { petId: 7 } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(
      'delete_pet changes or deletes data, so it needs the user\'s explicit confirmation, and this client cannot ask for it. Nothing was sent. ' +
        'Describe the action to the user (DELETE /pets/{petId} with {"petId":7}) and ask them to confirm. Only if they agree, call delete_pet again ' +
        'with the same arguments and "confirm": true. Never set "confirm" without asking.',
    );
    expect(await client.callTool({ name: 'delete_pet', arguments: { petId: 7, confirm: false } })).toMatchObject({ isError: true });
    expect(upstream.seen).toHaveLength(0);
    const confirmed = await client.callTool({ name: 'delete_pet', arguments: { petId: 7, confirm: true } });
    expect(confirmed.isError).toBeFalsy();
    expect(upstream.seen.map((seen) => seen.url)).toStrictEqual(['/pets/7']);
    expect(auditLines(lines).map((entry) => [entry.outcome, entry.confirmedBy])).toStrictEqual([
      ['unconfirmed', undefined],
      ['unconfirmed', undefined],
      ['ok', 'argument'],
    ]);
  });

  it('never asks for tools without confirmation', async () => {
    client = await connectInMemory(runtime(), { versionNegotiation, capabilities: { elicitation: {} }, onElicit: answer('decline') });
    expect((await client.callTool({ name: 'list_pets', arguments: {} })).isError).toBeFalsy();
    expect(asked).toHaveLength(0);
  });
});

describe('confirmation over stateless HTTP', () => {
  let server: HttpServer;
  let lenient: HttpServer;
  const serve = (extra: { [name: string]: string } = {}) => {
    const transport = readTransportConfig('SHOP', (name) => ({ SHOP_TRANSPORT: 'http', SHOP_PORT: '0' })[name], [], () => '');
    if (transport.transport !== 'http') throw new Error('expected http');
    const made = testRuntime({ serverDefinition, tools, env: { SHOP_BASE_URL: upstream.url, ...extra } });
    lines = made.lines;
    return serveHttp(made.runtime, transport);
  };
  beforeAll(async () => {
    lenient = await serve({ SHOP_CONFIRM_BY_ARGUMENT: 'true' });
    server = await serve();
  });
  afterAll(async () => {
    await server.close(0);
    await lenient.close(0);
  });

  it('asks by elicitation on 2026-07-28, where every request carries the client capabilities', async () => {
    client = await connectHttp(server.url, { era: '2026-07-28', capabilities: { elicitation: {} }, onElicit: answer('decline') });
    expect(textOf(await client.callTool({ name: 'delete_pet', arguments: { petId: 1 } }))).toContain('The user did not confirm');
    expect(asked).toHaveLength(1);
    expect(upstream.seen).toHaveLength(0);
  });

  it('refuses on stateless 2025-11-25, where it can neither ask nor know, even with the model\'s confirm: true', async () => {
    client = await connectHttp(server.url, { era: '2025-11-25', capabilities: { elicitation: {} }, onElicit: answer('accept', { confirm: true }) });
    for (const args of [{ petId: 1 }, { petId: 1, confirm: true }]) {
      const refused = await client.callTool({ name: 'delete_pet', arguments: args });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain('the server can neither ask the user nor tell whether they agreed. Nothing was sent.');
    }
    expect(asked).toHaveLength(0);
    expect(upstream.seen).toHaveLength(0);
  });

  it('accepts confirm: true there only when the operator allows it', async () => {
    client = await connectHttp(lenient.url, { era: '2025-11-25' });
    expect(textOf(await client.callTool({ name: 'delete_pet', arguments: { petId: 1 } }))).toContain('this client cannot ask for it');
    expect((await client.callTool({ name: 'delete_pet', arguments: { petId: 1, confirm: true } })).isError).toBeFalsy();
    expect(upstream.seen).toHaveLength(1);
  });
});

// Issue 9: a confirmation counts only as the answer to the question the server asked, for exactly these
// arguments, once; the question shows the target in full.
describe('confirmation cannot be forged, reused or skipped', () => {
  const accept = { confirm: { action: 'accept', content: { confirm: true } } };

  it.each(eras)('ignores an answer the client sends unasked, and a per-request capability claim, over %s', async (_era, versionNegotiation) => {
    client = await connectInMemory(runtime(), { versionNegotiation, capabilities: { elicitation: {} }, onElicit: answer('decline') });
    const prefilled = await client.callTool({ name: 'delete_pet', arguments: { petId: 7, confirm: true }, inputResponses: accept, requestState: 'v1.forged.state' } as never);
    expect(textOf(prefilled)).toContain('The user did not confirm');
    if (_era === '2025-11-25') {
      const claim = { 'io.modelcontextprotocol/clientCapabilities': {} };
      const overridden = await client.callTool({ name: 'delete_pet', arguments: { petId: 7, confirm: true }, _meta: claim });
      expect(textOf(overridden)).toContain('The user did not confirm');
    }
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(upstream.seen).toHaveLength(0);
  });

  it('binds the answer to the arguments it was asked for and accepts it once (2026-07-28, manual rounds)', async () => {
    const made = testRuntime({ serverDefinition, tools, env: { SHOP_BASE_URL: upstream.url } });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    serveStdio(() => buildServer(made.runtime, 'tester'), { transport: serverTransport });
    const manual = new Client({ name: 'manual', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } }, inputRequired: { autoFulfill: false } });
    await manual.connect(clientTransport);
    client = manual;
    const call = (args: object, extra: object = {}) =>
      manual.callTool({ name: 'delete_pet', arguments: args, ...extra } as never, { allowInputRequired: true }) as Promise<{ resultType?: string; requestState?: string; isError?: boolean }>;
    const first = await call({ petId: 7 });
    expect(first.resultType).toBe('input_required');
    const state = first.requestState!;
    expect(typeof state).toBe('string');
    expect((await call({ petId: 8 }, { inputResponses: accept, requestState: state })).resultType).toBe('input_required');
    expect(upstream.seen).toHaveLength(0);
    const again = await call({ petId: 7 });
    const confirmed = await call({ petId: 7 }, { inputResponses: accept, requestState: again.requestState });
    expect(confirmed.isError).toBeFalsy();
    expect(upstream.seen.map((seen) => seen.url)).toStrictEqual(['/pets/7']);
    expect((await call({ petId: 7 }, { inputResponses: accept, requestState: again.requestState })).resultType).toBe('input_required');
    expect(upstream.seen).toHaveLength(1);
  });

  it('shows the full target in the question, however long', async () => {
    const longId = `order-${'9'.repeat(400)}`;
    const cancel: ToolDefinition = {
      ...deletePet,
      name: 'cancel_order',
      inputSchema: { type: 'object', properties: { orderId: { type: 'string' }, note: { type: 'string' }, confirm: { type: 'boolean' } }, required: ['orderId'], additionalProperties: false },
      http: { ...deletePet.http, path: '/orders/{orderId}', parameters: [{ argument: 'orderId', in: 'path', name: 'orderId', style: 'simple', explode: false }] },
    };
    const made = testRuntime({ serverDefinition, tools: [cancel], env: { SHOP_BASE_URL: upstream.url } });
    client = await connectInMemory(made.runtime, { capabilities: { elicitation: {} }, onElicit: answer('decline') });
    await client.callTool({ name: 'cancel_order', arguments: { orderId: longId, note: 'n'.repeat(5000) } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`"orderId":"${longId}"`);
    expect(asked[0]!.length).toBeLessThan(6000);
  });
});

describe('the confirmation signing key', () => {
  const binding = { tool: 'delete_pet', args: { petId: 7 }, caller: 'ci' };
  it('lets replicas with the same key accept each other\'s questions, and nobody else', async () => {
    const key = 'k'.repeat(40);
    const state = await createConfirmationGuard(key).issue(binding);
    expect(await createConfirmationGuard(key).redeem(state, binding)).toBe(true);
    expect(await createConfirmationGuard('x'.repeat(40)).redeem(state, binding)).toBe(false);
    expect(await createConfirmationGuard().redeem(state, binding)).toBe(false);
    const own = createConfirmationGuard(key);
    expect(await own.redeem(state, { ...binding, caller: 'someone-else' })).toBe(false);
  });

  it('refuses a short key at start-up', () => {
    expect(() => readConfig(serverDefinition, { SHOP_BASE_URL: 'https://x', SHOP_CONFIRMATION_KEY: 'short' })).toThrow(/SHOP_CONFIRMATION_KEY must be at least 32 characters/);
  });
});
