import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../templates/runtime/definition.js';
import { createRedactor } from '../../templates/runtime/redact.js';
import { toToolResult } from '../../templates/runtime/results.js';
import type { UpstreamOutcome } from '../../templates/runtime/upstream.js';
import { findSchemaError } from '../../templates/runtime/validation.js';
import { buildCatalog } from '../../src/catalog/build-catalog.js';
import { selectTools } from '../../src/curate/select.js';
import { loadSpec } from '../../src/load/load-spec.js';
import { buildModel } from '../../src/model/build-model.js';
import { corpusDir, hasCorpus } from '../helpers.js';

const redact = createRedactor({ token: { type: 'bearer', token: 'tok-secret' } });

function tool(extra: Partial<ToolDefinition> = {}, output: ToolDefinition['http']['output'] = { kind: 'none' }): ToolDefinition {
  return {
    name: 't',
    title: 'T',
    description: 'T.',
    inputSchema: { type: 'object' },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    http: { method: 'POST', path: '/things', parameters: [], output, security: [['token']] },
    ...extra,
  };
}

function response(status: number, body: string, headers: { [name: string]: string } = {}, statusText = ''): UpstreamOutcome {
  return { kind: 'response', status, statusText, headers: new Headers(headers), body, truncated: false };
}

function run(definition: ToolDefinition, outcome: UpstreamOutcome, authHint?: string) {
  return toToolResult({ tool: definition, outcome, redact, timeoutMs: 1000, maxResponseBytes: 100, authHint });
}

const json = { 'content-type': 'application/json; charset=utf-8' };

