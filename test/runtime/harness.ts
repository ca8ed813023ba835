import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createAudit } from '../../templates/runtime/audit.js';
import { readConfig } from '../../templates/runtime/config.js';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { createLogger } from '../../templates/runtime/log.js';
import { createRuntime, type Runtime } from '../../templates/runtime/runtime.js';
import { buildServer } from '../../templates/runtime/server.js';

/** A request the test upstream received. */
export type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string; closedEarly: boolean };

/** An HTTP server on 127.0.0.1 with a handler per test; records every request. */
export type TestServer = { url: string; port: number; seen: Seen[]; inFlight: number; maxInFlight: number; close(): Promise<void> };

/** Starts an HTTP server on 127.0.0.1:0 that records requests and lets `handle` answer (or not). */
export async function startServer(handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void | Promise<void>): Promise<TestServer> {
  const state: TestServer = { url: '', port: 0, seen: [], inFlight: 0, maxInFlight: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), closedEarly: false };
      state.seen.push(seen);
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      res.on('close', () => {
        state.inFlight--;
        if (!res.writableFinished) seen.closedEarly = true;
      });
      void Promise.resolve(handle(req, res, seen)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: { [name: string]: string } = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** A runtime whose logs and audit lines are collected in `lines`. */
export function testRuntime({
  serverDefinition,
  tools,
  env,
  secrets,
}: {
  serverDefinition: ServerDefinition;
  tools: ToolDefinition[];
  env: { [name: string]: string };
  secrets?: string[];
}): { runtime: Runtime; lines: string[] } {
  const lines: string[] = [];
  const config = readConfig(serverDefinition, env);
  const base = createRuntime({ serverDefinition, tools, config, ...(secrets ? { secrets } : {}), log: () => undefined, audit: () => undefined });
  const log = createLogger({ server: serverDefinition.name, redact: base.redact, sink: (line) => lines.push(line) });
  const audit = createAudit({ server: serverDefinition.name, redact: base.redact, sink: (line) => lines.push(line) });
  return { runtime: { ...base, log, audit }, lines };
}

/** What a test client answers to an elicitation. */
export type ElicitAnswer = { action: 'accept' | 'decline' | 'cancel'; content?: { [key: string]: string | number | boolean } };

/** Connects the SDK client to a server built from the runtime, in process, served the way stdio serves it (both revisions). */
export async function connectInMemory(
  runtime: Runtime,
  { capabilities = {}, versionNegotiation, onElicit }: {
    capabilities?: object;
    versionNegotiation?: ConstructorParameters<typeof Client>[1] extends infer O ? (O extends { versionNegotiation?: infer V } ? V : never) : never;
    onElicit?: (params: { message: string }) => ElicitAnswer;
  } = {},
): Promise<Client> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  serveStdio(() => buildServer(runtime, 'tester'), { transport: serverTransport });
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities, ...(versionNegotiation ? { versionNegotiation } : {}) });
  if (onElicit) client.setRequestHandler('elicitation/create', async (request) => onElicit(request.params as { message: string }));
  await client.connect(clientTransport);
  return client;
}

/** Connects the SDK client over Streamable HTTP, pinned to one protocol revision. */
export async function connectHttp(
  url: string,
  { era, token, capabilities = {}, onElicit, headers = {} }: {
    era: '2025-11-25' | '2026-07-28';
    token?: string;
    capabilities?: object;
    onElicit?: (params: { message: string }) => ElicitAnswer;
    headers?: { [name: string]: string };
  },
): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } },
  });
  const client = new Client(
    { name: 'http-test-client', version: '1.0.0' },
    { capabilities, versionNegotiation: era === '2025-11-25' ? { mode: 'legacy' } : { mode: { pin: '2026-07-28' } } },
  );
  if (onElicit) client.setRequestHandler('elicitation/create', async (request) => onElicit(request.params as { message: string }));
  await client.connect(transport, { timeout: 10_000 });
  return client;
}

/** The text of a tool result. */
export function textOf(result: unknown): string {
  return ((result as { content?: { type: string; text?: string }[] }).content ?? []).map((block) => block.text ?? '').join('\n');
}

/** The audit lines among collected lines, parsed. */
export function auditLines(lines: string[]): { [key: string]: unknown }[] {
  return lines.map((line) => JSON.parse(line) as { [key: string]: unknown }).filter((entry) => entry.type === 'audit');
}

/** A read-only GET tool with no arguments, for tests. */
export function getTool(name: string, path: string, extra: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name,
    title: name,
    description: `The ${name} tool.`,
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    http: { method: 'GET', path, parameters: [], output: { kind: 'none' }, security: [] },
    ...extra,
  };
}
