import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../templates/runtime/definition.js';
import { selectResponseFields } from '../templates/runtime/response-fields.js';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { compactOutputSchema, defaultOutputSchemaTokens } from '../src/catalog/output-policy.js';
import { findSchemaError } from '../templates/runtime/validation.js';
import { proposeRedactions, selectSchemaFields } from '../src/catalog/response-fields.js';
import { paginationOf } from '../src/catalog/shape-output.js';
import { parseCurationConfig } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { tempDir, writeSpec } from './helpers.js';

describe('compactOutputSchema', () => {
  it('keeps fields named like Object.prototype members, with their types', () => {
    const full = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"},"toString":{"type":"boolean"}}}') as JsonSchema;
    const compact = compactOutputSchema(full);
    expect(JSON.stringify(compact)).toBe('{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"},"toString":{"type":"boolean"}}}');
  });

  it('keeps the fields and types of the response and of list items one level, and nothing else', () => {
    const full: JsonSchema = {
      type: 'object',
      description: 'A repository.',
      properties: {
        id: { type: 'integer', description: 'The id.', examples: [1], minimum: 1 },
        url: { type: 'string', format: 'uri' },
        owner: { type: 'object', properties: { login: { type: 'string' } } },
        labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, color: { type: ['string', 'null'] }, meta: { type: 'object', properties: { a: { type: 'string' } } } } } },
        parent: { $ref: '#/$defs/Repo' },
        state: { anyOf: [{ type: 'string', enum: ['open'] }, { type: 'integer' }, { type: 'null' }] },
        extra: {},
      },
      $defs: { Repo: { type: 'object', properties: { id: { type: 'integer' }, parent: { $ref: '#/$defs/Repo' } } } },
    };
    expect(compactOutputSchema(full)).toStrictEqual({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        url: { type: 'string' },
        owner: { type: 'object' },
        labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, color: { type: ['string', 'null'] }, meta: { type: 'object' } } } },
        parent: { type: 'object' },
        state: { type: ['string', 'integer', 'null'] },
        extra: {},
      },
    });
  });

  it('compacts a wrapped list or union as the response itself', () => {
    const wrapped: JsonSchema = { type: 'object', properties: { result: { anyOf: [{ type: 'object', properties: { id: { type: 'string' } } }, { type: 'object', properties: { deleted: { type: 'boolean' } } }] } } };
    expect(compactOutputSchema(wrapped, { wrappedProperty: 'result' })).toStrictEqual({
      type: 'object',
      properties: { result: { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } } },
    });
  });
});

