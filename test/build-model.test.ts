import { describe, expect, it } from 'vitest';
import type { LoadedSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';

function spec(version: LoadedSpec['version'], document: Record<string, unknown>): LoadedSpec {
  return { source: 'spec.yaml', version, document, warnings: [] };
}

describe('buildModel: Swagger 2.0', () => {
  const swagger = spec('2.0', {
    swagger: '2.0',
    info: { title: 'Files', version: '2' },
    host: 'files.example.com',
    basePath: '/api',
    schemes: ['http', 'https'],
    consumes: ['application/json'],
    securityDefinitions: { key: { type: 'apiKey', in: 'query', name: 'api_key' }, basic: { type: 'basic' } },
    security: [{ key: [] }],
    paths: {
      '/files/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
        put: {
          operationId: 'replaceFile',
          parameters: [{ name: 'payload', in: 'body', required: true, schema: { $ref: '#/definitions/File' } }],
          responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/File' } } },
        },
      },
      '/upload': {
        post: {
          consumes: ['multipart/form-data'],
          security: [{ basic: [] }],
          parameters: [
            { name: 'file', in: 'formData', type: 'file', required: true },
            { name: 'note', in: 'formData', type: 'string' },
            { name: 'ids', in: 'query', type: 'array', items: { type: 'integer' }, collectionFormat: 'multi' },
            { name: 'names', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
          ],
          responses: { '201': { description: 'created' } },
        },
      },
    },
    definitions: { File: { type: 'object', properties: { name: { type: 'string' } } } },
  });

  it('maps host, basePath and schemes to a server, preferring https', () => {
    expect(buildModel(swagger).model.servers).toStrictEqual([{ url: 'https://files.example.com/api' }]);
  });

  it('keeps path-level parameters and turns the body parameter into a request body', () => {
    const operation = buildModel(swagger).model.operations.find((op) => op.operationId === 'replaceFile')!;
    expect(operation.key).toBe('PUT /files/{id}');
    expect(operation.parameters.map((p) => [p.name, p.in, p.required, p.style, p.explode])).toStrictEqual([['id', 'path', true, 'simple', false]]);
    expect(operation.requestBody).toStrictEqual({
      required: true,
      description: undefined,
      contents: [{ mediaType: 'application/json', schema: { $ref: '#/definitions/File' }, pointer: '/paths/~1files~1{id}/put/parameters/0/schema' }],
    });
    expect(operation.responses[0]!.contents[0]!.schema).toStrictEqual({ $ref: '#/definitions/File' });
    expect(operation.security).toStrictEqual([[{ scheme: 'key', scopes: [] }]]);
  });

  it('turns formData parameters into a multipart body and collectionFormat into styles', () => {
    const operation = buildModel(swagger).model.operations.find((op) => op.key === 'POST /upload')!;
    expect(operation.requestBody).toStrictEqual({
      required: true,
      contents: [
        {
          mediaType: 'multipart/form-data',
          schema: { type: 'object', properties: { file: { type: 'file' }, note: { type: 'string' } }, required: ['file'] },
          pointer: '/paths/~1upload/post/parameters/0',
        },
      ],
    });
    expect(operation.parameters.map((p) => [p.name, p.style, p.explode])).toStrictEqual([
      ['ids', 'form', true],
      ['names', 'pipeDelimited', false],
    ]);
    expect(operation.security).toStrictEqual([[{ scheme: 'basic', scopes: [] }]]);
  });

  it('maps security definitions', () => {
    expect(buildModel(swagger).model.securitySchemes).toStrictEqual({
      key: { name: 'key', type: 'apiKey', in: 'query', parameterName: 'api_key', description: undefined },
      basic: { name: 'basic', type: 'http', scheme: 'basic', description: undefined },
    });
  });
});

describe('buildModel: OpenAPI 3', () => {
  const openapi = spec('3.0', {
    openapi: '3.0.3',
    info: { title: 'Shop', version: '1' },
    servers: [{ url: 'https://{region}.shop.example.com/{base}', variables: { region: { default: 'eu' }, base: { default: 'v1' } } }],
    paths: {
      '/items': {
        parameters: [{ $ref: '#/components/parameters/Limit' }],
        get: {
          operationId: 'listItems',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 10 } },
            { name: 'filter', in: 'query', style: 'deepObject', schema: { type: 'object' } },
            { name: 'session', in: 'cookie', schema: { type: 'string' } },
          ],
          responses: { '200': { $ref: '#/components/responses/Items' } },
        },
      },
    },
    components: {
      parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer' } } },
      responses: { Items: { description: 'items', content: { 'application/json': { schema: { type: 'array' } } } } },
    },
  });

  it('substitutes server variables with their defaults', () => {
    expect(buildModel(openapi).model.servers).toStrictEqual([{ url: 'https://eu.shop.example.com/v1', description: undefined }]);
  });

  it('lets operation parameters override path-level ones and applies style defaults', () => {
    const operation = buildModel(openapi).model.operations[0]!;
    expect(operation.parameters.map((p) => [p.name, p.in, p.style, p.explode, p.schema])).toStrictEqual([
      ['limit', 'query', 'form', true, { type: 'integer', maximum: 10 }],
      ['filter', 'query', 'deepObject', false, { type: 'object' }],
      ['session', 'cookie', 'form', true, { type: 'string' }],
    ]);
  });

  it('resolves response references', () => {
    const operation = buildModel(openapi).model.operations[0]!;
    expect(operation.responses).toStrictEqual([
      { status: '200', description: 'items', contents: [{ mediaType: 'application/json', schema: { type: 'array' }, pointer: '/paths/~1items/get/responses/200/content/application~1json/schema' }] },
    ]);
  });

  it('warns about a dangling reference instead of failing', () => {
    const broken = spec('3.0', {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/Missing' }], responses: {} } } },
    });
    const { model, warnings } = buildModel(broken);
    expect(model.operations).toHaveLength(1);
    expect(warnings[0]!.message).toContain('#/components/parameters/Missing');
  });
});

