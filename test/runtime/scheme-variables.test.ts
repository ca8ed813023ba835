// Security schemes whose names differ only in punctuation, or that are named like a setting of the server, each
// get environment variables of their own: from the spec, through the catalog, to a call against a real upstream.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/build-catalog.js';
import { configIncluding } from '../../src/curate/config-file.js';
import { selectTools } from '../../src/curate/select.js';
import type { LoadedSpec } from '../../src/load/load-spec.js';
import { buildModel } from '../../src/model/build-model.js';
import { configVariableNames } from '../../templates/runtime/config.js';
import type { SecurityScheme } from '../../templates/runtime/definition.js';
import { connectInMemory, sendJson, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const schemes = {
  'api-key': { type: 'apiKey', in: 'header', name: 'X-First-Key' },
  api_key: { type: 'apiKey', in: 'header', name: 'X-Second-Key' },
  base_url: { type: 'apiKey', in: 'header', name: 'X-Third-Key' },
  apiKey: { type: 'http', scheme: 'bearer' },
};

const loaded = {
  source: 'schemes.yaml',
  version: '3.1',
  warnings: [],
  document: {
    openapi: '3.1.0',
    info: { title: 'Schemes', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    components: { securitySchemes: schemes },
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          security: [{ 'api-key': [], api_key: [], base_url: [], apiKey: [] }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  },
} as unknown as LoadedSpec;

function build() {
  const { model } = buildModel(loaded);
  const { decisions } = selectTools({ model, config: configIncluding(model.operations) });
  return buildCatalog({ model, decisions });
}

const variablesOf = (scheme: SecurityScheme): string[] => (scheme.type === 'basic' ? [scheme.usernameEnv, scheme.passwordEnv] : [scheme.env]);

let upstream: TestServer;
let client: Client | undefined;
beforeAll(async () => {
  upstream = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('security schemes spelled alike, or named like a setting', () => {
  it('each read variables of their own, none of them a setting, and the generator says so', () => {
    const { catalog, warnings } = build();
    const schemesBuilt = catalog.server.securitySchemes;
    const variables = Object.values(schemesBuilt).flatMap(variablesOf);
    expect(new Set(variables).size).toBe(variables.length);
    const settings = new Set(Object.values(configVariableNames(catalog.server.envPrefix)));
    expect(variables.filter((variable) => settings.has(variable))).toStrictEqual([]);
    expect((schemesBuilt['base_url'] as { env: string }).env).toMatch(/^SCHEMES_BASE_URL_[0-9A-F]{6}$/);
    expect((schemesBuilt['api-key'] as { env: string }).env).toMatch(/^SCHEMES_API_KEY_[0-9A-F]{6}$/);
    expect((schemesBuilt['api_key'] as { env: string }).env).toMatch(/^SCHEMES_API_KEY_[0-9A-F]{6}$/);
    expect((schemesBuilt['apiKey'] as { env: string }).env).toBe('SCHEMES_API_KEY_TOKEN');
    expect(warnings.filter((warning) => warning.code === 'scheme-variable').map((warning) => warning.message.split(' would ')[0])).toStrictEqual([
      'the security scheme "api-key"',
      'the security scheme "api_key"',
      'the security scheme "base_url"',
    ]);
  });

  it('send each credential where its scheme says, and the base URL stays a URL', async () => {
    const { catalog } = build();
    const env = (name: string) => (catalog.server.securitySchemes[name] as { env: string }).env;
    const { runtime } = testRuntime({
      serverDefinition: catalog.server,
      tools: catalog.tools,
      env: {
        SCHEMES_BASE_URL: upstream.url,
        [env('api-key')]: 'first-secret-value',
        [env('api_key')]: 'second-secret-value',
        [env('base_url')]: 'third-secret-value',
        [env('apiKey')]: 'bearer-secret-value',
      },
    });
    client = await connectInMemory(runtime);
    const result = await client.callTool({ name: catalog.tools[0]!.name, arguments: {} });
    expect(result.isError, textOf(result)).toBeFalsy();
    const headers = upstream.seen.at(-1)!.headers;
    expect([headers['x-first-key'], headers['x-second-key'], headers['x-third-key'], headers.authorization]).toStrictEqual([
      'first-secret-value',
      'second-secret-value',
      'third-secret-value',
      'Bearer bearer-secret-value',
    ]);
  });
});