describe('compactOutputSchema within a token budget', () => {
  const tokensOf = (schema: JsonSchema) => countTokens(JSON.stringify(schema));
  const field = (type: string | string[]) => ({ type });
  const charge: JsonSchema = {
    type: 'object',
    required: ['id', 'object', 'amount', 'currency', 'status', 'livemode', 'metadata', 'paid', 'refunded', 'created'],
    properties: {
      amount: field('integer'),
      application_fee_amount: field(['integer', 'null']),
      calculated_statement_descriptor: field(['string', 'null']),
      created: field('integer'),
      currency: field('string'),
      customer: { anyOf: [{ type: 'string' }, { type: 'object', properties: { id: field('string') } }, { type: 'null' }] },
      description: field(['string', 'null']),
      fraud_details: { type: ['object', 'null'], properties: { user_report: field('string') } },
      id: field('string'),
      livemode: field('boolean'),
      metadata: { type: 'object', additionalProperties: { type: 'string' } },
      object: { type: 'string', enum: ['charge'] },
      paid: field('boolean'),
      receipt_url: field(['string', 'null']),
      refunded: field('boolean'),
      source_transfer: { type: ['string', 'null'], deprecated: true },
      statement_descriptor_suffix: field(['string', 'null']),
      status: { type: 'string', enum: ['failed', 'pending', 'succeeded'] },
    },
  };

  it('keeps identifying and summary fields first, then required scalars, and leaves out bookkeeping and deprecated fields', () => {
    const compact = compactOutputSchema(charge, { tokens: 60 });
    expect(tokensOf(compact)).toBeLessThanOrEqual(60);
    expect(Object.keys(compact.properties as object)).toStrictEqual(['amount', 'created', 'currency', 'description', 'id', 'paid', 'status']);
    const roomy = compactOutputSchema(charge, { tokens: 1_000 });
    expect(Object.keys(roomy.properties as object)).not.toContain('livemode');
    expect(Object.keys(roomy.properties as object)).not.toContain('object');
    expect(Object.keys(roomy.properties as object)).not.toContain('metadata');
    expect(Object.keys(roomy.properties as object)).not.toContain('receipt_url');
    expect(Object.keys(roomy.properties as object)).not.toContain('source_transfer');
    expect(roomy.properties).toMatchObject({ customer: { type: ['object', 'string', 'null'] }, fraud_details: { type: ['object', 'null'] } });
  });

  it('keeps the fields the description names before other fields of their kind', () => {
    const named = compactOutputSchema(charge, { tokens: 60, description: 'Returns the charge with its customer and statement_descriptor_suffix.' });
    expect(Object.keys(named.properties as object)).toContain('customer');
    expect(Object.keys(named.properties as object)).toContain('statement_descriptor_suffix');
    expect(Object.keys(named.properties as object)).not.toContain('paid');
    expect(tokensOf(named)).toBeLessThanOrEqual(60);
  });

  it("fills a list response with its records' fields before the list's own fields", () => {
    const list: JsonSchema = {
      type: 'object',
      properties: { object: { type: 'string' }, data: { type: 'array', items: charge }, has_more: { type: 'boolean' }, url: { type: 'string' } },
    };
    const compact = compactOutputSchema(list, { tokens: 70 });
    expect(tokensOf(compact)).toBeLessThanOrEqual(70);
    const items = (compact.properties as { data: { items: JsonSchema } }).data.items;
    expect(Object.keys(items.properties as object)).toStrictEqual(['amount', 'created', 'currency', 'description', 'id', 'status']);
    expect(Object.keys(compact.properties as object)).toStrictEqual(['data']);
    expect(Object.keys(compactOutputSchema(list, { tokens: 1_000 }).properties as object)).toStrictEqual(['data', 'has_more']);
    const wrapped = compactOutputSchema({ type: 'object', properties: { result: { type: 'array', items: charge } } }, { wrappedProperty: 'result', tokens: 50 });
    expect(tokensOf(wrapped)).toBeLessThanOrEqual(50);
    expect((wrapped.properties as { result: { items: { properties: object } } }).result.items.properties).toHaveProperty('id');
  });

  it('accepts every response the full schema accepts: objects stay open and nothing is required', () => {
    const compact = compactOutputSchema(charge, { tokens: 40 });
    const response = {
      id: 'ch_1', object: 'charge', amount: 2000, currency: 'usd', status: 'succeeded', livemode: false, metadata: { order: '6735' }, paid: true, refunded: false,
      created: 1_700_000_000, customer: { id: 'cus_1', email: 'a@example.com' }, receipt_url: null, source_transfer: null, unknown_new_field: [1, 2],
    };
    expect(findSchemaError(compact, response)).toBeUndefined();
    expect(JSON.stringify(compact)).not.toContain('additionalProperties');
    expect(JSON.stringify(compact)).not.toContain('required');
  });

  it('is deterministic and leaves a schema within the budget as it was, but for bookkeeping fields', () => {
    expect(JSON.stringify(compactOutputSchema(charge, { tokens: 90 }))).toBe(JSON.stringify(compactOutputSchema(charge, { tokens: 90 })));
    const small: JsonSchema = {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        object: { type: 'string' },
        labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        links: { type: 'array', items: { type: 'object', properties: { href: { type: 'string' } } } },
      },
    };
    expect(compactOutputSchema(small, { tokens: defaultOutputSchemaTokens })).toStrictEqual({
      type: 'object',
      properties: { id: { type: 'integer' }, labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } },
    });
  });
});

