// Issue 4: requests proven right against a validating mock of the real API. For several corpus specs, the
// generated server runs over stdio against Prism (@stoplight/prism-cli 5.14.2, which validates every request
// against the spec), behind a recording proxy on 127.0.0.1. Every tool is called with arguments built from its
// own input schema (and checked against it), and every request must pass Prism's request validation: no 400,
// 415 or 422 from the mock.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { symlink, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { CatalogTool, ToolCatalog } from '../src/catalog/types.js';
import { selectTools } from '../src/curate/select.js';
import { planFiles } from '../src/emit/plan-files.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { writeFiles } from '../src/write/write-files.js';
import { fetchNpmSpecs, nonDestructiveConfig } from '../bench/corpus.mjs';
import { corpusDir, repoRoot, tempDir } from './helpers.js';

const prismBin = path.join(repoRoot, 'node_modules/@stoplight/prism-cli/dist/index.js');
const hasPrism = existsSync(prismBin);
if (!hasPrism) console.warn('skipping the validating-mock test: @stoplight/prism-cli is not installed');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [keyword: string]: unknown };

/**
 * A value that satisfies a JSON Schema, built deterministically: required properties, the first enum value,
 * formats and bounds respected; undefined when no value is found (the caller then leaves the argument out).
 */
export function sampleValue(schema: unknown, defs: Record<string, Schema>, depth = 0): Json | undefined {
  if (schema === true || schema === undefined) return 'sample';
  if (schema === false || typeof schema !== 'object' || schema === null || depth > 6) return undefined;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const target = defs[decodeURIComponent(s.$ref.replace('#/$defs/', '')).replace(/~1/g, '/').replace(/~0/g, '~')];
    const { $ref: _ref, ...rest } = s;
    return sampleValue({ ...target, ...rest }, defs, depth + 1);
  }
  if ('const' in s) return s.const as Json;
  if (Array.isArray(s.enum)) return (s.enum.find((value) => value !== null) ?? s.enum[0]) as Json;
  if (Array.isArray(s.examples) && s.examples.length > 0 && !Array.isArray(s.allOf)) return s.examples[0] as Json;
  if (s.default !== undefined && !Array.isArray(s.allOf)) return s.default as Json;
  if (Array.isArray(s.allOf)) {
    const merged: Schema = { ...s, allOf: undefined };
    for (const member of s.allOf as Schema[]) {
      for (const [key, value] of Object.entries(member)) {
        if (key === 'properties') merged.properties = { ...(merged.properties as object), ...(value as object) };
        else if (key === 'required') merged.required = [...((merged.required as string[]) ?? []), ...(value as string[])];
        else merged[key] ??= value;
      }
    }
    delete merged.allOf;
    return sampleValue(merged, defs, depth + 1);
  }
  for (const key of ['oneOf', 'anyOf']) {
    if (Array.isArray(s[key])) {
      const { [key]: branches, ...rest } = s;
      for (const branch of branches as Schema[]) {
        if (branch.type === 'null') continue;
        const value = sampleValue({ ...rest, ...branch }, defs, depth + 1);
        if (value !== undefined) return value;
      }
      return undefined;
    }
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : s.properties ? ['object'] : s.items ? ['array'] : ['string'];
  const type = types.find((candidate) => candidate !== 'null') ?? 'null';
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'integer':
    case 'number': {
      let value = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1;
      if (typeof s.maximum === 'number' && value > s.maximum) value = s.maximum;
      if (typeof s.multipleOf === 'number') value = Math.ceil(value / s.multipleOf) * s.multipleOf;
      return type === 'integer' ? Math.ceil(value) : value;
    }
    case 'string':
      return sampleString(s);
    case 'array': {
      const item = sampleValue(s.items ?? true, defs, depth + 1);
      if (item === undefined) return typeof s.minItems === 'number' && s.minItems > 0 ? undefined : [];
      const length = Math.max(typeof s.minItems === 'number' ? s.minItems : 2, Math.min(2, typeof s.maxItems === 'number' ? s.maxItems : 2), 1);
      return Array.from({ length }, (_, index) =>
        typeof item === 'string' && s.uniqueItems ? `${item}${index || ''}` : item,
      );
    }
    case 'object': {
      const result: { [key: string]: Json } = {};
      const required = new Set((s.required as string[] | undefined) ?? []);
      for (const [name, property] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
        if (!required.has(name) && depth > 2) continue;
        const value = sampleValue(property, defs, depth + 1);
        if (value === undefined && required.has(name)) return undefined;
        if (value !== undefined) result[name] = value;
      }
      return result;
    }
    default:
      return undefined;
  }
}

