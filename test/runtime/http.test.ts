// Issue 5 acceptance: HTTP with the SDK client. No token, a wrong token or a wrong audience → 401 with
// WWW-Authenticate; a bad Origin → 403; the right token works over both protocol revisions; the upstream never
// sees the inbound token.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Client } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { ConfigError } from '../../templates/runtime/env.js';
import { readTransportConfig } from '../../templates/runtime/http-config.js';
import { serveHttp, type HttpServer } from '../../templates/runtime/http-server.js';
import { auditLines, connectHttp, getTool, sendJson, startServer, testRuntime, textOf, type TestServer } from './harness.js';

const serverDefinition: ServerDefinition = {
  name: 'shop',
  version: '1.0.0',
  envPrefix: 'SHOP',
  securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key', env: 'SHOP_API_KEY' } },
};
const tools: ToolDefinition[] = [
  getTool('get_status', '/status', { http: { method: 'GET', path: '/status', parameters: [], output: { kind: 'object' }, security: [['key']] } }),
];
const eras = ['2025-11-25', '2026-07-28'] as const;
const apiKey = `upstream-${randomBytes(16).toString('hex')}`;
const aliceToken = `inbound-${randomBytes(24).toString('hex')}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let upstream: TestServer;
let client: Client | undefined;

beforeAll(async () => {
  upstream = await startServer((_req, res) => sendJson(res, 200, { status: 'green' }));
});
afterAll(() => upstream.close());
afterEach(async () => {
  await client?.close().catch(() => undefined);
  client = undefined;
});

async function start(env: { [name: string]: string }): Promise<{ server: HttpServer; lines: string[] }> {
  const full: { [name: string]: string } = { SHOP_BASE_URL: upstream.url, SHOP_API_KEY: apiKey, SHOP_TRANSPORT: 'http', SHOP_PORT: '0', ...env };
  const transport = readTransportConfig('SHOP', (name) => full[name], [], () => '');
  if (transport.transport !== 'http') throw new Error('expected http');
  const made = testRuntime({ serverDefinition, tools, env: full });
  return { server: await serveHttp(made.runtime, transport), lines: made.lines };
}

function post(url: string, headers: { [name: string]: string } = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}

function upstreamNeverSaw(secret: string): void {
  expect(upstream.seen.length).toBeGreaterThan(0);
  for (const seen of upstream.seen) expect(JSON.stringify(seen)).not.toContain(secret);
  expect(upstream.seen.every((seen) => seen.headers.authorization === undefined)).toBe(true);
}

describe('HTTP with static bearer tokens', () => {
  let server: HttpServer;
  let lines: string[];
  beforeAll(async () => {
    ({ server, lines } = await start({ SHOP_AUTH_TOKEN_HASHES: `alice=sha256:${sha256(aliceToken)}`, SHOP_ALLOWED_ORIGINS: 'https://app.example.com' }));
  });
  afterAll(() => server.close(0));

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: `Bearer ${aliceToken}x` }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`alice:${aliceToken}`).toString('base64')}` }],
  ])('answers %s with 401 and a WWW-Authenticate challenge', async (_case, headers) => {
    const response = await post(server.url, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await response.text()).not.toContain(aliceToken);
  });

  it('refuses the SDK client without a token', async () => {
    await expect(connectHttp(server.url, { era: '2025-11-25' })).rejects.toThrow();
  });

  it('answers a bad Origin with 403, even with the right token', async () => {
    const response = await post(server.url, { authorization: `Bearer ${aliceToken}`, origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect((await post(server.url, { authorization: `Bearer ${aliceToken}`, origin: 'null' })).status).toBe(403);
  });

  it('accepts a configured Origin and answers with CORS headers', async () => {
    const response = await post(server.url, { authorization: `Bearer ${aliceToken}`, origin: 'https://app.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const preflight = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('answers a foreign Host header with 403 (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(server.url, { method: 'POST', headers: { host: 'evil.example', authorization: `Bearer ${aliceToken}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it.each(eras)('serves the right token over %s and never forwards it upstream', async (era) => {
    upstream.seen.length = 0;
    client = await connectHttp(server.url, { era, token: aliceToken });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toStrictEqual(['get_status']);
    const result = await client.callTool({ name: 'get_status', arguments: {} });
    expect(result.structuredContent).toStrictEqual({ status: 'green' });
    expect(upstream.seen.at(-1)!.headers['x-api-key']).toBe(apiKey);
    upstreamNeverSaw(aliceToken);
    expect(auditLines(lines).at(-1)).toMatchObject({ tool: 'get_status', caller: 'alice', outcome: 'ok' });
  });

  it('refuses a body over 4 MiB with 413, and checks the token before reading any body', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await fetch(server.url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${aliceToken}` }, body })).status).toBe(413);
    expect((await fetch(server.url, { method: 'POST', headers, body })).status).toBe(401);
  });

  it('serves a health endpoint without authentication, and 404 elsewhere', async () => {
    const base = server.url.replace(/\/mcp$/, '');
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.json()]).toStrictEqual([200, { status: 'ok' }]);
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it('serves Prometheus metrics behind the same authentication: calls, errors, latency and upstream status classes per tool', async () => {
    const metricsUrl = server.url.replace(/\/mcp$/, '/metrics');
    const refused = await fetch(metricsUrl);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const read = async () => {
      const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${aliceToken}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      return response.text();
    };
    const count = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const before = await read();
    expect(before).toContain('mcp_server_info{server="shop",version="1.0.0"} 1');
    client = await connectHttp(server.url, { era: '2026-07-28', token: aliceToken });
    await client.callTool({ name: 'get_status', arguments: {} });
    expect((await client.callTool({ name: 'get_status', arguments: { extra: 1 } })).isError).toBe(true);
    const after = await read();
    expect(count(after, 'mcp_tool_calls_total{tool="get_status",outcome="ok"}') - count(before, 'mcp_tool_calls_total{tool="get_status",outcome="ok"}')).toBe(1);
    expect(count(after, 'mcp_tool_calls_total{tool="get_status",outcome="invalid_arguments"}') - count(before, 'mcp_tool_calls_total{tool="get_status",outcome="invalid_arguments"}')).toBe(1);
    expect(count(after, 'mcp_tool_errors_total{tool="get_status"}') - count(before, 'mcp_tool_errors_total{tool="get_status"}')).toBe(1);
    expect(count(after, 'mcp_upstream_responses_total{tool="get_status",status_class="2xx"}') - count(before, 'mcp_upstream_responses_total{tool="get_status",status_class="2xx"}')).toBe(1);
    const total = count(after, 'mcp_tool_call_duration_seconds_count{tool="get_status"}');
    expect(count(after, 'mcp_tool_call_duration_seconds_bucket{tool="get_status",le="+Inf"}')).toBe(total);
    expect(count(after, 'mcp_tool_call_duration_seconds_bucket{tool="get_status",le="60"}')).toBe(total);
    expect(after).toMatch(/^# TYPE mcp_tool_call_duration_seconds histogram$/m);
    expect(after).not.toContain(aliceToken);
    expect(after).not.toContain(apiKey);
    expect((await fetch(metricsUrl, { method: 'POST', headers: { authorization: `Bearer ${aliceToken}` } })).status).toBe(405);
  });

  it('keeps the inbound token out of every log line', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(aliceToken);
  });
});

describe('HTTP as an OAuth 2.1 resource server (JWT checked against a JWKS)', () => {
  const resource = 'https://mcp.example.test/mcp';
  let authServer: TestServer;
  let issuer: string;
  let key: CryptoKey;
  let strangerKey: CryptoKey;
  let server: HttpServer;
  let lines: string[];

  const token = (claims: { [name: string]: unknown } = {}, { signWith = key, expiresIn = '5m' }: { signWith?: CryptoKey; expiresIn?: string | number } = {}) =>
    new SignJWT({ scope: 'mcp:tools', client_id: 'agent-app', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(String(claims.iss ?? issuer))
      .setAudience(String(claims.aud ?? resource))
      .setSubject('user-42')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(signWith);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    authServer = await startServer((req, res) => {
      if (req.url === '/.well-known/oauth-authorization-server') return sendJson(res, 200, { issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` });
      if (req.url === '/jwks') return sendJson(res, 200, { keys: [jwk] });
      sendJson(res, 404, {});
    });
    issuer = authServer.url;
    ({ server, lines } = await start({ SHOP_OAUTH_ISSUER: issuer, SHOP_PUBLIC_URL: resource, SHOP_OAUTH_SCOPES: 'mcp:tools' }));
  });
  afterAll(async () => {
    await server.close(0);
    await authServer.close();
  });

  it.each(eras)('serves a valid token over %s and never forwards it upstream', async (era) => {
    const jwt = await token();
    upstream.seen.length = 0;
    client = await connectHttp(server.url, { era, token: jwt });
    expect((await client.callTool({ name: 'get_status', arguments: {} })).structuredContent).toStrictEqual({ status: 'green' });
    upstreamNeverSaw(jwt);
    expect(auditLines(lines).at(-1)).toMatchObject({ caller: 'user-42 via agent-app', outcome: 'ok' });
  });

  it('discovers the signing keys from the issuer metadata', () => {
    expect(authServer.seen.map((seen) => seen.url)).toContain('/.well-known/oauth-authorization-server');
    expect(authServer.seen.map((seen) => seen.url)).toContain('/jwks');
  });

  it.each([
    ['a wrong audience', () => token({ aud: 'https://other.example/mcp' }), 'audience'],
    ['a wrong issuer', () => token({ iss: 'https://evil.example' }), 'iss'],
    ['an expired token', () => token({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), 'expired'],
    ['a foreign signature', () => token({}, { signWith: strangerKey }), 'not valid'],
    ['no token', async () => '', 'Missing'],
  ])('answers %s with 401 and a challenge that points to the metadata', async (_case, make, reason) => {
    const jwt = await make();
    const response = await post(server.url, jwt ? { authorization: `Bearer ${jwt}` } : {});
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain('resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"');
    expect(challenge).toContain(reason);
    if (jwt) expect(await response.text()).not.toContain(jwt);
  });

  it('answers a token without the required scope with 403 insufficient_scope', async () => {
    const response = await post(server.url, { authorization: `Bearer ${await token({ scope: 'other' })}` });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('serves the RFC 9728 protected-resource metadata', async () => {
    const base = server.url.replace(/\/mcp$/, '');
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toStrictEqual({
        resource,
        authorization_servers: [issuer],
        bearer_methods_supported: ['header'],
        scopes_supported: ['mcp:tools'],
        resource_name: 'shop',
      });
    }
  });
});

describe('HTTP settings', () => {
  const read = (env: { [name: string]: string }) => (name: string) => env[name];

  it('requires inbound authentication when not bound to loopback', () => {
    expect(() => readTransportConfig('SHOP', read({ SHOP_HOST: '0.0.0.0' }), ['--transport', 'http'], () => '')).toThrow(ConfigError);
    expect(() => readTransportConfig('SHOP', read({ SHOP_HOST: '0.0.0.0' }), ['--transport', 'http'], () => '')).toThrow(/clients must authenticate/);
    const config = readTransportConfig('SHOP', read({ SHOP_HOST: '0.0.0.0', SHOP_AUTH_TOKEN_HASHES: `sha256:${sha256(aliceToken)}` }), ['--transport=http'], () => '');
    expect(config).toMatchObject({ transport: 'http', host: '0.0.0.0', port: 3000, auth: { kind: 'tokens' } });
    expect(config.transport === 'http' && config.allowedHosts).toBeUndefined();
  });

  it('defaults to stdio, and binds HTTP to 127.0.0.1 with loopback Host names only', () => {
    expect(readTransportConfig('SHOP', read({}), [], () => '')).toStrictEqual({ transport: 'stdio' });
    expect(readTransportConfig('SHOP', read({ SHOP_TRANSPORT: 'http' }), [], () => '')).toMatchObject({
      host: '127.0.0.1',
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      auth: { kind: 'none' },
    });
  });

  it('reads tokens from a file, plain or hashed, with labels', () => {
    const file = `# label token\nci ${'t'.repeat(40)}\nbob sha256:${sha256('x'.repeat(40))}\n${'u'.repeat(40)}\n`;
    const config = readTransportConfig('SHOP', read({ SHOP_TRANSPORT: 'http', SHOP_AUTH_TOKENS_FILE: '/run/secrets/tokens' }), [], () => file);
    if (config.transport !== 'http' || config.auth.kind !== 'tokens') throw new Error('expected tokens');
    expect(config.auth.tokens.map((entry) => entry.label)).toStrictEqual(['ci', 'bob', `token-${sha256('u'.repeat(40)).slice(0, 8)}`]);
    expect(config.auth.plainTokens).toStrictEqual(['t'.repeat(40), 'u'.repeat(40)]);
  });

  it.each([
    [{ SHOP_AUTH_TOKEN_HASHES: 'plain-token' }, /entries must be \[label=\]sha256:<64 hex digits>/],
    [{ SHOP_AUTH_TOKEN_HASHES: `sha256:${sha256('a')}`, SHOP_OAUTH_ISSUER: 'https://auth.example.com' }, /either static tokens .* or OAuth/],
    [{ SHOP_OAUTH_ISSUER: 'https://auth.example.com' }, /set SHOP_PUBLIC_URL/],
    [{ SHOP_OAUTH_ISSUER: 'http://auth.example.com', SHOP_PUBLIC_URL: 'https://x/mcp' }, /must be an https URL/],
    [{ SHOP_ALLOWED_ORIGINS: 'not an origin' }, /must list origins/],
    [{ SHOP_AUTH_TOKENS_FILE: '/tokens' }, /shorter than 32 characters/],
  ])('rejects %j', (env, message) => {
    expect(() => readTransportConfig('SHOP', read({ SHOP_TRANSPORT: 'http', ...env }), [], () => 'short')).toThrow(message);
  });

  it('rejects an unknown transport', () => {
    expect(() => readTransportConfig('SHOP', read({}), ['--transport', 'sse'], () => '')).toThrow(/must be "stdio" or "http"/);
  });
});

describe('HTTP results', () => {
  it('returns tool errors as results, not HTTP errors', async () => {
    const { server } = await start({});
    try {
      client = await connectHttp(server.url, { era: '2026-07-28' });
      const result = await client.callTool({ name: 'get_status', arguments: { extra: 1 } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('unknown argument "extra"');
    } finally {
      await client?.close();
      client = undefined;
      await server.close(0);
    }
  });
});
