// Issue 5 acceptance, bounded: concurrent clients calling tools through the HTTP transport on loopback, with no
// failed call and bounded memory. Throughput is measured by `node bench/runtime-load.mjs` (32 clients, 30 s), not here.
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { readTransportConfig } from '../../templates/runtime/http-config.js';
import { serveHttp, type HttpServer } from '../../templates/runtime/http-server.js';
import { auditLines, connectHttp, getTool, sendJson, startServer, testRuntime, type TestServer } from './harness.js';

const clients = 8;
const callsPerClient = 15;
const token = randomBytes(24).toString('hex');
const serverDefinition: ServerDefinition = { name: 'shop', version: '1.0.0', envPrefix: 'SHOP', securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key', env: 'SHOP_API_KEY' } } };
const tools: ToolDefinition[] = [
  getTool('get_pet', '/pets/{petId}', {
    inputSchema: { type: 'object', properties: { petId: { type: 'integer', minimum: 1 } }, required: ['petId'], additionalProperties: false },
    outputSchema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] },
    http: { method: 'GET', path: '/pets/{petId}', parameters: [{ argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false }], output: { kind: 'object' }, security: [['key']] },
  }),
];

let upstream: TestServer;
let server: HttpServer;
let lines: string[];

beforeAll(async () => {
  upstream = await startServer((req, res) => sendJson(res, 200, { id: Number(req.url?.split('/').pop()), name: 'Rex' }));
  const env: { [name: string]: string } = {
    SHOP_BASE_URL: upstream.url,
    SHOP_API_KEY: 'k'.repeat(32),
    SHOP_TRANSPORT: 'http',
    SHOP_PORT: '0',
    SHOP_AUTH_TOKEN_HASHES: `load=sha256:${createHash('sha256').update(token).digest('hex')}`,
  };
  const transport = readTransportConfig('SHOP', (name) => env[name], [], () => '');
  if (transport.transport !== 'http') throw new Error('expected http');
  const made = testRuntime({ serverDefinition, tools, env });
  lines = made.lines;
  server = await serveHttp(made.runtime, transport);
});

afterAll(async () => {
  await server.close(0);
  await upstream.close();
});

describe('load on loopback', () => {
  it(`serves ${clients} concurrent clients, ${callsPerClient} calls each, without a failed call`, async () => {
    const connected: Client[] = await Promise.all(
      Array.from({ length: clients }, (_, i) => connectHttp(server.url, { era: i % 2 === 0 ? '2025-11-25' : '2026-07-28', token })),
    );
    const latencies: number[] = [];
    const failures: string[] = [];
    const rssBefore = process.memoryUsage().rss;
    try {
      await Promise.all(
        connected.map(async (client, i) => {
          for (let n = 1; n <= callsPerClient; n++) {
            const started = performance.now();
            const result = await client.callTool({ name: 'get_pet', arguments: { petId: i * 1000 + n } }, { timeout: 5_000 }).catch((error: Error) => ({ isError: true, error: error.message }));
            latencies.push(performance.now() - started);
            if (result.isError || (result as { structuredContent?: { id?: number } }).structuredContent?.id !== i * 1000 + n) failures.push(JSON.stringify(result).slice(0, 200));
          }
        }),
      );
    } finally {
      await Promise.all(connected.map((client) => client.close()));
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
    console.log(`load: ${latencies.length} calls, p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms`);
    expect(failures).toStrictEqual([]);
    expect(latencies).toHaveLength(clients * callsPerClient);
    expect(auditLines(lines)).toHaveLength(latencies.length);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  }, 30_000);
});