function sampleString(s: Schema): string | undefined {
  if (s.contentEncoding === 'base64') return Buffer.from('hello, mock').toString('base64');
  const formats: Record<string, string> = {
    'date-time': '2024-01-02T03:04:05Z',
    date: '2024-01-02',
    time: '03:04:05Z',
    email: 'user@example.com',
    uri: 'https://example.com/x',
    'uri-reference': 'https://example.com/x',
    uuid: '123e4567-e89b-12d3-a456-426614174000',
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
    hostname: 'example.com',
    duration: 'P1D',
  };
  const candidates = [formats[String(s.format)], 'abc', 'sample', 'a', 'A', '1', '12', '123', 'abc123', 'a-b', 'en', 'USD', 'usd', 'ABC', 'x'.repeat(Number(s.minLength ?? 1))];
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
  return candidates.find(
    (candidate): candidate is string =>
      candidate !== undefined &&
      (!pattern || pattern.test(candidate)) &&
      candidate.length >= Number(s.minLength ?? 0) &&
      candidate.length <= Number(s.maxLength ?? Infinity),
  );
}

/**
 * Arguments Prism 5.14.2 cannot judge, because it crashes or misreads them although they follow OpenAPI:
 * object values of path parameters (TypeError in its path deserializer), object values of spaceDelimited and
 * pipeDelimited query parameters (it throws "only applicable to array parameter"), array or object values of
 * multipart parts (it reads every part as one string, so repeated parts and JSON parts fail its type check),
 * and array values in urlencoded bodies (it accepts only `name[]=x`, and refuses the OpenAPI default
 * `name=x&name=y` as well as `name=x,y` for explode: false).
 */
function prismCannotJudge(tool: CatalogTool, argument: string, schema: Schema): string | undefined {
  const types = new Set(Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]);
  const binding = tool.http.parameters.find((candidate) => candidate.argument === argument);
  if (binding?.in === 'path' && types.has('object')) return 'Prism crashes on object-valued path parameters';
  if (binding?.in === 'query' && types.has('object') && (binding.style === 'spaceDelimited' || binding.style === 'pipeDelimited')) {
    return `Prism throws on object-valued ${binding.style} query parameters`;
  }
  const body = tool.http.body;
  const inBody = body?.properties?.some((property) => property.argument === argument) ?? false;
  if (inBody && body?.encoding === 'multipart' && (types.has('array') || types.has('object'))) {
    return 'Prism reads every multipart part as a string (no arrays of parts, no JSON parts)';
  }
  if (inBody && body?.encoding === 'form' && types.has('array')) {
    return 'Prism parses urlencoded arrays like qs (only name[]=x), not as OpenAPI form style (name=x&name=y)';
  }
  return undefined;
}

/**
 * Arguments for a tool: every argument a value can be found for, checked against the input schema. Optional
 * arguments Prism cannot judge are left out; a required one makes the tool skipped, with the reason.
 */
