import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDefinition } from '../../templates/runtime/definition.js';
import { isBinaryMediaType } from '../../templates/runtime/results.js';
import { connectInMemory, getTool, startServer, testRuntime, type TestServer } from './harness.js';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x00, 0x01])]);

describe('isBinaryMediaType', () => {
  it.each([
    ['image/png', true],
    ['application/pdf', true],
    ['application/octet-stream', true],
    ['application/zip', true],
    ['audio/mpeg', true],
    ['application/json; charset=utf-8', false],
    ['application/vnd.api+json', false],
    ['application/problem+json', false],
    ['text/csv', false],
    ['application/xml', false],
    ['image/svg+xml', false],
    ['application/x-ndjson', false],
    [null, false],
  ])('%s → %s', (type, binary) => {
    expect(isBinaryMediaType(type)).toBe(binary);
  });
});

describe('binary responses', () => {
  let upstream: TestServer;
  beforeAll(async () => {
    upstream = await startServer((req, res) => {
      const body = req.url === '/photo' ? png : req.url === '/report' ? pdf : Buffer.alloc(5_000, 1);
      const type = req.url === '/photo' ? 'image/png' : req.url === '/report' ? 'application/pdf' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
  });
  afterAll(() => upstream.close());

  const serverDefinition: ServerDefinition = { name: 'files', version: '1.0.0', envPrefix: 'FILES', securitySchemes: {} };
  const tools = [getTool('get_photo', '/photo'), getTool('get_report', '/report'), getTool('get_archive', '/archive')];

  it('returns images as image content and other binaries as embedded resources, byte for byte', async () => {
    const { runtime } = testRuntime({ serverDefinition, tools, env: { FILES_BASE_URL: upstream.url, FILES_MAX_RESPONSE_BYTES: '4000' } });
    const client = await connectInMemory(runtime);
    try {
      const photo = (await client.callTool({ name: 'get_photo', arguments: {} })) as { content: Record<string, unknown>[]; isError?: boolean };
      expect(photo.isError).toBeFalsy();
      expect(photo.content).toStrictEqual([
        { type: 'text', text: `GET /photo returned image/png (${png.byteLength} bytes, HTTP 200 OK), attached.` },
        { type: 'image', data: png.toString('base64'), mimeType: 'image/png' },
      ]);
      const report = (await client.callTool({ name: 'get_report', arguments: {} })) as { content: Record<string, unknown>[] };
      expect(report.content[1]).toStrictEqual({
        type: 'resource',
        resource: { uri: 'urn:toolwright:get_report:response', mimeType: 'application/pdf', blob: pdf.toString('base64') },
      });
      const archive = (await client.callTool({ name: 'get_archive', arguments: {} })) as { content: { text?: string }[]; isError?: boolean };
      expect(archive.isError).toBe(true);
      expect(archive.content[0]!.text).toContain('larger than 4000 bytes');
      expect(archive.content).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
