import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { parseCurationConfig } from '../src/curate/config-file.js';
import { selectTools, suggestStarterSet } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { proposeCredentialParameters } from '../src/model/credential-parameters.js';
import { ConfigError } from '../templates/runtime/config.js';
import { auditLines, connectInMemory, sendJson, startServer, testRuntime, textOf, type TestServer } from './runtime/harness.js';
import { tempDir, writeSpec } from './helpers.js';

async function curate(spec: object, configText?: string) {
  const { dir, cleanup } = await tempDir();
  try {
    const file = await writeSpec(dir, 'openapi.json', JSON.stringify(spec));
    const { model } = buildModel(await loadSpec(file));
    const config = configText === undefined ? undefined : parseCurationConfig(configText, 'toolwright.yaml');
    const { decisions, warnings } = selectTools({ model, config });
    const built = buildCatalog({ model, decisions });
    return { model, decisions, catalog: built.catalog, warnings: [...warnings, ...built.warnings] };
  } finally {
    await cleanup();
  }
}

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };

let upstream: TestServer | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('declared upstream auth', () => {
  const spec = { openapi: '3.1.0', info: { title: 'Gate', version: '1' }, paths: { '/items': { get: { operationId: 'listItems', responses: ok } } } };

  it('warns when no tool sends an upstream credential', async () => {
    const { warnings } = await curate(spec);
    expect(warnings.map((warning) => warning.code)).toContain('no-upstream-auth');
  });

  it('sends a declared bearer token to the upstream for a spec without securitySchemes', async () => {
    const { catalog, warnings } = await curate(spec, 'operations:\n  listItems: {}\nupstreamAuth:\n  gateway:\n    type: bearer\n');
    expect(warnings.map((warning) => warning.code)).not.toContain('no-upstream-auth');
    expect(catalog.server.securitySchemes).toStrictEqual({ gateway: { type: 'bearer', env: 'GATE_GATEWAY_TOKEN' } });
    upstream = await startServer((_req, res, seen) => sendJson(res, 200, { auth: seen.headers.authorization }));
    const { runtime, lines } = testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env: { GATE_BASE_URL: upstream.url, GATE_GATEWAY_TOKEN: 'gateway-secret-123' } });
    const client = await connectInMemory(runtime);
    const result = await client.callTool({ name: 'list_items', arguments: {} });
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer gateway-secret-123');
    expect(textOf(result)).not.toContain('gateway-secret-123');
    expect(lines.join('\n')).not.toContain('gateway-secret-123');
    await client.close();
  });

  it('names unknown operations with the line', async () => {
    await expect(curate(spec, 'upstreamAuth:\n  gateway:\n    type: bearer\n    operations: [nope]\n')).rejects.toThrow(/upstreamAuth "gateway" names operation "nope"/);
  });
});

