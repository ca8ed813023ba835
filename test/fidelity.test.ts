// Issue 4: real specs translated faithfully. Each case builds a small spec, generates the tool catalog with
// the real pipeline (load → model → curate → catalog), and pins the exact input schema of a tool and the
// exact HTTP request the generated server's runtime builds from schema-valid arguments.
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { CatalogTool, ToolCatalog } from '../src/catalog/types.js';
import { configIncluding } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import type { Diagnostic } from '../src/errors.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { buildRequest, type HttpRequest } from '../templates/runtime/request.js';
import { checkCatalog } from '../bench/corpus.mjs';
import { tempDir, writeSpec } from './helpers.js';

/** A fresh instance of the MCP SDK's Ajv 2020 engine, configured as the generated server's (a private field). */
const sdkAjv = () => (new AjvJsonSchemaValidator() as unknown as { ajv: Parameters<typeof checkCatalog>[1] }).ajv;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('toolwright-fidelity-')));
afterAll(() => cleanup());

let specCount = 0;
const catalogs = new WeakMap<object, Promise<{ catalog: ToolCatalog; warnings: Diagnostic[] }>>();

/** Generates the catalog of a spec with every operation included (once per spec object). */
function catalogOf(spec: object): Promise<{ catalog: ToolCatalog; warnings: Diagnostic[] }> {
  let catalog = catalogs.get(spec);
  if (!catalog) {
    catalog = generateCatalog(spec);
    catalogs.set(spec, catalog);
  }
  return catalog;
}

async function generateCatalog(spec: object, format: 'yaml' | 'json' = 'yaml'): Promise<{ catalog: ToolCatalog; warnings: Diagnostic[] }> {
  const file = await writeSpec(dir, `spec-${specCount++}.${format}`, format === 'yaml' ? stringify(spec) : JSON.stringify(spec));
  const loaded = await loadSpec(file);
  const { model, warnings: modelWarnings } = buildModel(loaded);
  const config = configIncluding(model.operations);
  const { decisions } = selectTools({ model, config });
  const { catalog, warnings } = buildCatalog({ model, decisions, configFile: config.file });
  const problems = checkCatalog(catalog, sdkAjv());
  expect(problems).toStrictEqual([]);
  return { catalog, warnings: [...loaded.warnings, ...modelWarnings, ...warnings] };
}

