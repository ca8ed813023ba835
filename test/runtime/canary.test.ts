// Issue 5 acceptance, the canary test: every credential and inbound token is a unique random value; the upstream
// echoes what it receives back in bodies, errors, redirects and oversized responses. After the run, no
// client-visible result, error, HTTP answer, log line or audit line contains any of them, in any encoding.
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { readTransportConfig } from '../../templates/runtime/http-config.js';
import { serveHttp, type HttpServer } from '../../templates/runtime/http-server.js';
import { connectHttp, getTool, sendJson, startServer, testRuntime, type TestServer } from './harness.js';

const canary = (name: string) => `${name}-${randomBytes(16).toString('hex')}`;
const secrets = {
  SHOP_HEADER_KEY: canary('header-key'),
  SHOP_QUERY_KEY: canary('query-key'),
  SHOP_COOKIE_KEY: canary('cookie-key'),
  SHOP_BEARER_TOKEN: canary('bearer'),
  SHOP_BASIC_USERNAME: canary('user'),
  SHOP_BASIC_PASSWORD: canary('password'),
  SHOP_OAUTH_CLIENT_ID: canary('client-id'),
  SHOP_OAUTH_CLIENT_SECRET: canary('client-secret'),
};
const inboundToken = canary('inbound');
const wrongInboundToken = canary('wrong-inbound');
const issuedTokens: string[] = [];

const schemes: ServerDefinition['securitySchemes'] = {
  header: { type: 'apiKey', in: 'header', name: 'X-Api-Key', env: 'SHOP_HEADER_KEY' },
  query: { type: 'apiKey', in: 'query', name: 'api_key', env: 'SHOP_QUERY_KEY' },
  cookie: { type: 'apiKey', in: 'cookie', name: 'sid', env: 'SHOP_COOKIE_KEY' },
  bearer: { type: 'bearer', env: 'SHOP_BEARER_TOKEN' },
  basic: { type: 'basic', usernameEnv: 'SHOP_BASIC_USERNAME', passwordEnv: 'SHOP_BASIC_PASSWORD' },
  oauth: {
    type: 'bearer',
    env: 'SHOP_OAUTH_TOKEN',
    clientCredentials: { clientIdEnv: 'SHOP_OAUTH_CLIENT_ID', clientSecretEnv: 'SHOP_OAUTH_CLIENT_SECRET', tokenUrlEnv: 'SHOP_OAUTH_TOKEN_URL', scopesEnv: 'SHOP_OAUTH_SCOPES', scopes: [] },
  },
};
const routes = ['ok', 'unauthorized', 'failure', 'redirect', 'html', 'huge', 'garbled'];
const tools: ToolDefinition[] = Object.keys(schemes).flatMap((scheme) =>
  routes.map((route) =>
    getTool(`${scheme}_${route}`, `/${route}`, {
      inputSchema: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false },
      http: { method: 'GET', path: `/${route}`, parameters: [{ argument: 'q', in: 'query', name: 'q', style: 'form', explode: true }], output: { kind: 'object' }, security: [[scheme]] },
      ...(route === 'ok' ? { outputSchema: { type: 'object' } } : {}),
    }),
  ),
);

let tokenServer: TestServer;
let upstream: TestServer;
let server: HttpServer;
let lines: string[];
const seenByClients: string[] = [];