describe('credentials modelled as parameters', () => {
  const spec = {
    openapi: '3.1.0',
    info: { title: 'Keyed', version: '1' },
    paths: {
      '/orgs/{org}/items': {
        get: {
          operationId: 'listItems',
          parameters: [
            { name: 'org', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: ok,
        },
      },
    },
  };

  it('are detected by name, format and description', () => {
    const parameter = (name: string, extra: object = {}) => ({ name, in: 'query', required: false, deprecated: false, schema: { type: 'string' }, style: 'form', explode: true, allowReserved: false, pointer: '', ...extra });
    const operation = {
      parameters: [
        parameter('apiKey'),
        parameter('apiSecret'),
        parameter('apiTicket'),
        parameter('token'),
        parameter('access_token'),
        parameter('Authorization', { in: 'header' }),
        parameter('pin', { schema: { type: 'string', format: 'password' } }),
        parameter('k', { description: 'Your API key.' }),
        parameter('page_token'),
        parameter('limit'),
        parameter('id', { in: 'path' }),
      ],
    };
    expect(proposeCredentialParameters(operation as never).map(({ parameter }) => parameter.name)).toStrictEqual([
      'apiKey', 'apiSecret', 'apiTicket', 'token', 'access_token', 'Authorization', 'pin', 'k',
    ]);
  });

  it('stay arguments when toolwright.yaml says credential: false', async () => {
    const { catalog } = await curate(spec, 'operations:\n  listItems:\n    arguments:\n      api_key: { credential: false }\n');
    expect(Object.keys(catalog.tools[0]!.inputSchema.properties as object)).toStrictEqual(['org', 'api_key', 'limit']);
    expect(catalog.server.securitySchemes).toStrictEqual({});
  });

  it('leave the arguments, reach the upstream from the environment and are redacted everywhere', async () => {
    const { catalog } = await curate(spec, 'operations:\n  listItems:\n    arguments:\n      org:\n        value: { env: KEYED_ORG }\n');
    const tool = catalog.tools[0]!;
    expect(Object.keys(tool.inputSchema.properties as object)).toStrictEqual(['limit']);
    expect(catalog.server.securitySchemes).toStrictEqual({ 'query:api_key': { type: 'apiKey', in: 'query', name: 'api_key', env: 'KEYED_API_KEY' } });
    expect(catalog.server.pinnedVariables).toStrictEqual(['KEYED_ORG']);
    upstream = await startServer((req, res) => sendJson(res, 200, { echo: req.url }));
    const env = { KEYED_BASE_URL: upstream.url, KEYED_API_KEY: 'query-key-98765', KEYED_ORG: 'org-acme-4242' };
    const { runtime, lines } = testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env });
    const client = await connectInMemory(runtime);
    const result = await client.callTool({ name: 'list_items', arguments: { limit: 5 } });
    expect(upstream.seen[0]!.url).toBe('/orgs/org-acme-4242/items?limit=5&api_key=query-key-98765');
    const rejected = await client.callTool({ name: 'list_items', arguments: { api_key: 'from-the-model' } });
    expect(rejected.isError).toBe(true);
    const everything = [textOf(result), JSON.stringify(result), ...lines].join('\n');
    expect(everything).not.toContain('query-key-98765');
    expect(everything).not.toContain('org-acme-4242');
    expect(auditLines(lines).length).toBe(2);
    await client.close();
    expect(() => testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env: { KEYED_BASE_URL: upstream!.url } })).toThrow(ConfigError);
  });
});

describe('safe defaults on real-world shapes', () => {
  const many = Object.fromEntries(
    Array.from({ length: 21 }, (_, i) => [
      `/things${i}`,
      { get: { operationId: `listThings${i}`, tags: [i % 3 === 0 ? 'core' : `t${i}`], responses: ok }, post: { operationId: `createThing${i}`, responses: ok } },
    ]),
  );

  it('starts narrow on a large API without toolwright.yaml and suggests central reads', async () => {
    const { decisions, warnings, model } = await curate({ openapi: '3.1.0', info: { title: 'Big', version: '1' }, paths: many });
    expect(decisions.operations.filter((decision) => decision.included).every((decision) => decision.risk.class === 'read')).toBe(true);
    expect(decisions.operations.filter((decision) => decision.included)).toHaveLength(21);
    expect(warnings.find((warning) => warning.code === 'narrow-start')?.message).toMatch(/42 operations .* only read operations are included \(21 tools\); 21 write operations are left out/);
    const starter = suggestStarterSet(model, decisions.operations, 3).map((decision) => decision.operation.operationId);
    expect(starter).toStrictEqual(['listThings0', 'listThings1', 'listThings10']);
  });

  it('confirms a money-moving tool that toolwright.yaml includes, and never marks secrets read-only', async () => {
    const spec = {
      openapi: '3.1.0',
      info: { title: 'Pay', version: '1' },
      paths: {
        '/v1/charges': {
          post: {
            operationId: 'createCharge',
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } } } } } },
            responses: ok,
          },
        },
        '/secrets/{name}': { get: { operationId: 'readSecret', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], responses: ok } },
      },
    };
    const left = await curate(spec);
    expect(left.decisions.operations.map((decision) => [decision.included, decision.risk.sensitivities])).toStrictEqual([
      [false, ['money-movement']],
      [false, ['credentials']],
    ]);
    const { catalog } = await curate(spec, 'operations:\n  createCharge: { include: true }\n  readSecret: { include: true }\n');
    const charge = catalog.tools.find((tool) => tool.name === 'create_charge')!;
    expect(charge.annotations.destructiveHint).toBe(true);
    expect(charge.confirmation).toStrictEqual({ argument: 'confirm' });
    const secret = catalog.tools.find((tool) => tool.name === 'read_secret')!;
    expect(secret.annotations.readOnlyHint).toBe(false);
    upstream = await startServer((_req, res) => sendJson(res, 200, { id: 'ch_1' }));
    const { runtime } = testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env: { PAY_BASE_URL: upstream.url } });
    const client = await connectInMemory(runtime);
    const unconfirmed = await client.callTool({ name: 'create_charge', arguments: { amount: 100, currency: 'eur' } });
    expect(upstream.seen).toHaveLength(0);
    expect(textOf(unconfirmed)).toMatch(/confirm/i);
    await client.callTool({ name: 'create_charge', arguments: { amount: 100, currency: 'eur', confirm: true } });
    expect(upstream.seen).toHaveLength(1);
    await client.close();
  });
});