function argumentsFor(tool: CatalogTool, validate: (schema: object, value: unknown) => boolean): { args?: Record<string, Json>; skip?: string } {
  const defs = (tool.inputSchema.$defs ?? {}) as Record<string, Schema>;
  const args: Record<string, Json> = {};
  const required = new Set((tool.inputSchema.required as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(tool.inputSchema.properties as Record<string, Schema>)) {
    const unjudgeable = prismCannotJudge(tool, name, schema);
    if (unjudgeable && required.has(name)) return { skip: `${unjudgeable} (argument "${name}")` };
    if (unjudgeable) continue;
    const value = sampleValue(schema, defs, 1);
    if (value === undefined && required.has(name)) return { skip: `no value found for "${name}"` };
    if (value !== undefined) args[name] = value;
  }
  if (tool.confirmation) args[tool.confirmation.argument] = true;
  return validate(tool.inputSchema, args) ? { args } : { skip: 'the sampled arguments do not satisfy the schema' };
}

type Exchange = { method: string; url: string; requestBody: string; status: number; body: string; violations: string };

/** An HTTP proxy on 127.0.0.1 that forwards to `target` and records every exchange. */
async function startRecordingProxy(target: string): Promise<{ url: string; exchanges: Exchange[]; retarget: (url: string) => void; close: () => Promise<void> }> {
  const exchanges: Exchange[] = [];
  let upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const requestChunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => requestChunks.push(chunk));
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const violations = response.headers['sl-violations'];
          exchanges.push({
            method: req.method ?? '',
            url: req.url ?? '',
            requestBody: Buffer.concat(requestChunks).toString('utf8'),
            status: response.statusCode ?? 0,
            body: body.toString('utf8'),
            violations: Array.isArray(violations) ? violations.join(' ') : (violations ?? ''),
          });
          res.writeHead(response.statusCode ?? 502, response.headers);
          res.end(body);
        });
      },
    );
    forwarded.on('error', (error) => {
      exchanges.push({ method: req.method ?? '', url: req.url ?? '', requestBody: Buffer.concat(requestChunks).toString('utf8'), status: 0, body: `the mock did not answer: ${String(error)}`, violations: '' });
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    retarget: (url) => {
      upstream = new URL(url);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `prism mock` on 127.0.0.1 and resolves when it listens. */
async function startPrism(spec: string): Promise<{ url: string; process: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [prismBin, 'mock', spec, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`prism did not start within 120 s:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output };
}

/** Environment values for every credential the catalog's server reads, so that Prism's security checks pass. */
function credentialEnvironment(catalog: ToolCatalog): Record<string, string> {
  const env: Record<string, string> = {};
  for (const scheme of Object.values(catalog.server.securitySchemes)) {
    if (scheme.type === 'apiKey') env[scheme.env] = 'mock-key';
    else if (scheme.type === 'bearer') env[scheme.env] = 'mock-token';
    else if (scheme.type === 'basic') {
      env[scheme.usernameEnv] = 'user';
      env[scheme.passwordEnv] = 'password';
    }
  }
  return env;
}

/**
 * Whether Prism found the request invalid. It says so in an `sl-violations` header listing each violation
 * (then answers with a 4xx the spec defines, or 400/415/422 of its own), and with a problem document of its
 * own type (`stoplight.io/prism/errors#...`) for requests that match no path, method or security scheme.
 * A 4xx that the spec defines and Prism merely mocks (an operation without a 2xx response) is not a rejection.
 */
function rejection(exchange: Exchange): string | undefined {
  const violations = exchange.violations ? (JSON.parse(exchange.violations) as { severity: string; message: string; location: string[] }[]) : [];
  // Violations located in `response` are about Prism's own mocked answer, not the request.
  const errors = violations.filter((violation) => violation.severity === 'Error' && violation.location[0] !== 'response');
  if (errors.length > 0) return `${exchange.status} ${errors.map((violation) => `${violation.location.join('.')}: ${violation.message}`).join('; ')}`;
  // NO_RESPONSE_RESPONSE_DEFINED: the operation defines no response to mock; the request itself was accepted.
  if (exchange.status === 0) return exchange.body;
  if (exchange.body.includes('stoplight.io/prism/errors#') && !exchange.body.includes('errors#NO_RESPONSE_RESPONSE_DEFINED')) {
    return `${exchange.status} ${exchange.body.slice(0, 600)}`;
  }
  return undefined;
}

type Case = {
  name: string;
  file: () => string | undefined;
  /** Tools not called, with the reason. */
  skip?: Record<string, string>;
  /** Only the tools whose name matches (for large specs). */
  only?: RegExp;
  /**
   * Tools whose request the mock rightly refuses because of a defect in the generated runtime, by tool name,
   * with the defect. They are still called, and the test fails when one of them passes (the list is stale).
   */
  knownDefects?: Record<string, string>;
  /** Changes the spec (a copy) before both the generator and the mock read it; the reason is in the case. */
  patch?: (document: Record<string, unknown>) => void;
};

const npmFile = (name: string) => () => fetchNpmSpecs([name])?.[0];
const githubFile = (name: string) => () => {
  const file = path.join(corpusDir, 'github', name);
  return existsSync(file) ? file : undefined;
};

/** A spec written for this test (JSON), for constructs the corpus fixtures do not cover. */
function inlineSpec(name: string, document: object): () => string {
  return () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'toolwright-mock-spec-'));
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(document));
    return file;
  };
}

const urlencoded = {
  openapi: '3.0.3',
  info: { title: 'Forms', version: '1' },
  servers: [{ url: 'https://api.example.com/v1' }],
  paths: {
    '/customers': {
      post: {
        operationId: 'createCustomer',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  balance: { type: 'integer' },
                  metadata: { type: 'object', properties: { plan: { type: 'string' }, seats: { type: 'string' } } },
                  address: { type: 'object', properties: { city: { type: 'string' }, line1: { type: 'string' } } },
                },
              },
              encoding: { metadata: { style: 'deepObject', explode: true }, address: { style: 'deepObject', explode: true } },
            },
          },
        },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } } },
      },
    },
    '/notes': {
      post: {
        operationId: 'createNote',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, pinned: { type: 'boolean' } } },
            },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