describe('buildModel: servers', () => {
  const openapi = (servers: unknown, extra: Record<string, unknown> = {}) =>
    spec('3.0', { openapi: '3.0.3', info: { title: 'x', version: '1' }, servers, paths: {}, ...extra });

  it('uses the first enum value of a variable without a default', () => {
    const { model, warnings } = buildModel(openapi([{ url: 'https://{region}.example.com/{v}', variables: { region: { enum: ['eu', 'us'] }, v: { default: 'v1' } } }]));
    expect(model.servers).toStrictEqual([{ url: 'https://eu.example.com/v1', description: undefined }]);
    expect(warnings).toStrictEqual([]);
  });

  it('leaves out a server whose variable has no value, with a warning that names it', () => {
    const { model, warnings } = buildModel(openapi([{ url: 'https://{tenant}.example.com' }, { url: 'https://api.example.com' }]));
    expect(model.servers.map((server) => server.url)).toStrictEqual(['https://api.example.com']);
    expect(warnings).toMatchObject([{ code: 'model', pointer: '/servers/0', message: 'server "https://{tenant}.example.com" has no default for {tenant}; it is not used' }]);
  });

  it('resolves a relative server URL against the URL the spec was read from', () => {
    const fromUrl = { ...openapi([{ url: '/api/v3' }]), source: 'https://petstore.example.com/specs/openapi.json' };
    expect(buildModel(fromUrl).model.servers).toStrictEqual([{ url: 'https://petstore.example.com/api/v3', description: undefined }]);
    expect(buildModel(openapi([{ url: '/api/v3' }])).model.servers).toStrictEqual([{ url: '/api/v3', description: undefined }]);
  });

  it('takes the host of the spec URL for a Swagger 2.0 document without host', () => {
    const swagger = { ...spec('2.0', { swagger: '2.0', info: { title: 'x', version: '1' }, basePath: '/v2', paths: {} }), source: 'http://petstore.example.com/swagger.json' };
    expect(buildModel(swagger).model.servers).toStrictEqual([{ url: 'http://petstore.example.com/v2' }]);
  });

  it('records the servers of an operation that declares its own (its tool gets its own base URL)', () => {
    const { warnings, model } = buildModel(
      openapi([{ url: 'https://api.example.com' }], {
        paths: {
          '/files': { post: { servers: [{ url: 'https://files.example.com' }], responses: {} } },
          '/same': { get: { servers: [{ url: 'https://api.example.com' }], responses: {} } },
        },
      }),
    );
    expect(warnings).toStrictEqual([]);
    expect(model.operations.map((operation) => [operation.key, operation.servers])).toStrictEqual([
      ['POST /files', [{ url: 'https://files.example.com', description: undefined }]],
      ['GET /same', undefined],
    ]);
  });
});