describe('toToolResult', () => {
  it.each([
    [response(429, '', { 'retry-after': '30' }, 'Too Many Requests'), 'POST /things failed with HTTP 429 Too Many Requests. The API is rate limiting requests; retry after 30 seconds.'],
    [response(503, 'down'), 'POST /things failed with HTTP 503. The API failed. The operation may or may not have taken effect: check before retrying.\nThe API said: down'],
    [response(400, '{"error": "bad"}', json), 'POST /things failed with HTTP 400. Check the arguments against the tool description, then try again.\nThe API said: bad'],
    [response(422, '{"title":"Invalid","detail":"name is too long"}', { 'content-type': 'application/problem+json' }), 'POST /things failed with HTTP 422. Check the arguments against the tool description, then try again.\nThe API said: Invalid: name is too long'],
    [response(400, '{"errors":[{"message":"a is wrong"},{"message":"b is wrong"}]}', json), 'POST /things failed with HTTP 400. Check the arguments against the tool description, then try again.\nThe API said: a is wrong; b is wrong'],
    [response(502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', { 'content-type': 'text/html' }), 'POST /things failed with HTTP 502. The API failed. The operation may or may not have taken effect: check before retrying.\nThe API said: 502 Bad Gateway'],
    [response(403, ''), 'POST /things failed with HTTP 403. The upstream credentials were rejected or lack permission; retrying will not help. Tell the user.'],
    [response(301, ''), 'POST /things: the API answered HTTP 301 and redirects without saying where. Redirects outside the server\'s base URL are not followed; the base URL may be outdated. Tell the user.'],
    [{ kind: 'timeout' }, 'POST /things: the API did not answer within 1000 ms. The operation may or may not have taken effect: check before retrying.'],
    [{ kind: 'network', reason: 'ENOTFOUND: getaddrinfo ENOTFOUND api.example' }, "POST /things: could not reach the API (ENOTFOUND: getaddrinfo ENOTFOUND api.example). The API may be down or the server's base URL may be wrong; retrying later may help, but first check whether the operation took effect."],
    [{ kind: 'busy' }, 'POST /things was not sent: the server has too many calls to the API in flight and none finished within 1000 ms. Retrying in a moment may help.'],
  ] as [UpstreamOutcome, string][])('reports %j as an error', (outcome, text) => {
    expect(run(tool(), outcome).result).toStrictEqual({ isError: true, content: [{ type: 'text', text }] });
  });

  it('caps the API message of an error', () => {
    const text = (run(tool(), response(500, 'y'.repeat(2_500))).result.content[0] as { text: string }).text;
    expect(text.endsWith(`The API said: ${'y'.repeat(500)}... (2000 more characters)`)).toBe(true);
  });

  it('says how often a retryable failure was tried and whether retrying may help', () => {
    const get = tool({ http: { method: 'GET', path: '/things', parameters: [], output: { kind: 'none' }, security: [] } });
    const text = (toToolResult({ tool: get, outcome: response(503, '', { 'retry-after': '120' }, 'Service Unavailable'), redact, timeoutMs: 1000, maxResponseBytes: 100, attempts: 3 }).result.content[0] as { text: string }).text;
    expect(text).toBe('GET /things failed with HTTP 503 Service Unavailable (3 attempts). The API is unavailable; retry after 120 seconds.');
    const timeout = toToolResult({ tool: get, outcome: { kind: 'timeout' }, redact, timeoutMs: 1000, maxResponseBytes: 100 });
    expect((timeout.result.content[0] as { text: string }).text).toBe('GET /things: the API did not answer within 1000 ms. Retrying may help, ideally with a narrower request.');
  });

  it('returns the beginning of a response that is too large, with a notice, flagged only when structured output is declared', () => {
    const truncated = { ...response(200, 'x'.repeat(100), {}, 'OK'), truncated: true };
    const notice = 'POST /things succeeded (HTTP 200 OK), but the response is larger than 100 bytes and was cut off there; its beginning follows and is incomplete. To get a complete result, ask for less data, e.g. with filters or a smaller page size.';
    expect(run(tool(), truncated)).toStrictEqual({ outcome: 'truncated', result: { content: [{ type: 'text', text: notice }, { type: 'text', text: 'x'.repeat(100) }] } });
    expect(run(tool({ outputSchema: { type: 'object' } }, { kind: 'object' }), truncated).result.isError).toBe(true);
  });

  it('tells which variable to set when no credentials are configured', () => {
    const text = (run(tool(), response(401, ''), 'set API_TOKEN').result.content[0] as { text: string }).text;
    expect(text).toBe("POST /things failed with HTTP 401. No upstream credentials are configured for this tool; the server's operator must set API_TOKEN.");
  });

  it('redacts secrets from error bodies, text and structured content', () => {
    expect(JSON.stringify(run(tool(), response(500, '{"echo":"tok-secret"}', json)))).not.toContain('tok-secret');
    const ok = run(tool({}, { kind: 'object' }), response(200, '{"token":"tok-secret"}', json));
    expect(ok.result).toStrictEqual({ content: [{ type: 'text', text: '{"token":"[REDACTED]"}' }], structuredContent: { token: '[REDACTED]' } });
  });

  it('wraps non-object JSON and plain text per the output binding', () => {
    expect(run(tool({}, { kind: 'wrapped', property: 'result' }), response(200, '[1,2]', json)).result.structuredContent).toStrictEqual({ result: [1, 2] });
    expect(run(tool({}, { kind: 'wrapped', property: 'result' }), response(200, 'hello', { 'content-type': 'text/plain' })).result).toStrictEqual({
      content: [{ type: 'text', text: 'hello' }],
      structuredContent: { result: 'hello' },
    });
    expect(run(tool({}, { kind: 'object' }), response(200, '[1]', json)).result).toStrictEqual({ content: [{ type: 'text', text: '[1]' }] });
  });

  it('answers an empty success with structured content only when the output schema accepts it', () => {
    const loose = tool({ outputSchema: { type: 'object' } }, { kind: 'object' });
    expect(run(loose, response(204, '', {}, 'No Content')).result).toStrictEqual({
      content: [{ type: 'text', text: 'Done (HTTP 204 No Content).' }],
      structuredContent: {},
    });
    const strict = tool({ outputSchema: { type: 'object', required: ['id'] }, outputValidation: 'strict' }, { kind: 'object' });
    const answer = run(strict, response(204, '', {}, 'No Content'));
    expect(answer.outcome).toBe('output_mismatch');
    expect(answer.result).toStrictEqual({
      isError: true,
      content: [{ type: 'text', text: 'Done (HTTP 204 No Content): the call succeeded and the API returned no content, although this tool declares structured output. Do not repeat the call because of this.' }],
    });
  });

  it('returns non-JSON text for a tool with a strictly validated output schema as a flagged success', () => {
    const definition = tool({ outputSchema: { type: 'object' }, outputValidation: 'strict' }, { kind: 'object' });
    const answer = run(definition, response(200, '<html>oops</html>', { 'content-type': 'text/html' }, 'OK'));
    expect(answer.problem).toBe('the response is not a JSON object of the declared shape');
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[1]).toStrictEqual({ type: 'text', text: '<html>oops</html>' });
  });

  it('returns a response that strays from the output schema anyway: what does not match leaves the structured result, the text keeps all', () => {
    const schema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } };
    const answer = run(tool({ outputSchema: schema }, { kind: 'object' }), response(200, '{"id":"7","name":"Rex","tags":["a",3,"b"]}', json));
    expect(answer.outcome).toBe('output_mismatch');
    expect(answer.result.isError).toBeUndefined();
    expect(answer.result.structuredContent).toStrictEqual({ name: 'Rex', tags: ['a', 'b'] });
    expect(findSchemaError(schema, answer.result.structuredContent)).toBeUndefined();
    expect(answer.result.content[0]).toStrictEqual({ type: 'text', text: '{"id":"7","name":"Rex","tags":["a",3,"b"]}' });
    expect((answer.result.content[1] as { text: string }).text).toBe(
      'Note: parts of the response do not have the types this tool declares and are left out of the structured result (/id, /tags/1); the text above is the complete response.',
    );
  });

  it('returns non-JSON text for a tool with an output schema as a success with empty structured content', () => {
    const answer = run(tool({ outputSchema: { type: 'object', properties: { id: { type: 'integer' } } } }, { kind: 'object' }), response(200, '<html>oops</html>', { 'content-type': 'text/html' }, 'OK'));
    expect(answer.result.isError).toBeUndefined();
    expect(answer.result.structuredContent).toStrictEqual({});
    expect(answer.result.content[0]).toStrictEqual({ type: 'text', text: '<html>oops</html>' });
  });

  it('keeps, drops and redacts response fields before anything is returned, also in error messages', () => {
    const fields = { keep: ['/items/id', '/items/owner', '/items/token', 'total'], drop: ['/items/owner/email'], redact: ['token'] };
    const definition = tool({ responseFields: fields, outputSchema: { type: 'object' } }, { kind: 'object' });
    const body = { total: 1, secret_total: 9, items: [{ id: 1, token: 'ghp_abc', owner: { login: 'o', email: 'o@example.com' }, extra: true }] };
    const answer = run(definition, response(200, JSON.stringify(body), json));
    const expected = { total: 1, items: [{ id: 1, token: '[REDACTED]', owner: { login: 'o' } }] };
    expect(answer.result.structuredContent).toStrictEqual(expected);
    expect(answer.result.content[0]).toStrictEqual({ type: 'text', text: JSON.stringify(expected) });
    const failed = run(definition, response(400, '{"message":"bad token","token":"ghp_abc"}', json));
    expect(JSON.stringify(failed)).not.toContain('ghp_abc');
    const cut = run(definition, { ...response(200, '{"items":[{"token":"ghp_abc"', json), truncated: true } as UpstreamOutcome);
    expect(JSON.stringify(cut)).not.toContain('ghp_abc');
    expect(cut.outcome).toBe('truncated');
  });

  describe('pagination', () => {
    const pageTool = tool(
      {
        name: 'list_issues',
        inputSchema: { type: 'object', properties: { page: { type: 'integer' }, per_page: { type: 'integer' } } },
        outputSchema: { type: 'object', properties: { result: { type: 'array' }, _pagination: { type: 'object' } } },
        pagination: { link: true },
      },
      { kind: 'wrapped', property: 'result' },
    );
    pageTool.http = {
      ...pageTool.http,
      method: 'GET',
      parameters: [
        { argument: 'page', in: 'query', name: 'page', style: 'form', explode: true },
        { argument: 'per_page', in: 'query', name: 'per_page', style: 'form', explode: true },
      ],
    };
    const page = (link: string, requestUrl = 'https://api.example/v1/things?per_page=2&api_key=k-123') =>
      toToolResult({ tool: pageTool, outcome: response(200, '[1,2]', { ...json, link }), redact, timeoutMs: 1000, maxResponseBytes: 1000, requestUrl }).result;

    it('turns a Link rel="next" to the same endpoint into the arguments of the next call', () => {
      const result = page('<https://api.example/v1/things?per_page=2&api_key=k-123&page=2>; rel="next", <https://api.example/v1/things?page=9>; rel="last"');
      expect(result.structuredContent).toStrictEqual({ result: [1, 2], _pagination: { hasMore: true, next: { page: 2 } } });
      expect((result.content[1] as { text: string }).text).toBe('More results are available: call list_issues again with {"page":2} and the other arguments unchanged.');
    });

    it('offers no next call for a link to another host or one that needs parameters the tool does not take, and never passes on a link', () => {
      for (const link of ['<https://evil.example/v1/things?page=2>; rel="next"', '<https://api.example/v1/things?page=2&api_key=k-999>; rel="next"']) {
        const result = page(link);
        expect(result.structuredContent).toStrictEqual({ result: [1, 2], _pagination: { hasMore: true } });
        expect(JSON.stringify(result)).not.toMatch(/evil|k-999|k-123|https?:/);
      }
    });

    it('reads Stripe, Kubernetes and cursor lists and total counts from the body', () => {
      const cursorTool = { ...pageTool, outputSchema: { type: 'object' }, http: { ...pageTool.http, output: { kind: 'object' as const } } };
      const read = (pagination: NonNullable<ToolDefinition['pagination']>, body: unknown) =>
        toToolResult({ tool: { ...cursorTool, pagination }, outcome: response(200, JSON.stringify(body), json), redact, timeoutMs: 1000, maxResponseBytes: 1000 }).result
          .structuredContent as { _pagination?: unknown };
      expect(read({ startingAfter: 'starting_after' }, { object: 'list', data: [{ id: 'cus_1' }, { id: 'cus_2' }], has_more: true })._pagination).toStrictEqual({ hasMore: true, next: { starting_after: 'cus_2' } });
      expect(read({ startingAfter: 'starting_after' }, { object: 'list', data: [], has_more: false })._pagination).toBeUndefined();
      expect(read({ continue: 'continue' }, { items: [], metadata: { continue: 'eyJ2Ijoi', remainingItemCount: 3 } })._pagination).toStrictEqual({ hasMore: true, next: { continue: 'eyJ2Ijoi' } });
      expect(read({ cursor: 'cursor' }, { ok: true, response_metadata: { next_cursor: 'dXNlcjpV' } })._pagination).toStrictEqual({ hasMore: true, next: { cursor: 'dXNlcjpV' } });
      expect(read({ link: true }, { total_count: 42, items: [] })._pagination).toStrictEqual({ hasMore: false, total: 42 });
      expect(read({ link: true }, { data: {}, meta: { total: 7 } })._pagination).toStrictEqual({ hasMore: false, total: 7 });
      expect(read({ startingAfter: 'starting_after' }, { object: 'invoice', total: 1999, currency: 'eur' })._pagination).toBeUndefined();
    });
  });
});