describe('response fields', () => {
  const schema = {
    type: 'object',
    properties: {
      items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, token: { type: 'string' }, owner: { type: 'object', properties: { login: { type: 'string' }, email: { type: 'string' } } } } } },
      total: { type: 'integer' },
    },
  };

  it('selects the same fields in the output schema as in the response, through arrays', () => {
    const fields = { keep: ['/items/id', '/items/owner', '/items/token'], drop: ['email'], redact: ['/items/token', 'nothing'] };
    expect(selectSchemaFields(schema, fields)).toStrictEqual({
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, token: { type: 'string' }, owner: { type: 'object', properties: { login: { type: 'string' } } } } } },
      },
    });
    const body = { total: 2, items: [{ id: 1, token: 't1', owner: { login: 'a', email: 'a@x' } }, { id: 2, owner: { email: 'b@x' }, more: 1 }] };
    expect(selectResponseFields(body, fields)).toStrictEqual({ items: [{ id: 1, token: '[REDACTED]', owner: { login: 'a' } }, { id: 2, owner: {} }] });
    expect(body.items[0]!.token).toBe('t1');
  });

  it('matches any key with * and keeps everything under a kept field', () => {
    expect(selectResponseFields({ a: { x: 1, y: { z: 2 } }, b: { x: 3 } }, { keep: ['/*/x', 'a'] })).toStrictEqual({ a: { x: 1, y: { z: 2 } }, b: { x: 3 } });
    expect(selectResponseFields({ a: { x: 1, y: 2 }, b: { x: 3 } }, { drop: ['/*/x'] })).toStrictEqual({ a: { y: 2 }, b: {} });
  });

  it('proposes redacting fields named like secrets, tokens, passwords and keys, not fields about them', () => {
    const output = {
      type: 'object',
      properties: {
        token: { type: 'string' },
        token_type: { type: 'string' },
        client_secret: { type: 'string' },
        password_set: { type: 'boolean' },
        name: { type: 'string' },
        keys: { type: 'array', items: { type: 'object', properties: { private_key: { type: 'string' }, apiKey: { type: 'string' }, key_id: { type: 'string' } } } },
        author: { type: 'string' },
      },
    };
    expect(proposeRedactions(output)).toStrictEqual(['apiKey', 'client_secret', 'private_key', 'token']);
    expect(proposeRedactions(undefined)).toStrictEqual([]);
  });
});

describe('pagination', () => {
  const query = (name: string, value?: string) => ({ argument: name, in: 'query' as const, name, style: 'form' as const, explode: true, ...(value ? { value } : {}) });

  it('knows which argument takes each kind of cursor, and that page numbers come from Link headers', () => {
    expect(paginationOf([query('starting_after'), query('limit')])).toStrictEqual({ startingAfter: 'starting_after' });
    expect(paginationOf([query('page'), query('per_page')])).toStrictEqual({ link: true });
    expect(paginationOf([query('cursor'), query('continue'), query('pageToken')])).toStrictEqual({ cursor: 'cursor', pageToken: 'pageToken', continue: 'continue' });
    expect(paginationOf([query('cursor', 'pinned'), query('q')])).toBeUndefined();
  });
});

