// Issue 9: from a spec, through the catalog, to calls over the MCP client against a real upstream: tool names that
// are also Object.prototype members, required path parameters that must not be empty, and a body property pinned
// next to a query parameter of the same name.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/build-catalog.js';
import { parseCurationConfig } from '../../src/curate/config-file.js';
import { selectTools } from '../../src/curate/select.js';
import type { LoadedSpec } from '../../src/load/load-spec.js';
import { buildModel } from '../../src/model/build-model.js';
import { planFiles } from '../../src/emit/plan-files.js';
import { readTransportConfig } from '../../templates/runtime/http-config.js';
import { serveHttp } from '../../templates/runtime/http-server.js';
import { connectHttp, connectInMemory, sendJson, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

function spec(paths: object): LoadedSpec {
  return {
    source: 'hardening.yaml',
    version: '3.1',
    warnings: [],
    document: { openapi: '3.1.0', info: { title: 'Hardening', version: '1' }, servers: [{ url: 'https://api.example.com' }], paths },
  } as LoadedSpec;
}

function catalogOf(document: LoadedSpec, config: string) {
  const { model } = buildModel(document);
  const { decisions } = selectTools({ model, config: parseCurationConfig(config, 'toolwright.yaml') });
  return buildCatalog({ model, decisions }).catalog;
}

let upstream: TestServer;
let client: Client | undefined;
beforeAll(async () => {
  upstream = await startServer((req, res) => sendJson(res, 200, { path: req.url }));
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close();
  client = undefined;
  upstream.seen.length = 0;
});

async function serve(catalog: ReturnType<typeof catalogOf>): Promise<Client> {
  const { runtime } = testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env: { HARDENING_BASE_URL: upstream.url } });
  client = await connectInMemory(runtime);
  return client;
}