beforeAll(async () => {
  tokenServer = await startServer((_req, res) => {
    const token = canary('access');
    issuedTokens.push(token);
    sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: 600 });
  });
  upstream = await startServer((req, res, seen) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    const echo = { url: seen.url, headers: seen.headers };
    if (route === 'ok') return sendJson(res, 200, echo);
    if (route === 'unauthorized') return sendJson(res, 401, { message: `rejected ${JSON.stringify(echo)}` });
    if (route === 'failure') return sendJson(res, 500, { error: { message: `boom ${seen.headers.authorization} ${seen.headers.cookie} ${seen.url}` } });
    if (route === 'redirect') {
      res.writeHead(302, { location: `https://elsewhere.example${seen.url}&auth=${encodeURIComponent(String(seen.headers.authorization))}` });
      return void res.end();
    }
    if (route === 'html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end(`<html><title>bad gateway for ${seen.headers['x-api-key']} ${seen.headers.authorization}</title></html>`);
    }
    if (route === 'huge') return sendJson(res, 200, { echo, padding: 'p'.repeat(20_000) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"broken": ${JSON.stringify(echo)}`);
  });
  const env: { [name: string]: string } = {
    ...secrets,
    SHOP_BASE_URL: upstream.url,
    SHOP_OAUTH_TOKEN_URL: `${tokenServer.url}/token`,
    SHOP_MAX_RESPONSE_BYTES: '2000',
    SHOP_MAX_RETRIES: '1',
    SHOP_TRANSPORT: 'http',
    SHOP_PORT: '0',
    SHOP_AUTH_TOKEN_HASHES: `ci=sha256:${createHash('sha256').update(inboundToken).digest('hex')}`,
  };
  const transport = readTransportConfig('SHOP', (name) => env[name], [], () => '');
  if (transport.transport !== 'http') throw new Error('expected http');
  const made = testRuntime({ serverDefinition: { name: 'shop', version: '1.0.0', envPrefix: 'SHOP', securitySchemes: schemes }, tools, env });
  lines = made.lines;
  server = await serveHttp(made.runtime, transport);
});

afterAll(async () => {
  await server.close(0);
  await upstream.close();
  await tokenServer.close();
});

async function record(response: Response): Promise<void> {
  seenByClients.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
}

describe('the canary run', () => {
  it.each(['2025-11-25', '2026-07-28'] as const)('calls every tool through every failure mode over %s', async (era) => {
    const client: Client = await connectHttp(server.url, { era, token: inboundToken });
    try {
      seenByClients.push(JSON.stringify(await client.listTools()));
      for (const tool of tools) {
        const result = await client.callTool({ name: tool.name, arguments: { q: 'x' } }).catch((error: Error) => ({ thrown: error.message }));
        seenByClients.push(JSON.stringify(result));
      }
      const invalid = await client.callTool({ name: 'header_ok', arguments: { q: 1 } }).catch((error: Error) => ({ thrown: error.message }));
      seenByClients.push(JSON.stringify(invalid));
    } finally {
      await client.close();
    }
  });

  it('refuses wrong and missing inbound tokens', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    await record(await fetch(server.url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${wrongInboundToken}` }, body }));
    await record(await fetch(server.url, { method: 'POST', headers: { ...headers, authorization: `Basic ${wrongInboundToken}` }, body }));
    await record(await fetch(server.url, { method: 'POST', headers, body }));
    await expect(connectHttp(server.url, { era: '2026-07-28', token: wrongInboundToken })).rejects.toThrow();
  });

  it('sent every credential upstream, so the canaries were really in play', () => {
    const upstreamSaw = JSON.stringify(upstream.seen);
    for (const name of ['SHOP_HEADER_KEY', 'SHOP_QUERY_KEY', 'SHOP_COOKIE_KEY', 'SHOP_BEARER_TOKEN'] as const) expect(upstreamSaw).toContain(secrets[name]);
    expect(upstreamSaw).toContain(Buffer.from(`${secrets.SHOP_BASIC_USERNAME}:${secrets.SHOP_BASIC_PASSWORD}`).toString('base64'));
    expect(issuedTokens.length).toBeGreaterThan(0);
    expect(upstreamSaw).toContain(issuedTokens[0]);
    expect(tokenServer.seen[0]!.headers.authorization).toContain(Buffer.from(`${secrets.SHOP_OAUTH_CLIENT_ID}:${secrets.SHOP_OAUTH_CLIENT_SECRET}`).toString('base64'));
    expect(upstreamSaw).not.toContain(inboundToken);
  });

  it('leaks none of them to clients, logs or audit lines', () => {
    const values = [...Object.values(secrets), inboundToken, wrongInboundToken, ...issuedTokens];
    const forms = values.flatMap((value) => [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]);
    forms.push(Buffer.from(`${secrets.SHOP_BASIC_USERNAME}:${secrets.SHOP_BASIC_PASSWORD}`).toString('base64'));
    const everything = [...seenByClients, ...lines].join('\n');
    expect(seenByClients.length).toBeGreaterThan(tools.length * 2);
    expect(lines.filter((line) => line.includes('"type":"audit"')).length).toBe(tools.length * 2 + 2);
    expect(everything).toContain('[REDACTED]');
    for (const form of forms) expect(everything).not.toContain(form);
  });
});