const cases: Case[] = [
  {
    name: 'Swagger 2.0 petstore (body, formData, file upload, multi and csv arrays)',
    file: npmFile('readme__2.0-petstore.json'),
    // Several body operations of this spec declare no `consumes`. Toolwright then sends application/json (the
    // usual reading), but Prism's Swagger 2.0 import gives such bodies no media type at all and refuses every
    // body with 415 ("No supported content types"). Declaring the JSON default makes the mock check the rest.
    patch: (document) => {
      document.consumes = ['application/json'];
    },
  },
  { name: 'OpenAPI 3.0 parameter styles (matrix, label, form, deepObject, space/pipe, cookies)', file: npmFile('readme__3.0-parameters-style.json') },
  { name: 'OpenAPI 3.1 parameter styles', file: npmFile('readme__3.1-parameters-style.json') },
  { name: 'OpenAPI 3.0 multipart and urlencoded bodies', file: npmFile('readme__3.0-form-data.json') },
  { name: 'OpenAPI 3.0 file uploads', file: npmFile('readme__3.0-file-uploads.json') },
  { name: 'OAI petstore-expanded (3.0)', file: githubFile('gh-oai__petstore-expanded.yaml') },
  { name: 'urlencoded bodies: deepObject objects, repeated arrays, booleans', file: inlineSpec('urlencoded', urlencoded) },
  { name: 'Slack (Swagger 2.0, formData urlencoded)', file: githubFile('gh-slack__web-api-v2.json'), only: /^(chat_post_message|conversations_list|users_info|reactions_add|files_upload)$/ },
];