describe('tool names that are Object.prototype members', () => {
  const paths = Object.fromEntries(
    prototypeNames.map((name) => [
      `/${name.replace(/_/g, 'u')}/{${name}}`,
      {
        get: {
          operationId: name,
          parameters: [
            { name, in: 'path', required: true, schema: { type: 'string' } },
            { name: 'toString', in: 'query', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
    ]),
  );
  const config = `newOperations: classify\noperations:\n${prototypeNames.map((name) => `  ${name}:\n    name: "${name}"\n`).join('')}`;

  it('lists and calls every one of them, end to end', async () => {
    const catalog = catalogOf(spec(paths), config);
    expect(catalog.tools.map((tool) => tool.name).sort()).toStrictEqual([...prototypeNames].sort());
    expect([...planFiles(catalog).keys()].filter((file) => file.startsWith('src/tools/'))).toHaveLength(prototypeNames.length + 1);
    const mcp = await serve(catalog);
    const listed = (await mcp.listTools()).tools.map((tool) => tool.name).sort();
    expect(listed).toStrictEqual([...prototypeNames].sort());
    for (const name of prototypeNames) {
      const tool = catalog.tools.find((candidate) => candidate.name === name)!;
      const argumentIn = (location: string) => tool.http.parameters.find((binding) => binding.in === location)!.argument;
      const result = await mcp.callTool({ name, arguments: Object.fromEntries([[argumentIn('path'), 'x1'], [argumentIn('query'), 'y']]) });
      expect(result.isError, textOf(result)).toBeFalsy();
    }
    expect(upstream.seen.map((seen) => seen.url)).toStrictEqual(prototypeNames.map((name) => `/${name.replace(/_/g, 'u')}/x1?toString=y`));
    const unknown = await mcp.callTool({ name: 'isPrototypeOf', arguments: {} }).catch((error: Error) => error);
    expect(String(unknown)).toContain('isPrototypeOf');
  });

  it.each(['2025-11-25', '2026-07-28'] as const)('are called over Streamable HTTP too, optional `toString` left out (%s)', async (era) => {
    const catalog = catalogOf(spec(paths), config);
    const env: { [name: string]: string } = { HARDENING_BASE_URL: upstream.url, HARDENING_TRANSPORT: 'http', HARDENING_PORT: '0' };
    const transport = readTransportConfig('HARDENING', (name) => env[name], [], () => '');
    if (transport.transport !== 'http') throw new Error('expected the HTTP transport');
    const { runtime } = testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env });
    const server = await serveHttp(runtime, transport);
    try {
      client = await connectHttp(server.url, { era });
      for (const name of ['constructor', '__proto__', 'hasOwnProperty']) {
        const tool = catalog.tools.find((candidate) => candidate.name === name)!;
        const path = tool.http.parameters.find((binding) => binding.in === 'path')!.argument;
        const result = await client.callTool({ name, arguments: { [path]: 'x2' } });
        expect(result.isError, textOf(result)).toBeFalsy();
      }
    } finally {
      await client?.close();
      client = undefined;
      await server.close(0);
    }
  });
});

describe('required path parameters', () => {
  it('get minLength 1 in the input schema, so an empty id is refused before any request', async () => {
    const catalog = catalogOf(
      spec({
        '/items/{id}': {
          delete: { operationId: 'deleteItem', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': { description: 'gone' } } },
        },
      }),
      'operations:\n  deleteItem:\n    include: true\n    confirm: false\n',
    );
    expect(catalog.tools[0]!.inputSchema.properties).toMatchObject({ id: { type: 'string', minLength: 1 } });
    const mcp = await serve(catalog);
    const result = await mcp.callTool({ name: 'delete_item', arguments: { id: '' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('id');
    expect(upstream.seen).toHaveLength(0);
  });
});

describe('a pinned query parameter and a body property of the same name', () => {
  const document = spec({
    '/items': {
      post: {
        operationId: 'createItem',
        parameters: [{ name: 'tenant', in: 'query', schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', properties: { tenant: { type: 'string' }, name: { type: 'string' } }, required: ['tenant', 'name'] } } },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  });

  it('pins both copies: the body property leaves the schema and is always sent with its value', async () => {
    const catalog = catalogOf(document, 'operations:\n  createItem:\n    arguments:\n      tenant:\n        value: acme\n      body.tenant:\n        value: acme\n');
    const tool = catalog.tools[0]!;
    expect(tool.inputSchema.properties).toStrictEqual({ body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    expect(tool.http.body).toMatchObject({ argument: 'body', pinned: [{ name: 'tenant', value: 'acme' }] });
    const mcp = await serve(catalog);
    expect((await mcp.callTool({ name: 'create_item', arguments: { body: { name: 'Rex' } } })).isError).toBeFalsy();
    expect((await mcp.callTool({ name: 'create_item', arguments: { body: { name: 'Rex', tenant: 'evil' } } })).isError).toBeFalsy();
    expect(upstream.seen.map((seen) => [seen.url, JSON.parse(seen.body)])).toStrictEqual([
      ['/items?tenant=acme', { name: 'Rex', tenant: 'acme' }],
      ['/items?tenant=acme', { name: 'Rex', tenant: 'acme' }],
    ]);
  });

  it('explains how to name a body property that does not exist', () => {
    expect(() => catalogOf(document, 'operations:\n  createItem:\n    arguments:\n      body.owner:\n        value: x\n')).toThrow(/argument "body.owner" is not a property of the request body "body"/);
  });
});

describe('security schemes named like Object.prototype members', () => {
  it('stay ordinary schemes from the model to the catalog', () => {
    // JSON.parse, as a loader does: `__proto__` becomes an own key, not the prototype.
    const document = spec(JSON.parse('{"/items":{"get":{"operationId":"listItems","security":[{"__proto__":[]},{"constructor":[]}],"responses":{"200":{"description":"ok"}}}}}'));
    Object.assign(document.document as object, {
      components: JSON.parse('{"securitySchemes":{"__proto__":{"type":"apiKey","in":"header","name":"X-Key"},"constructor":{"type":"http","scheme":"bearer"}}}'),
    });
    const { model } = buildModel(document);
    expect(Object.keys(model.securitySchemes).sort()).toStrictEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(model.securitySchemes, '__proto__')).toBe(true);
    const catalog = catalogOf(document, 'newOperations: classify\n');
    expect(Object.keys(catalog.server.securitySchemes).sort()).toStrictEqual(['__proto__', 'constructor']);
    expect(catalog.server.securitySchemes.__proto__).toMatchObject({ type: 'apiKey', name: 'X-Key' });
  });
});