// Compact output schemas name only the fields that fit their token budget; a real response carries all the others.
describe.skipIf(!hasCorpus)('a real Stripe response against the compact output schema of its tool', () => {
  const charge = {
    id: 'ch_3Nv1', object: 'charge', amount: 2000, amount_captured: 2000, amount_refunded: 0, application: null, application_fee: null, application_fee_amount: null,
    balance_transaction: 'txn_3Nv1', billing_details: { address: { city: null, country: 'DE', line1: null, line2: null, postal_code: null, state: null }, email: null, name: 'Ada', phone: null },
    calculated_statement_descriptor: 'SHOP', captured: true, created: 1_695_634_000, currency: 'eur', customer: 'cus_Oi1', description: 'Order 6735', disputed: false,
    failure_balance_transaction: null, failure_code: null, failure_message: null, fraud_details: {}, invoice: null, livemode: false, metadata: { order: '6735' }, on_behalf_of: null,
    outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 32, seller_message: 'Payment complete.', type: 'authorized' },
    paid: true, payment_intent: 'pi_3Nv1', payment_method: 'pm_1Nv1',
    payment_method_details: { card: { brand: 'visa', country: 'US', exp_month: 8, exp_year: 2027, last4: '4242', network: 'visa' }, type: 'card' },
    receipt_email: null, receipt_number: null, receipt_url: 'https://pay.stripe.com/receipts/x', refunded: false,
    refunds: { object: 'list', data: [], has_more: false, total_count: 0, url: '/v1/charges/ch_3Nv1/refunds' }, review: null, shipping: null, source_transfer: null,
    statement_descriptor: null, statement_descriptor_suffix: null, status: 'succeeded', transfer_data: null, transfer_group: null,
  };

  it('returns the whole response as structured content, leniently and strictly, although the schema leaves fields out', async () => {
    const { model } = buildModel(await loadSpec(path.join(corpusDir, 'github/gh-stripe__spec3-2023-09.yaml')));
    const { decisions } = selectTools({ model });
    const getCharge = buildCatalog({ model, decisions }).catalog.tools.find((candidate) => candidate.source.operationId === 'GetChargesCharge')!;
    const declared = Object.keys((getCharge.outputSchema!.properties ?? {}) as object);
    expect(declared).toEqual(expect.arrayContaining(['id', 'status', 'amount', 'currency']));
    expect(Object.keys(charge).filter((field) => !declared.includes(field)).length).toBeGreaterThan(20);
    for (const definition of [getCharge, { ...getCharge, outputValidation: 'strict' as const }]) {
      const answer = toToolResult({ tool: definition, outcome: response(200, JSON.stringify(charge), json), redact, timeoutMs: 1000, maxResponseBytes: 100_000 });
      expect(answer.outcome).toBe('ok');
      expect(answer.result.isError).toBeUndefined();
      expect(answer.result.structuredContent).toStrictEqual(charge);
      expect(answer.result.content).toHaveLength(1);
    }
  }, 60_000);
});