describe('toolwright.yaml: outputSchema, outputValidation and responseFields', () => {
  const spec = `
openapi: 3.1.0
info: { title: Shop, version: 1.0.0 }
paths:
  /orders:
    get:
      operationId: listOrders
      parameters: [{ name: cursor, in: query, schema: { type: string } }]
      responses:
        '200':
          description: Orders.
          content: { application/json: { schema: { type: object, properties: { data: { type: array, items: { $ref: '#/components/schemas/Order' } }, next_cursor: { type: [string, 'null'] } } } } }
  /orders/{id}:
    get:
      operationId: getOrder
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200': { description: An order., content: { application/json: { schema: { $ref: '#/components/schemas/Order' } } } }
  /health:
    get:
      operationId: health
      responses:
        '200': { description: OK., content: { application/json: { schema: { type: object, properties: { ok: { type: boolean, description: Up. } } } } } }
components:
  schemas:
    Order:
      type: object
      properties:
        id: { type: string, description: The id. }
        card: { type: object, properties: { last4: { type: string }, cvc: { type: string } } }
        api_secret: { type: string }
`;

  async function build(config: string) {
    const { dir, cleanup } = await tempDir();
    try {
      const { model } = buildModel(await loadSpec(await writeSpec(dir, 'openapi.yaml', spec)));
      const { decisions } = selectTools({ model, config: parseCurationConfig(config, 'toolwright.yaml') });
      return buildCatalog({ model, decisions });
    } finally {
      await cleanup();
    }
  }
  async function catalogFor(config: string) {
    return Object.fromEntries((await build(config)).catalog.tools.map((tool) => [tool.name, tool]));
  }

  it('warns about a selector that matches no field of the response, which would leave a field unhidden', async () => {
    const { warnings } = await build(`
operations:
  listOrders: { include: true, responseFields: { redact: [api_secrt, /data/card/cvc, /data/cvc, /next_cursor] } }
  getOrder: { include: true, responseFields: { drop: ['/card/*', card], keep: [/nothing] } }
`);
    expect(warnings.filter((warning) => warning.code !== 'no-upstream-auth').map((warning) => warning.message)).toStrictEqual([
      'list_orders: responseFields "api_secrt" matches no field of the response schema; check its spelling (names and pointers match exactly)',
      'list_orders: responseFields "/data/cvc" matches no field of the response schema; check its spelling (names and pointers match exactly)',
      'get_order: responseFields "/nothing" matches no field of the response schema; check its spelling (names and pointers match exactly)',
    ]);
  });

  it('applies the global policy and each tool its own, with field selection and pagination reflected in the schema', async () => {
    const tools = await catalogFor(`
outputSchema: none
outputValidation: strict
responseFields: { redact: [api_secret] }
operations:
  listOrders: { include: true, outputSchema: compact, outputValidation: lenient, responseFields: { drop: [/data/card] } }
  getOrder: { include: true, outputSchema: full }
  health: {}
`);
    expect(tools.list_orders!.outputSchema).toStrictEqual({
      type: 'object',
      properties: {
        data: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, api_secret: { type: 'string' } } } },
        next_cursor: { type: ['string', 'null'] },
        _pagination: { type: 'object', properties: { hasMore: { type: 'boolean' }, next: { type: 'object' }, total: { type: 'integer' } } },
      },
    });
    expect(tools.list_orders!.outputValidation).toBeUndefined();
    expect(tools.list_orders!.responseFields).toStrictEqual({ drop: ['/data/card'], redact: ['api_secret'] });
    expect(tools.list_orders!.pagination).toStrictEqual({ cursor: 'cursor' });
    expect(tools.get_order!.outputSchema).toMatchObject({ properties: { id: { type: 'string', description: 'The id.' }, api_secret: { type: 'string' } } });
    expect(tools.get_order!.outputValidation).toBe('strict');
    expect(tools.health!.outputSchema).toBeUndefined();
    expect(tools.health!.http.output).toStrictEqual({ kind: 'none' });
  });

  it('fits compact output schemas to outputSchemaTokens, globally and per tool', async () => {
    const tools = await catalogFor(`
outputSchemaTokens: 30
operations:
  listOrders: { include: true }
  getOrder: { include: true, outputSchemaTokens: 1000 }
`);
    expect(tools.list_orders!.outputSchema).toStrictEqual({
      type: 'object',
      properties: {
        data: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
        _pagination: { type: 'object', properties: { hasMore: { type: 'boolean' }, next: { type: 'object' }, total: { type: 'integer' } } },
      },
    });
    expect(tools.get_order!.outputSchema).toStrictEqual({ type: 'object', properties: { id: { type: 'string' }, card: { type: 'object' }, api_secret: { type: 'string' } } });
    expect(() => parseCurationConfig('outputSchemaTokens: 5\n', 'toolwright.yaml')).toThrow(/outputSchemaTokens/);
    expect(() => parseCurationConfig('operations:\n  getOrder: { outputSchemaTokens: many }\n', 'toolwright.yaml')).toThrow(/outputSchemaTokens/);
  });

  it('refuses unknown policies and field selectors that are neither a name nor a pointer, naming the line', () => {
    expect(() => parseCurationConfig('outputSchema: tiny\n', 'toolwright.yaml')).toThrow(/must be one of: compact, full, none/);
    expect(() => parseCurationConfig('operations:\n  getOrder:\n    responseFields: { keep: ["a/b"] }\n', 'toolwright.yaml')).toThrow('response field "a/b" in operation "getOrder" is neither a field name nor a JSON pointer');
    expect(() => parseCurationConfig('responseFields: { keep: [id] }\n', 'toolwright.yaml')).toThrow(/unknown key "keep"/);
    expect(parseCurationConfig('profile: [openai-strict, cursor]\n', 'toolwright.yaml').profiles).toStrictEqual(['openai-strict', 'cursor']);
    expect(parseCurationConfig('profile: gemini\n', 'toolwright.yaml').profiles).toStrictEqual(['gemini']);
  });
});
