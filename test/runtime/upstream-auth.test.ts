// Issue 5: upstream authentication. OAuth 2.0 client credentials (fetched, cached, refreshed before expiry,
// retried once on 401), OpenID Connect discovery of the token endpoint, and credentials from files.
import { randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../templates/runtime/config.js';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { ConfigError, createEnvReader, parseEnvFile } from '../../templates/runtime/env.js';
import { createTokenSource } from '../../templates/runtime/oauth-client.js';
import { auditLines, connectInMemory, getTool, sendJson, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const clientSecret = `secret-${randomBytes(12).toString('hex')}`;
const flow = { clientIdEnv: 'SHOP_OAUTH_CLIENT_ID', clientSecretEnv: 'SHOP_OAUTH_CLIENT_SECRET', tokenUrlEnv: 'SHOP_OAUTH_TOKEN_URL', scopesEnv: 'SHOP_OAUTH_SCOPES' };
const tools: ToolDefinition[] = [
  getTool('get_orders', '/orders', { http: { method: 'GET', path: '/orders', parameters: [], output: { kind: 'object' }, security: [['oauth']] } }),
];

let tokenServer: TestServer;
let upstream: TestServer;
let client: Client | undefined;
let issued: string[] = [];
let rejectNext = 0;
let tokenStatus = 200;
let lifetimeSeconds = 3600;

beforeAll(async () => {
  tokenServer = await startServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      return sendJson(res, 200, { issuer: tokenServer.url, token_endpoint: `${tokenServer.url}/oidc/token`, token_endpoint_auth_methods_supported: ['client_secret_post'] });
    }
    if (tokenStatus !== 200) return sendJson(res, tokenStatus, { error: 'invalid_client', error_description: `bad client ${clientSecret}` });
    const token = `access-${randomBytes(12).toString('hex')}`;
    issued.push(token);
    sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds });
  });
  upstream = await startServer((req, res) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (rejectNext > 0 || !issued.includes(token)) {
      rejectNext--;
      return sendJson(res, 401, { message: `token ${token} rejected` });
    }
    sendJson(res, 200, { orders: [] });
  });
});
afterAll(async () => {
  await tokenServer.close();
  await upstream.close();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  issued = [];
  rejectNext = 0;
  tokenStatus = 200;
  lifetimeSeconds = 3600;
  tokenServer.seen.length = 0;
  upstream.seen.length = 0;
});

function definition(extra: object): ServerDefinition {
  return { name: 'shop', version: '1.0.0', envPrefix: 'SHOP', securitySchemes: { oauth: { type: 'bearer', env: 'SHOP_OAUTH_TOKEN', clientCredentials: { ...flow, scopes: ['orders:read'], ...extra } } } };
}

async function connect(extra: object = { tokenUrl: `${tokenServer.url}/token` }, env: { [name: string]: string } = {}) {
  const made = testRuntime({
    serverDefinition: definition(extra),
    tools,
    env: { SHOP_BASE_URL: upstream.url, SHOP_OAUTH_CLIENT_ID: 'shop-mcp-client', SHOP_OAUTH_CLIENT_SECRET: clientSecret, ...env },
  });
  client = await connectInMemory(made.runtime);
  return made;
}

const call = async () => {
  const result = await client!.callTool({ name: 'get_orders', arguments: {} });
  return { result, text: textOf(result) };
};