describe.runIf(hasPrism)('requests against a validating mock (Prism 5.14.2)', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('toolwright-mock-')));
  afterAll(() => cleanup?.());

  it.each(cases)('$name', async ({ file, skip = {}, knownDefects = {}, patch, only }) => {
    let spec = file();
    if (!spec) return;
    if (patch) {
      const document = (await loadSpec(spec)).document;
      patch(document);
      spec = path.join(root, `patched-${path.basename(spec).replace(/\.ya?ml$/, '.json')}`);
      await writeFile(spec, JSON.stringify(document));
    }
    const loaded = await loadSpec(spec);
    const { model } = buildModel(loaded);
    const config = nonDestructiveConfig(model);
    const { decisions } = selectTools({ model, config });
    const { catalog } = buildCatalog({ model, decisions, configFile: config.file });
    const dir = path.join(root, path.basename(spec).replace(/\W+/g, '-'));
    await writeFiles({ plan: planFiles(catalog), outDir: dir });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit', timeout: 240_000 });

    let prism = await startPrism(spec);
    const proxy = await startRecordingProxy(prism.url);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(dir, 'build/index.js')],
      env: { ...getDefaultEnvironment(), [`${catalog.server.envPrefix}_BASE_URL`]: proxy.url, ...credentialEnvironment(catalog) },
      stderr: 'pipe',
    });
    let serverLog = '';
    transport.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
    const client = new Client({ name: 'toolwright-mock', version: '1.0.0' });
    const ajv = new AjvJsonSchemaValidator();
    const validate = (schema: object, value: unknown) => ajv.getValidator(schema as never)(value).valid;
    const rejected = new Map<string, string>();
    const crashed: string[] = [];
    const skipped: string[] = [];
    let called = 0;
    try {
      await client.connect(transport);
      for (const tool of catalog.tools) {
        if (only && !only.test(tool.name)) continue;
        if (skip[tool.name]) {
          skipped.push(`${tool.name}: ${skip[tool.name]}`);
          continue;
        }
        const { args, skip: reason } = argumentsFor(tool, validate);
        if (!args) {
          skipped.push(`${tool.name}: ${reason}`);
          continue;
        }
        const before = proxy.exchanges.length;
        const result = (await client.callTool({ name: tool.name, arguments: args })) as { isError?: boolean; content: { text?: string }[] };
        called++;
        const exchanges = proxy.exchanges.slice(before);
        if (exchanges.length === 0) {
          rejected.set(tool.name, `${JSON.stringify(args)}: no request was sent (${result.content[0]?.text ?? ''})`);
          continue;
        }
        if (exchanges.some((exchange) => exchange.status === 0)) {
          // Prism itself failed on this request (a crash, not a verdict): note it and start a fresh mock.
          crashed.push(`${tool.name} → ${exchanges[0]!.method} ${exchanges[0]!.url}: ${prism.output().split('\n').find((line) => /Error/.test(line)) ?? 'no answer'}`);
          prism.process.kill();
          prism = await startPrism(spec);
          proxy.retarget(prism.url);
          continue;
        }
        const problems = exchanges.map((exchange) => rejection(exchange)).filter((problem): problem is string => problem !== undefined);
        if (problems.length > 0) {
          const exchange = exchanges[0]!;
          rejected.set(tool.name, `${JSON.stringify(args)} → ${exchange.method} ${exchange.url}${exchange.requestBody ? ` ${exchange.requestBody.slice(0, 300)}` : ''}: ${problems[0]}`);
        }
      }
    } finally {
      await client.close();
      await proxy.close();
      prism.process.kill();
    }
    const statuses: Record<string, number> = {};
    for (const exchange of proxy.exchanges) statuses[exchange.status] = (statuses[exchange.status] ?? 0) + 1;
    console.info(
      `${path.basename(spec)}: ${called} of ${catalog.tools.length} tools called; mock statuses ${JSON.stringify(statuses)}` +
        (skipped.length > 0 ? `; skipped: ${skipped.join('; ')}` : '') +
        (crashed.length > 0 ? `; Prism crashed on: ${crashed.join('; ')}` : ''),
    );
    const unexpected = [...rejected].filter(([name]) => !knownDefects[name]).map(([name, problem]) => `${name} ${problem}`);
    expect(unexpected, `server log:\n${serverLog.slice(-2000)}`).toStrictEqual([]);
    // A known defect that no longer shows means it was fixed: take it off the list.
    expect(Object.keys(knownDefects).filter((name) => !rejected.has(name) && !crashed.some((entry) => entry.startsWith(`${name} `)))).toStrictEqual([]);
    expect(called).toBeGreaterThan(0);
  }, 600_000);
});
