import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, validateHostHeader, type AuthInfo } from '@modelcontextprotocol/server';
import { isLoopbackHost } from './env.js';
import { BodyTooLargeError, sendWebResponse, toWebRequest } from './http-bridge.js';
import type { TransportConfig } from './http-config.js';
import { createAuthGate } from './inbound-auth.js';
import { metricsContentType, metricsOf } from './metrics.js';
import type { Runtime } from './runtime.js';
import { buildServer } from './server.js';

/** A running Streamable HTTP server. */
export type HttpServer = {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  /** Stops accepting requests, lets running ones finish for up to `graceMs`, then closes every connection. */
  close(graceMs?: number): Promise<void>;
};

const mcpPath = '/mcp';
/** Prometheus metrics, behind the same Host, Origin and authentication checks as the MCP endpoint. */
const metricsPath = '/metrics';
const maxBodyBytes = 4 * 1024 * 1024;
const metadataPath = '/.well-known/oauth-protected-resource';
const corsHeaders = {
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, last-event-id, mcp-protocol-version, mcp-session-id, mcp-method, mcp-name',
  'access-control-expose-headers': 'www-authenticate, mcp-session-id, mcp-protocol-version',
  'access-control-max-age': '600',
};

/**
 * Serves MCP over Streamable HTTP at `/mcp`, both protocol revisions, statelessly: every request gets a fresh
 * server from the shared runtime, so any number of replicas can run behind a load balancer. Also serves
 * `/healthz`, `/metrics` (Prometheus, authenticated like `/mcp`) and, in OAuth mode, the RFC 9728 metadata. `Host` and `Origin` are checked before authentication.
 */
export async function serveHttp(runtime: Runtime, config: Extract<TransportConfig, { transport: 'http' }>): Promise<HttpServer> {
  const { log } = runtime;
  const gate = createAuthGate(config.auth, { ...(config.publicUrl ? { resourceUrl: config.publicUrl } : {}), serverName: runtime.serverDefinition.name, timeoutMs: runtime.config.timeoutMs });
  const handler = createMcpHandler(({ authInfo }) => buildServer(runtime, callerOf(authInfo)), {
    onerror: (error) => log('warn', `MCP request failed: ${error.message}`),
  });
  const loopback = isLoopbackHost(config.host);
  const resourcePath = config.publicUrl ? config.publicUrl.pathname.replace(/\/$/, '') : mcpPath;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const keepOnlyIfRead = () => {
      if (!req.complete) res.setHeader('connection', 'close');
    };
    const reply = (status: number, body: unknown, headers: OutgoingHttpHeaders = {}) => {
      keepOnlyIfRead();
      json(res, status, body, headers);
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (gate.metadata && (path === metadataPath || path === `${metadataPath}${resourcePath}`)) {
      if (req.method === 'OPTIONS') return reply(204, undefined, { 'access-control-allow-origin': '*', ...corsHeaders });
      return reply(200, gate.metadata, { 'access-control-allow-origin': '*', 'cache-control': 'max-age=3600' });
    }
    if (path !== mcpPath && path !== metricsPath) return reply(404, { error: 'not_found', error_description: `The MCP endpoint is ${mcpPath}` });
    if (config.allowedHosts && !validateHostHeader(req.headers.host, config.allowedHosts).ok) {
      log('warn', 'HTTP request refused: Host not allowed', { host: String(req.headers.host ?? '').slice(0, 100) });
      return reply(403, rpcError('Forbidden: this Host is not allowed'));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !config.allowedOrigins.includes(origin) && !(loopback && isLoopbackOrigin(origin))) {
      log('warn', 'HTTP request refused: Origin not allowed', { origin: origin.slice(0, 100) });
      return reply(403, rpcError('Forbidden: this Origin is not allowed'));
    }
    const cors: OutgoingHttpHeaders = origin ? { 'access-control-allow-origin': origin, vary: 'Origin', ...corsHeaders } : {};
    if (req.method === 'OPTIONS') return reply(204, undefined, cors);
    const caller = await gate.authenticate(req.headers.authorization);
    if (caller instanceof Response) {
      log('warn', 'HTTP request refused: authentication failed', { status: caller.status, remote: req.socket.remoteAddress });
      keepOnlyIfRead();
      return sendWebResponse(res, caller, cors);
    }
    if (path === metricsPath) {
      if (req.method !== 'GET') return reply(405, { error: 'method_not_allowed', error_description: 'Use GET /metrics' }, { allow: 'GET', ...cors });
      keepOnlyIfRead();
      return void res.writeHead(200, { 'content-type': metricsContentType, ...cors }).end(metricsOf(runtime, runtime.serverDefinition).render());
    }
    let request: Request;
    try {
      request = await toWebRequest(req, res, originOf(req.headers.host), maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return reply(413, rpcError(error.message), cors);
    }
    await sendWebResponse(res, await handler.fetch(request, caller.authInfo ? { authInfo: caller.authInfo } : undefined), cors);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log('error', 'HTTP request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) json(res, 500, rpcError('Internal server error'));
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}${mcpPath}`,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await handler.close();
      await closed;
      clearTimeout(timer);
    },
  };
}

function callerOf(authInfo: AuthInfo | undefined): string {
  if (!authInfo) return 'anonymous';
  return String(authInfo.extra?.caller ?? authInfo.clientId);
}

/** The request's own origin from its `Host` header, or `http://localhost` when the header is unusable. */
function originOf(host: string | undefined): string {
  try {
    return new URL(`http://${host}`).origin;
  } catch {
    return 'http://localhost';
  }
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

function rpcError(message: string): object {
  return { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
}

function json(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