describe('OAuth 2.0 client credentials', () => {
  it('fetches a token with HTTP Basic client authentication and the scopes, then reuses it', async () => {
    await connect();
    for (let i = 0; i < 3; i++) expect((await call()).result.structuredContent).toStrictEqual({ orders: [] });
    expect(tokenServer.seen).toHaveLength(1);
    const request = tokenServer.seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`shop-mcp-client:${clientSecret}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toStrictEqual({ grant_type: 'client_credentials', scope: 'orders:read' });
    expect(upstream.seen.map((seen) => seen.headers.authorization)).toStrictEqual(Array(3).fill(`Bearer ${issued[0]}`));
  });

  it('shares one token request between concurrent calls', async () => {
    await connect();
    await Promise.all(Array.from({ length: 5 }, call));
    expect(tokenServer.seen).toHaveLength(1);
  });

  it('fetches a new token once when the API answers 401, and does not loop', async () => {
    await connect();
    await call();
    rejectNext = 1;
    expect((await call()).result.isError).toBeFalsy();
    expect(tokenServer.seen).toHaveLength(2);
    rejectNext = 5;
    const { result, text } = await call();
    expect(result.isError).toBe(true);
    expect(text).toContain('failed with HTTP 401 Unauthorized (2 attempts)');
    expect(text).not.toContain(issued.at(-1)!);
    expect(tokenServer.seen).toHaveLength(3);
  });

  it('discovers the token endpoint by OpenID Connect and honours client_secret_post', async () => {
    await connect({ discoveryUrl: `${tokenServer.url}/.well-known/openid-configuration` });
    expect((await call()).result.isError).toBeFalsy();
    expect(tokenServer.seen.map((seen) => seen.url)).toStrictEqual(['/.well-known/openid-configuration', '/oidc/token']);
    const body = Object.fromEntries(new URLSearchParams(tokenServer.seen[1]!.body));
    expect(body).toStrictEqual({ grant_type: 'client_credentials', scope: 'orders:read', client_id: 'shop-mcp-client', client_secret: clientSecret });
    expect(tokenServer.seen[1]!.headers.authorization).toBeUndefined();
  });

  it('lets the environment override the token URL and scopes', async () => {
    await connect({}, { SHOP_OAUTH_TOKEN_URL: `${tokenServer.url}/custom`, SHOP_OAUTH_SCOPES: 'a b,c' });
    await call();
    expect(tokenServer.seen[0]!.url).toBe('/custom');
    expect(new URLSearchParams(tokenServer.seen[0]!.body).get('scope')).toBe('a b c');
  });

  it('reports a rejected client clearly, without the secret, and sends nothing upstream', async () => {
    tokenStatus = 401;
    const { lines } = await connect();
    const { result, text } = await call();
    expect(result.isError).toBe(true);
    expect(text).toBe(
      "GET /orders was not sent: the server could not obtain its access token for the API (the token endpoint answered HTTP 401: invalid_client (bad client [REDACTED])). This is a problem with the server's configuration; retrying will not help. Tell the user.",
    );
    expect(upstream.seen).toHaveLength(0);
    expect(auditLines(lines).at(-1)).toMatchObject({ outcome: 'auth_error' });
    expect(lines.join('\n')).not.toContain(clientSecret);
  });

  it('uses a ready-made token when no client credentials are set', async () => {
    const made = testRuntime({ serverDefinition: definition({ tokenUrl: `${tokenServer.url}/token` }), tools, env: { SHOP_BASE_URL: upstream.url, SHOP_OAUTH_TOKEN: 'static-token' } });
    issued.push('static-token');
    client = await connectInMemory(made.runtime);
    expect((await call()).result.isError).toBeFalsy();
    expect(tokenServer.seen).toHaveLength(0);
  });

  it('refreshes a token in the background before it expires, and never uses it in its last seconds', async () => {
    let now = 1_000_000;
    const tokens: string[] = [];
    const source = createTokenSource(
      { clientId: 'id', clientSecret: 'secret', tokenUrl: `${tokenServer.url}/token`, scopes: [] },
      { timeoutMs: 2_000, onToken: (token) => tokens.push(token), now: () => now },
    );
    lifetimeSeconds = 100;
    const first = await source.token();
    now += 79_000;
    expect(await source.token()).toBe(first);
    now += 2_000;
    expect(await source.token()).toBe(first);
    await waitFor(() => tokens.length === 2);
    expect(await source.token()).toBe(tokens[1]);
    now += 97_000;
    const third = await source.token();
    expect(tokens).toHaveLength(3);
    expect(third).toBe(tokens[2]);
    source.invalidate(third);
    expect(await source.token()).toBe(tokens[3]);
  });

  it('refuses a plain-http token endpoint that is not on this machine', () => {
    expect(() => readConfig(definition({ tokenUrl: 'http://auth.example.com/token' }), { SHOP_BASE_URL: upstream.url, SHOP_OAUTH_CLIENT_ID: 'a', SHOP_OAUTH_CLIENT_SECRET: 'b-secret' })).toThrow(
      /must be an https URL/,
    );
    expect(() => readConfig(definition({}), { SHOP_BASE_URL: upstream.url, SHOP_OAUTH_CLIENT_ID: 'a', SHOP_OAUTH_CLIENT_SECRET: 'b-secret' })).toThrow(/Set SHOP_OAUTH_TOKEN_URL/);
  });
});

describe('credentials from files', () => {
  const shop: ServerDefinition = {
    name: 'shop',
    version: '1.0.0',
    envPrefix: 'SHOP',
    securitySchemes: {
      key: { type: 'apiKey', in: 'header', name: 'X-Api-Key', env: 'SHOP_API_KEY' },
      login: { type: 'basic', usernameEnv: 'SHOP_USERNAME', passwordEnv: 'SHOP_PASSWORD' },
    },
  };
  const files: { [path: string]: string } = {
    '/run/secrets/api_key': 'key-from-file\n',
    '/etc/shop/credentials': '# the shop\nexport SHOP_USERNAME=alice\nSHOP_PASSWORD="p w-secret"\nSHOP_BASE_URL=https://api.example.com\n',
  };
  const readFile = (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return files[path]!;
  };

  it('reads NAME_FILE and the credentials file; the environment wins', () => {
    const read = createEnvReader('SHOP', { SHOP_API_KEY_FILE: '/run/secrets/api_key', SHOP_CREDENTIALS_FILE: '/etc/shop/credentials', SHOP_USERNAME: 'bob' }, readFile);
    const config = readConfig(shop, read);
    expect(config.baseUrl).toBe('https://api.example.com');
    expect(config.credentials).toStrictEqual({
      key: { type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'key-from-file' },
      login: { type: 'basic', username: 'bob', password: 'p w-secret' },
    });
  });

  it.each([
    [{ SHOP_API_KEY: 'a', SHOP_API_KEY_FILE: '/run/secrets/api_key' }, /Both SHOP_API_KEY and SHOP_API_KEY_FILE are set/],
    [{ SHOP_API_KEY_FILE: '/nope' }, /SHOP_API_KEY_FILE names a file that cannot be read \(\/nope: ENOENT\)/],
    [{ SHOP_CREDENTIALS_FILE: '/nope' }, /SHOP_CREDENTIALS_FILE names a file that cannot be read/],
  ])('explains %j', (env, message) => {
    expect(() => readConfig(shop, createEnvReader('SHOP', { SHOP_BASE_URL: 'https://x', ...env }, readFile))).toThrow(message);
  });

  it('parses .env syntax and names a bad line', () => {
    expect([...parseEnvFile('F', "A=1\n\n# c\nexport B = 'two'\nC=\n")]).toStrictEqual([
      ['A', '1'],
      ['B', 'two'],
    ]);
    expect(() => parseEnvFile('F', 'A=1\noops\n')).toThrow(ConfigError);
    expect(() => parseEnvFile('F', 'A=1\noops\n')).toThrow('Line 2 of the file named by F is not KEY=value.');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