function toolOf(catalog: ToolCatalog, name: string): CatalogTool {
  const tool = catalog.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}; tools: ${catalog.tools.map((candidate) => candidate.name).join(', ')}`);
  return tool;
}

function requestOf(catalog: ToolCatalog, name: string, args: Record<string, unknown>): HttpRequest {
  return buildRequest({ tool: toolOf(catalog, name), args, baseUrl: catalog.server.defaultBaseUrl ?? 'https://api.example.com', credentials: {} });
}

/** The parts of a multipart body, as name → text or `{ type, bytes }` for files. */
async function partsOf(body: HttpRequest['body']): Promise<Record<string, unknown>> {
  expect(body).toBeInstanceOf(FormData);
  const parts: Record<string, unknown> = {};
  for (const [name, value] of (body as FormData).entries()) {
    parts[name] = typeof value === 'string' ? value : { type: value.type, filename: (value as File).name, text: Buffer.from(await value.arrayBuffer()).toString('utf8') };
  }
  return parts;
}

describe('Swagger 2.0', () => {
  const files = {
    swagger: '2.0',
    info: { title: 'Files', version: '1' },
    host: 'files.example.com',
    basePath: '/api/',
    schemes: ['http', 'https'],
    consumes: ['application/json', 'application/xml'],
    paths: {
      '/files/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
        put: {
          operationId: 'replaceFile',
          parameters: [
            { name: 'payload', in: 'body', required: true, schema: { $ref: '#/definitions/File' } },
            { name: 'If-Match', in: 'header', type: 'string' },
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
      '/files': {
        get: {
          operationId: 'listFiles',
          parameters: [
            { name: 'tags', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
            { name: 'ids', in: 'query', type: 'array', items: { type: 'integer' } },
            { name: 'words', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'ssv' },
            { name: 'flags', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
            { name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: 100, exclusiveMaximum: true, default: 20 },
          ],
          responses: { '200': { description: 'ok', schema: { type: 'array', items: { $ref: '#/definitions/File' } } } },
        },
      },
      '/upload': {
        post: {
          operationId: 'uploadFile',
          consumes: ['multipart/form-data'],
          parameters: [
            { name: 'file', in: 'formData', type: 'file', required: true, description: 'The file.' },
            { name: 'note', in: 'formData', type: 'string' },
          ],
          responses: { '201': { description: 'created' } },
        },
      },
      '/notes': {
        post: {
          operationId: 'addNote',
          consumes: ['application/x-www-form-urlencoded'],
          parameters: [
            { name: 'text', in: 'formData', type: 'string', required: true },
            { name: 'pinned', in: 'formData', type: 'boolean' },
          ],
          responses: { '201': { description: 'created' } },
        },
      },
      '/avatars': {
        post: {
          operationId: 'setAvatar',
          parameters: [{ name: 'image', in: 'formData', type: 'file', required: true }],
          responses: { '204': { description: 'done' } },
        },
      },
    },
    definitions: {
      File: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, size: { type: 'integer', format: 'int64', readOnly: true }, id: { type: 'string' } },
      },
    },
  };

  it('host, basePath and schemes make the default base URL (https preferred, no trailing slash)', async () => {
    const { catalog } = await catalogOf(files);
    expect(catalog.server.defaultBaseUrl).toBe('https://files.example.com/api');
  });

  it('a body parameter whose properties clash with a path parameter stays whole under `body`', async () => {
    const { catalog } = await catalogOf(files);
    const tool = toolOf(catalog, 'replace_file');
    expect(tool.inputSchema.properties).toStrictEqual({
      id: { type: 'string', minLength: 1 },
      'If-Match': { type: 'string' },
      body: { type: 'object', properties: { name: { type: 'string' }, id: { type: 'string' } }, required: ['name'] },
    });
    expect(tool.inputSchema.required).toStrictEqual(['id', 'body']);
    const request = requestOf(catalog, 'replace_file', { id: 'a/b', 'If-Match': 'v1', body: { name: 'n', id: 'x' } });
    expect(request).toStrictEqual({
      method: 'PUT',
      url: 'https://files.example.com/api/files/a%2Fb',
      headers: { 'if-match': 'v1', 'content-type': 'application/json' },
      body: '{"name":"n","id":"x"}',
    });
  });

  it('collectionFormat multi, csv, ssv and pipes; exclusiveMaximum: true becomes the numeric form', async () => {
    const { catalog } = await catalogOf(files);
    const tool = toolOf(catalog, 'list_files');
    expect(tool.inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        ids: { type: 'array', items: { type: 'integer' } },
        words: { type: 'array', items: { type: 'string' } },
        flags: { type: 'array', items: { type: 'string' } },
        limit: { type: 'integer', default: 20, minimum: 1, exclusiveMaximum: 100 },
      },
      additionalProperties: false,
    });
    const request = requestOf(catalog, 'list_files', { tags: ['a', 'b'], ids: [1, 2], words: ['x', 'y'], flags: ['p', 'q'], limit: 5 });
    expect(request.url).toBe('https://files.example.com/api/files?tags=a&tags=b&ids=1,2&words=x%20y&flags=p%7Cq&limit=5');
  });

  it('formData with type: file is a multipart body; the file is a base64 argument sent as bytes', async () => {
    const { catalog } = await catalogOf(files);
    const tool = toolOf(catalog, 'upload_file');
    expect(tool.inputSchema.properties).toStrictEqual({
      file: { type: 'string', description: 'The file. (base64-encoded file contents)', contentEncoding: 'base64' },
      note: { type: 'string' },
    });
    expect(tool.inputSchema.required).toStrictEqual(['file']);
    expect(tool.http.body).toStrictEqual({
      mediaType: 'multipart/form-data',
      encoding: 'multipart',
      required: true,
      properties: [
        { argument: 'file', name: 'file' },
        { argument: 'note', name: 'note' },
      ],
    });
    const request = requestOf(catalog, 'upload_file', { file: Buffer.from('hello').toString('base64'), note: 'n' });
    expect(request.headers['content-type']).toBeUndefined();
    expect(await partsOf(request.body)).toStrictEqual({
      file: { type: 'application/octet-stream', filename: 'file', text: 'hello' },
      note: 'n',
    });
  });

  it('formData without a file is urlencoded when consumes says so', async () => {
    const { catalog } = await catalogOf(files);
    const request = requestOf(catalog, 'add_note', { text: 'hi there', pinned: true });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe('text=hi+there&pinned=true');
  });

  it('formData with a file is multipart even when consumes says nothing', async () => {
    const { catalog } = await catalogOf(files);
    expect(toolOf(catalog, 'set_avatar').http.body?.encoding).toBe('multipart');
  });

  it('without host, no default base URL (the server needs <PREFIX>_BASE_URL)', async () => {
    const { catalog } = await catalogOf({ ...files, host: undefined, basePath: undefined, schemes: undefined });
    expect(catalog.server.defaultBaseUrl).toBeUndefined();
  });

  it('schemes: [http] gives an http base URL; basePath / adds nothing', async () => {
    const { catalog } = await catalogOf({ ...files, schemes: ['http'], basePath: '/' });
    expect(catalog.server.defaultBaseUrl).toBe('http://files.example.com');
  });
});

describe('parameter styles (OpenAPI 3)', () => {
  const parameter = (name: string, location: string, style: string | undefined, explode: boolean | undefined, schema: object) => ({
    name,
    in: location,
    ...(location === 'path' ? { required: true } : {}),
    ...(style ? { style } : {}),
    ...(explode === undefined ? {} : { explode }),
    schema,
  });
  const array = { type: 'array', items: { type: 'integer' } };
  const object = { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'integer' } } };
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Styles', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths: {
      '/m/{a}/{b}/{c}/{d}/{e}/{f}/{g}': {
        get: {
          operationId: 'styles',
          parameters: [
            parameter('a', 'path', 'matrix', false, array),
            parameter('b', 'path', 'matrix', true, object),
            parameter('c', 'path', 'label', false, array),
            parameter('d', 'path', 'label', true, array),
            parameter('e', 'path', 'simple', false, object),
            parameter('f', 'path', 'simple', true, object),
            parameter('g', 'path', undefined, undefined, array),
            parameter('q1', 'query', undefined, undefined, array),
            parameter('q2', 'query', 'form', false, array),
            parameter('q3', 'query', 'spaceDelimited', false, array),
            parameter('q4', 'query', 'pipeDelimited', false, array),
            parameter('q5', 'query', 'deepObject', true, object),
            parameter('q6', 'query', 'form', true, object),
            parameter('q7', 'query', 'form', false, object),
            parameter('h1', 'header', undefined, undefined, array),
            parameter('h2', 'header', 'simple', true, object),
            parameter('h3', 'header', 'simple', false, object),
            parameter('c1', 'cookie', undefined, undefined, { type: 'string' }),
            parameter('c2', 'cookie', 'form', false, array),
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
  const args = {
    a: [1, 2],
    b: { x: 1, y: 2 },
    c: [1, 2],
    d: [1, 2],
    e: { x: 1, y: 2 },
    f: { x: 1, y: 2 },
    g: [3, 4],
    q1: [1, 2],
    q2: [1, 2],
    q3: [1, 2],
    q4: [1, 2],
    q5: { x: 1, y: 2 },
    q6: { x: 1, y: 2 },
    q7: { x: 1, y: 2 },
    h1: [1, 2],
    h2: { x: 1, y: 2 },
    h3: { x: 1, y: 2 },
    c1: 'a b',
    c2: [1, 2],
  };

  it('binds every parameter with its style and explode (defaults: path simple, query form + explode, header simple, cookie form + explode)', async () => {
    const { catalog } = await catalogOf(spec);
    expect(toolOf(catalog, 'styles').http.parameters.map((binding) => `${binding.in} ${binding.name} ${binding.style} ${binding.explode}`)).toStrictEqual([
      'path a matrix false',
      'path b matrix true',
      'path c label false',
      'path d label true',
      'path e simple false',
      'path f simple true',
      'path g simple false',
      'query q1 form true',
      'query q2 form false',
      'query q3 spaceDelimited false',
      'query q4 pipeDelimited false',
      'query q5 deepObject true',
      'query q6 form true',
      'query q7 form false',
      'header h1 simple false',
      'header h2 simple true',
      'header h3 simple false',
      'cookie c1 form true',
      'cookie c2 form false',
    ]);
  });

  it('serializes every style as RFC 6570 and OpenAPI describe', async () => {
    const { catalog } = await catalogOf(spec);
    const request = requestOf(catalog, 'styles', args);
    const url = new URL(request.url);
    expect(url.pathname).toBe('/m/;a=1,2/;x=1;y=2/.1,2/.1.2/x,1,y,2/x=1,y=2/3,4');
    expect(url.search).toBe('?q1=1&q1=2&q2=1,2&q3=1%202&q4=1%7C2&q5%5Bx%5D=1&q5%5By%5D=2&x=1&y=2&q7=x,1,y,2');
    expect(request.headers).toStrictEqual({ h1: '1,2', h2: 'x=1,y=2', h3: 'x,1,y,2', cookie: 'c1=a%20b; c2=1,2' });
  });
});

describe('OpenAPI 3.0 request bodies', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Bodies', version: '1' },
    servers: [{ url: 'https://{region}.api.example.com/{version}', variables: { region: { enum: ['eu', 'us'] }, version: { default: 'v2' } } }],
    paths: {
      '/pets': {
        post: {
          operationId: 'addPet',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
          responses: { '201': { description: 'created' } },
        },
      },
      '/uploads': {
        post: {
          operationId: 'upload',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', format: 'binary' },
                    files: { type: 'array', items: { type: 'string', format: 'binary' } },
                    meta: { type: 'object', properties: { a: { type: 'string' } } },
                  },
                },
              },
              'application/json': { schema: { type: 'object', properties: { url: { type: 'string' } } } },
            },
          },
          responses: { '201': { description: 'created' } },
        },
      },
      '/forms': {
        post: {
          operationId: 'submitForm',
          requestBody: {
            content: {
              'application/x-www-form-urlencoded': {
                schema: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, meta: { type: 'object', properties: { a: { type: 'string' } } } } },
              },
            },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/raw': {
        put: {
          operationId: 'putRaw',
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          responses: { '204': { description: 'done' } },
        },
      },
      '/xml': {
        post: {
          operationId: 'postXml',
          requestBody: { required: true, content: { 'application/xml': { schema: { type: 'object', properties: { a: { type: 'string' } } } } } },
          responses: { '204': { description: 'done' } },
        },
      },
      '/bulk': {
        post: {
          operationId: 'bulk',
          requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'array', items: { type: 'object' } } } } },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/choice/{kind}': {
        post: {
          operationId: 'choose',
          parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            description: 'A dog or a cat.',
            content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Dog' }, { $ref: '#/components/schemas/Cat' }], discriminator: { propertyName: 'kind' } } } },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/nothing': { get: { operationId: 'ping', responses: { '204': { description: 'pong' } } } },
    },
    components: {
      schemas: {
        NewPet: {
          type: 'object',
          required: ['name', 'id'],
          properties: {
            id: { type: 'integer', readOnly: true },
            name: { type: 'string', example: 'Rex' },
            age: { type: 'integer', minimum: 0, exclusiveMinimum: true, nullable: true },
            microchip: { type: 'string', writeOnly: true },
            status: { type: 'string', enum: ['a', 'b'], nullable: true },
          },
        },
        Dog: { type: 'object', properties: { kind: { type: 'string' }, barks: { type: 'boolean' } } },
        Cat: { type: 'object', properties: { kind: { type: 'string' }, meows: { type: 'boolean' } } },
      },
    },
  };

  it('server variables take their default, or their first enum value', async () => {
    const { catalog } = await catalogOf(spec);
    expect(catalog.server.defaultBaseUrl).toBe('https://eu.api.example.com/v2');
  });

  it('a JSON object body is lifted into arguments: nullable, exclusive bounds, example, readOnly translated', async () => {
    const { catalog } = await catalogOf(spec);
    expect(toolOf(catalog, 'add_pet').inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        name: { type: 'string', examples: ['Rex'] },
        age: { type: ['integer', 'null'], exclusiveMinimum: 0 },
        microchip: { type: 'string' },
        status: { type: ['string', 'null'], enum: ['a', 'b', null] },
      },
      required: ['name'],
      additionalProperties: false,
    });
    const request = requestOf(catalog, 'add_pet', { name: 'Rex', age: null, microchip: 's' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body as string)).toStrictEqual({ name: 'Rex', age: null, microchip: 's' });
  });

  it('when a body offers JSON and multipart, JSON is used', async () => {
    const { catalog } = await catalogOf(spec);
    expect(toolOf(catalog, 'upload').http.body?.mediaType).toBe('application/json');
  });

  it('a multipart body: binary parts are base64 arguments sent as file parts, objects as JSON parts', async () => {
    const multipartOnly = structuredClone(spec) as typeof spec;
    delete (multipartOnly.paths['/uploads'].post.requestBody.content as Record<string, unknown>)['application/json'];
    const { catalog } = await catalogOf(multipartOnly);
    const tool = toolOf(catalog, 'upload');
    expect(tool.inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        file: { type: 'string', contentEncoding: 'base64' },
        files: { type: 'array', items: { type: 'string', contentEncoding: 'base64' } },
        meta: { type: 'object', properties: { a: { type: 'string' } } },
      },
      required: ['file'],
      additionalProperties: false,
    });
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    const request = requestOf(catalog, 'upload', { file: base64('one'), files: [base64('two'), base64('three')], meta: { a: 'x' } });
    const parts: [string, unknown][] = [];
    for (const [name, value] of (request.body as FormData).entries()) {
      parts.push([name, typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer()).toString('utf8')]);
    }
    expect(parts).toStrictEqual([
      ['file', 'one'],
      ['files', 'two'],
      ['files', 'three'],
      ['meta', '{"a":"x"}'],
    ]);
  });

  it('an urlencoded body: arrays repeat their name, objects use brackets', async () => {
    const { catalog } = await catalogOf(spec);
    const request = requestOf(catalog, 'submit_form', { name: 'a b', tags: ['x', 'y'], meta: { a: '1' } });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe('name=a+b&tags=x&tags=y&meta%5Ba%5D=1');
  });

  it('an octet-stream body is one base64 argument, sent as the bytes', async () => {
    const { catalog } = await catalogOf(spec);
    const tool = toolOf(catalog, 'put_raw');
    expect(tool.inputSchema.properties).toStrictEqual({ body: { type: 'string', contentEncoding: 'base64' } });
    const request = requestOf(catalog, 'put_raw', { body: Buffer.from([0, 1, 2, 255]).toString('base64') });
    expect(request.headers['content-type']).toBe('application/octet-stream');
    expect([...(request.body as Uint8Array)]).toStrictEqual([0, 1, 2, 255]);
  });

  it('an XML or NDJSON body is a string the model writes, sent as it is', async () => {
    const { catalog } = await catalogOf(spec);
    expect(toolOf(catalog, 'post_xml').inputSchema.properties).toStrictEqual({
      body: { type: 'string', description: '(the request body, written as application/xml)' },
    });
    expect(requestOf(catalog, 'post_xml', { body: '<a>1</a>' })).toMatchObject({ headers: { 'content-type': 'application/xml' }, body: '<a>1</a>' });
    const ndjson = '{"index":{}}\n{"a":1}\n';
    expect(requestOf(catalog, 'bulk', { body: ndjson })).toMatchObject({ headers: { 'content-type': 'application/x-ndjson' }, body: ndjson });
  });

  it('a root oneOf body goes under a `body` argument, each branch pinned by the discriminator', async () => {
    const { catalog } = await catalogOf(spec);
    const tool = toolOf(catalog, 'choose');
    expect(tool.inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        kind: { type: 'string', minLength: 1 },
        body: {
          description: 'A dog or a cat.',
          oneOf: [
            { type: 'object', properties: { kind: { type: 'string', const: 'Dog' }, barks: { type: 'boolean' } }, required: ['kind'] },
            { type: 'object', properties: { kind: { type: 'string', const: 'Cat' }, meows: { type: 'boolean' } }, required: ['kind'] },
          ],
        },
      },
      required: ['kind', 'body'],
      additionalProperties: false,
    });
    const request = requestOf(catalog, 'choose', { kind: 'k', body: { kind: 'Cat', meows: true } });
    expect(request.body).toBe('{"kind":"Cat","meows":true}');
  });

  it('no parameters and no body: an empty object schema that allows nothing else', async () => {
    const { catalog } = await catalogOf(spec);
    expect(toolOf(catalog, 'ping').inputSchema).toStrictEqual({ type: 'object', properties: {}, additionalProperties: false });
  });
});

describe('OpenAPI 3.1 and recursion', () => {
  const spec = {
    openapi: '3.1.0',
    info: { title: 'Trees', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths: {
      '/trees': {
        post: {
          operationId: 'plantTree',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['root'],
                  properties: {
                    root: { $ref: '#/components/schemas/Node' },
                    kind: { const: 'tree' },
                    height: { type: ['number', 'null'], examples: [1.5] },
                  },
                },
              },
            },
          },
          responses: { '201': { description: 'planted' } },
        },
      },
    },
    components: {
      schemas: {
        Node: {
          type: 'object',
          properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
        },
      },
    },
  };

  it('type arrays, const and examples pass through; a recursive schema becomes a local $defs entry at the root', async () => {
    const { catalog } = await catalogOf(spec);
    expect(toolOf(catalog, 'plant_tree').inputSchema).toStrictEqual({
      type: 'object',
      properties: {
        root: { $ref: '#/$defs/Node' },
        kind: { const: 'tree' },
        height: { type: ['number', 'null'], examples: [1.5] },
      },
      required: ['root'],
      additionalProperties: false,
      $defs: {
        Node: { type: 'object', properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } },
      },
    });
  });
});

describe('argument names', () => {
  const spec = (parameters: object[]) => ({
    openapi: '3.0.3',
    info: { title: 'Clash', version: '1' },
    paths: { '/items/{id}': { get: { operationId: 'getItem', parameters, responses: { '200': { description: 'ok' } } } } },
  });
  const parameters = [
    { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    { name: 'id', in: 'query', schema: { type: 'integer' } },
    { name: 'id', in: 'header', schema: { type: 'string' } },
    { name: 'filter[status]', in: 'query', schema: { type: 'string' } },
    { name: 'filter_status', in: 'cookie', schema: { type: 'string' } },
  ];

  it('resolve clashes between locations by a rule that does not depend on the order of parameters', async () => {
    const forward = toolOf((await catalogOf(spec(parameters))).catalog, 'get_item').http.parameters;
    const backward = toolOf((await catalogOf(spec([...parameters].reverse()))).catalog, 'get_item').http.parameters;
    const names = (bindings: typeof forward) => Object.fromEntries(bindings.map((binding) => [`${binding.in} ${binding.name}`, binding.argument]));
    expect(names(forward)).toStrictEqual({
      'path id': 'id',
      'query id': 'query_id',
      'header id': 'header_id',
      'query filter[status]': 'query_filter_status',
      'cookie filter_status': 'filter_status',
    });
    expect(names(backward)).toStrictEqual(names(forward));
  });
});

describe('request bodies on GET', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Search', version: '1' },
    paths: {
      '/search': {
        get: {
          operationId: 'search',
          parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { query: { type: 'object' } } } } } },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/charges': {
        get: {
          operationId: 'listCharges',
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: {}, additionalProperties: false } } } },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };

  it('are left out (fetch cannot send them), with a warning unless the body is optional and empty (as Stripe declares)', async () => {
    const { catalog, warnings } = await catalogOf(spec);
    expect(toolOf(catalog, 'search').inputSchema.properties).toStrictEqual({ q: { type: 'string' } });
    expect(toolOf(catalog, 'search').http.body).toBeUndefined();
    expect(toolOf(catalog, 'list_charges').http.body).toBeUndefined();
    expect(warnings.filter((warning) => warning.code === 'body')).toMatchObject([
      {
        pointer: '/paths/~1search/get/requestBody/content/application~1json/schema',
        message: 'GET /search: a GET request cannot carry a body over fetch; the request body is left out of the tool',
      },
    ]);
  });
});