describe('operations with servers of their own', () => {
  let uploads: TestServer | undefined;
  afterEach(async () => {
    await uploads?.close();
    uploads = undefined;
  });

  const spec = {
    openapi: '3.1.0',
    info: { title: 'Repo', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths: {
      '/releases/{id}': { get: { operationId: 'getRelease', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: ok } },
      '/releases/{id}/assets': {
        servers: [{ url: 'https://uploads.example.com' }],
        post: {
          operationId: 'uploadAsset',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } },
          responses: ok,
        },
      },
    },
  };

  it('get their own base URL variable, documented in .env.example, and their calls reach their own upstream', async () => {
    const { catalog } = await curate(spec);
    expect(catalog.server.baseUrls).toStrictEqual({ uploads_example: { env: 'REPO_UPLOADS_EXAMPLE_BASE_URL', defaultUrl: 'https://uploads.example.com' } });
    expect(catalog.tools.map((tool) => [tool.name, tool.http.server])).toStrictEqual([
      ['get_release', undefined],
      ['upload_asset', 'uploads_example'],
    ]);
    const { planFiles } = await import('../src/emit/plan-files.js');
    expect(planFiles(catalog).get('.env.example')!.toString()).toContain('REPO_UPLOADS_EXAMPLE_BASE_URL=https://uploads.example.com');
    expect(planFiles(catalog).get('README.md')!.toString()).toContain('REPO_UPLOADS_EXAMPLE_BASE_URL');

    upstream = await startServer((_req, res) => sendJson(res, 200, { host: 'api' }));
    uploads = await startServer((_req, res) => sendJson(res, 200, { host: 'uploads' }));
    const env = { REPO_BASE_URL: upstream.url, REPO_UPLOADS_EXAMPLE_BASE_URL: `${uploads.url}/up` };
    const { runtime } = testRuntime({ serverDefinition: catalog.server, tools: catalog.tools, env });
    const client = await connectInMemory(runtime);
    await client.callTool({ name: 'get_release', arguments: { id: 'r1' } });
    await client.callTool({ name: 'upload_asset', arguments: { id: 'r1', body: 'bytes' } });
    await client.callTool({ name: 'upload_asset', arguments: { id: '../../../releases/r1', body: 'x' } });
    expect(upstream.seen.map((seen) => `${seen.method} ${seen.url}`)).toStrictEqual(['GET /releases/r1']);
    expect(uploads.seen.map((seen) => `${seen.method} ${seen.url}`)).toStrictEqual(['POST /up/releases/r1/assets', 'POST /up/releases/..%2F..%2F..%2Freleases%2Fr1/assets']);
    await client.close();
  });
});
