import { describe, expect, it } from 'vitest';
import { describeCredentialVariables, findMissingCredentials, selectCredentials } from '../../templates/runtime/auth.js';
import type { Credentials } from '../../templates/runtime/config.js';
import type { HttpBinding, ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import { buildRequest, RequestError } from '../../templates/runtime/request.js';

function tool(http: Partial<HttpBinding>, properties: ToolDefinition['inputSchema'] = {}): ToolDefinition {
  return {
    name: 'test_tool',
    title: 'Test',
    description: 'Test tool',
    inputSchema: { type: 'object', properties },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    http: { method: 'GET', path: '/', parameters: [], output: { kind: 'none' }, security: [], ...http },
  };
}

const getPet = tool({
  path: '/pets/{petId}',
  parameters: [{ argument: 'petId', in: 'path', name: 'petId', style: 'simple', explode: false }],
});

function build(definition: ToolDefinition, args: { [name: string]: unknown }, baseUrl = 'https://api.example.com', credentials: Credentials = {}) {
  return buildRequest({ tool: definition, args, baseUrl, credentials });
}

describe('URL building', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com/pets/7'],
    ['https://api.example.com/', 'https://api.example.com/pets/7'],
    ['https://api.example.com/v2', 'https://api.example.com/v2/pets/7'],
    ['https://api.example.com/v2/', 'https://api.example.com/v2/pets/7'],
    ['http://127.0.0.1:8080/api/v3', 'http://127.0.0.1:8080/api/v3/pets/7'],
  ])('joins base URL %s and the path', (baseUrl, want) => {
    expect(build(getPet, { petId: 7 }, baseUrl).url).toBe(want);
  });

  it.each([
    ['../admin', 'https://api.example.com/v2/pets/..%2Fadmin'],
    ['a/b?c#d', 'https://api.example.com/v2/pets/a%2Fb%3Fc%23d'],
    ['%2e%2e', 'https://api.example.com/v2/pets/%252e%252e'],
    ['@evil.com', 'https://api.example.com/v2/pets/%40evil.com'],
    ['//evil.com', 'https://api.example.com/v2/pets/%2F%2Fevil.com'],
    ['...', 'https://api.example.com/v2/pets/...'],
  ])('keeps path value %j inside its segment', (petId, want) => {
    const request = build(getPet, { petId }, 'https://api.example.com/v2');
    expect(request.url).toBe(want);
    expect(new URL(request.url).origin).toBe('https://api.example.com');
  });

  it.each(['.', '..'])('refuses %j as a whole path segment', (petId) => {
    expect(() => build(getPet, { petId }, 'https://api.example.com/v2')).toThrow(RequestError);
    expect(() => build(getPet, { petId })).toThrow(/petId: a path value cannot be "\." or "\.\."/);
  });

  it('refuses a label-style value that would make a dot segment', () => {
    const labelled = tool({
      path: '/files/{name}',
      parameters: [{ argument: 'name', in: 'path', name: 'name', style: 'label', explode: false }],
    });
    expect(() => build(labelled, { name: '' })).toThrow(RequestError);
    expect(build(labelled, { name: 'x' }).url).toBe('https://api.example.com/files/.x');
  });

  it('refuses a path template that would leave the base URL', () => {
    expect(() => build(tool({ path: '/../other' }), {}, 'https://api.example.com/v2')).toThrow(/misconfigured/);
    expect(build(tool({ path: '//evil.com/x' }), {}, 'https://api.example.com/v2').url).toBe('https://api.example.com/v2//evil.com/x');
  });

  it('substitutes several path parameters with their styles', () => {
    const definition = tool({
      path: '/a/{id}/b{coords}{tags}',
      parameters: [
        { argument: 'id', in: 'path', name: 'id', style: 'simple', explode: false },
        { argument: 'coords', in: 'path', name: 'coords', style: 'matrix', explode: true },
        { argument: 'tags', in: 'path', name: 'tags', style: 'label', explode: false },
      ],
    });
    expect(build(definition, { id: 'x y', coords: { lat: 1, lon: 2 }, tags: ['p', 'q'] }).url).toBe(
      'https://api.example.com/a/x%20y/b;lat=1;lon=2.p,q',
    );
  });

  it('adds query parameters in binding order and skips absent ones', () => {
    const definition = tool({
      path: '/pets',
      parameters: [
        { argument: 'limit', in: 'query', name: 'limit', style: 'form', explode: true },
        { argument: 'tags', in: 'query', name: 'tag', style: 'form', explode: true },
        { argument: 'sort', in: 'query', name: 'sort', style: 'form', explode: true },
        { argument: 'filter', in: 'query', name: 'filter', style: 'deepObject', explode: true },
      ],
    });
    expect(build(definition, { limit: 10, tags: ['a b', 'c&d'], filter: { kind: 'dog' } }).url).toBe(
      'https://api.example.com/pets?limit=10&tag=a%20b&tag=c%26d&filter%5Bkind%5D=dog',
    );
    expect(build(definition, {}).url).toBe('https://api.example.com/pets');
  });
});

describe('headers and cookies', () => {
  const definition = tool({
    parameters: [
      { argument: 'requestId', in: 'header', name: 'X-Request-ID', style: 'simple', explode: false },
      { argument: 'ids', in: 'header', name: 'X-Ids', style: 'simple', explode: false },
      { argument: 'session', in: 'cookie', name: 'session', style: 'form', explode: true },
      { argument: 'prefs', in: 'cookie', name: 'prefs', style: 'form', explode: false },
    ],
  });

  it('places header and cookie parameters', () => {
    const request = build(definition, { requestId: 'abc', ids: [1, 2], session: 's 1', prefs: ['a', 'b'] });
    expect(request.headers).toStrictEqual({ 'x-request-id': 'abc', 'x-ids': '1,2', cookie: 'session=s%201; prefs=a,b' });
  });

  it('refuses header values with line breaks', () => {
    expect(() => build(definition, { requestId: 'a\r\nx-evil: 1' })).toThrow(/requestId: must contain only printable ASCII/);
  });
});

describe('request bodies', () => {
  const post = (body: HttpBinding['body'], properties: ToolDefinition['inputSchema'] = {}) =>
    tool({ method: 'POST', path: '/things', body }, properties);

  it('assembles a JSON body from properties, sending only the given ones', () => {
    const definition = post(
      { mediaType: 'application/json', encoding: 'json', required: true, properties: [{ argument: 'name', name: 'name' }, { argument: 'petTag', name: 'tag' }, { argument: 'age', name: 'age' }] },
    );
    const request = build(definition, { name: 'Rex', petTag: 'dog' });
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toBe('{"name":"Rex","tag":"dog"}');
  });

  it('sends an empty object for a required body with no properties given, and nothing for an optional one', () => {
    const properties = [{ argument: 'name', name: 'name' }];
    expect(build(post({ mediaType: 'application/json', encoding: 'json', required: true, properties }), {}).body).toBe('{}');
    const optional = build(post({ mediaType: 'application/json', encoding: 'json', required: false, properties }), {});
    expect(optional.body).toBeUndefined();
    expect(optional.headers['content-type']).toBeUndefined();
  });

  it('sends one argument as the whole body, keeping the media type', () => {
    const definition = post({ mediaType: 'application/merge-patch+json', encoding: 'json', required: true, argument: 'body' });
    const request = build(definition, { body: [1, { a: null }] });
    expect(request.body).toBe('[1,{"a":null}]');
    expect(request.headers['content-type']).toBe('application/merge-patch+json');
  });

  it('uses application/json for a wildcard media type', () => {
    const request = build(post({ mediaType: '*/*', encoding: 'json', required: true, argument: 'body' }), { body: { a: 1 } });
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('encodes a form body with repeated keys for arrays and brackets for objects', () => {
    const definition = post({
      mediaType: 'application/x-www-form-urlencoded',
      encoding: 'form',
      required: true,
      properties: [{ argument: 'name', name: 'name' }, { argument: 'tags', name: 'tags' }, { argument: 'meta', name: 'meta' }, { argument: 'n', name: 'n' }],
    });
    const request = build(definition, { name: 'a b&c', tags: ['x', 'y'], meta: { k: 'v' }, n: 1 });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe('name=a+b%26c&tags=x&tags=y&meta%5Bk%5D=v&n=1');
  });

  it('sends text as it is', () => {
    const request = build(post({ mediaType: 'text/plain; charset=utf-8', encoding: 'text', required: true, argument: 'body' }), { body: 'hello' });
    expect(request.body).toBe('hello');
    expect(request.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('builds multipart form data, decoding base64 file fields to blobs', async () => {
    const definition = post(
      {
        mediaType: 'multipart/form-data',
        encoding: 'multipart',
        required: true,
        properties: [{ argument: 'file', name: 'file' }, { argument: 'note', name: 'note' }, { argument: 'meta', name: 'meta' }, { argument: 'tags', name: 'tags' }],
      },
      { file: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png' }, note: { type: 'string' }, meta: { type: 'object' }, tags: { type: 'array' } },
    );
    const request = build(definition, { file: Buffer.from('PNGDATA').toString('base64'), note: 'hi', meta: { a: 1 }, tags: ['x', 'y'] });
    expect(request.headers['content-type']).toBeUndefined();
    const form = request.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    const file = form.get('file') as File;
    expect(file.type).toBe('image/png');
    expect(await file.text()).toBe('PNGDATA');
    expect(form.get('note')).toBe('hi');
    expect(form.get('meta')).toBe('{"a":1}');
    expect(form.getAll('tags')).toStrictEqual(['x', 'y']);
  });

  it('refuses a file field that is not base64', () => {
    const definition = post(
      { mediaType: 'multipart/form-data', encoding: 'multipart', required: true, argument: 'body' },
      { body: { type: 'object', properties: { file: { type: 'string', contentEncoding: 'base64' } } } },
    );
    expect(() => build(definition, { body: { file: 'not base64!' } })).toThrow(/file: must be base64-encoded/);
  });

  it('decodes a base64 binary body', () => {
    const definition = post(
      { mediaType: 'application/octet-stream', encoding: 'binary', required: true, argument: 'content' },
      { content: { type: 'string', contentEncoding: 'base64' } },
    );
    const request = build(definition, { content: Buffer.from([0, 1, 255]).toString('base64') });
    expect(request.body).toStrictEqual(new Uint8Array([0, 1, 255]));
    expect(request.headers['content-type']).toBe('application/octet-stream');
  });
});

describe('pinned values', () => {
  it('always sends a pinned path, query, header and cookie value and ignores an argument of the same name', () => {
    const definition = tool({
      path: '/orgs/{org}/repos',
      parameters: [
        { argument: 'org', in: 'path', name: 'org', style: 'simple', explode: false, value: 'acme/inc' },
        { argument: 'visibility', in: 'query', name: 'visibility', style: 'form', explode: true, value: 'public' },
        { argument: 'types', in: 'query', name: 'type', style: 'form', explode: false, value: ['a', 'b'] },
        { argument: 'version', in: 'header', name: 'X-Api-Version', style: 'simple', explode: false, value: 3 },
        { argument: 'tenant', in: 'cookie', name: 'tenant', style: 'form', explode: true, value: 'blue' },
        { argument: 'limit', in: 'query', name: 'limit', style: 'form', explode: true },
      ],
    });
    const request = build(definition, { org: 'evil', visibility: 'private', limit: 5 });
    expect(request.url).toBe('https://api.example.com/orgs/acme%2Finc/repos?visibility=public&type=a,b&limit=5');
    expect(request.headers).toStrictEqual({ 'x-api-version': '3', cookie: 'tenant=blue' });
  });

  it('sends a pinned null query value as an empty value', () => {
    const definition = tool({ path: '/x', parameters: [{ argument: 'q', in: 'query', name: 'q', style: 'form', explode: true, value: null }] });
    expect(build(definition, {}).url).toBe('https://api.example.com/x?q=');
  });

  it('fills pinned body properties, even when no argument is given, and the argument cannot override them', () => {
    const definition = tool({
      method: 'POST',
      path: '/things',
      body: {
        mediaType: 'application/json',
        encoding: 'json',
        required: false,
        properties: [{ argument: 'name', name: 'name' }, { argument: 'kind', name: 'kind', value: { fixed: true } }],
      },
    });
    expect(build(definition, {}).body).toBe('{"kind":{"fixed":true}}');
    expect(build(definition, { name: 'Rex', kind: 'other' }).body).toBe('{"name":"Rex","kind":{"fixed":true}}');
  });
});

describe('security', () => {
  const credentials: Credentials = {
    headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', value: 'k1' },
    queryKey: { type: 'apiKey', in: 'query', name: 'api_key', value: 'k 2' },
    cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid', value: 'k3' },
    bearer: { type: 'bearer', token: 't0k3n' },
    basic: { type: 'basic', username: 'alice', password: 's3cret' },
  };
  const secured = (security: string[][]) =>
    tool({ path: '/x', security, parameters: [{ argument: 'c', in: 'cookie', name: 'c', style: 'form', explode: true }] });

  it.each([
    [[['headerKey']], { 'x-api-key': 'k1' }, 'https://api.example.com/x'],
    [[['queryKey']], {}, 'https://api.example.com/x?api_key=k%202'],
    [[['cookieKey']], { cookie: 'sid=k3' }, 'https://api.example.com/x'],
    [[['bearer']], { authorization: 'Bearer t0k3n' }, 'https://api.example.com/x'],
    [[['basic']], { authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` }, 'https://api.example.com/x'],
    [[['headerKey', 'bearer']], { 'x-api-key': 'k1', authorization: 'Bearer t0k3n' }, 'https://api.example.com/x'],
    [[], {}, 'https://api.example.com/x'],
  ])('places %j', (security, headers, url) => {
    const request = build(secured(security), {}, 'https://api.example.com', credentials);
    expect(request.headers).toStrictEqual(headers);
    expect(request.url).toBe(url);
  });

  it('merges an API key cookie with cookie parameters', () => {
    expect(build(secured([['cookieKey']]), { c: 'v' }, 'https://api.example.com', credentials).headers.cookie).toBe('c=v; sid=k3');
  });

  it('uses the first alternative whose credentials are all configured', () => {
    const some: Credentials = { bearer: credentials.bearer! };
    expect(selectCredentials([['headerKey'], ['bearer']], some)).toStrictEqual([some.bearer]);
    expect(selectCredentials([['headerKey', 'bearer'], []], some)).toStrictEqual([]);
    expect(selectCredentials([['headerKey']], some)).toBeUndefined();
    expect(selectCredentials([], some)).toStrictEqual([]);
  });

  it('sends without authentication when nothing is configured', () => {
    expect(build(secured([['bearer']]), {}, 'https://api.example.com', {}).headers).toStrictEqual({});
  });

  it('lets credentials override an argument header of the same name', () => {
    const definition = tool({
      security: [['bearer']],
      parameters: [{ argument: 'auth', in: 'header', name: 'Authorization', style: 'simple', explode: false }],
    });
    expect(build(definition, { auth: 'Bearer forged' }, 'https://api.example.com', credentials).headers.authorization).toBe('Bearer t0k3n');
  });
});

describe('missing credentials', () => {
  const serverDefinition: ServerDefinition = {
    name: 'petstore',
    version: '1.0.0',
    envPrefix: 'PETSTORE',
    securitySchemes: {
      key: { type: 'apiKey', in: 'header', name: 'X-Key', env: 'PETSTORE_KEY' },
      login: { type: 'basic', usernameEnv: 'PETSTORE_USER', passwordEnv: 'PETSTORE_PASSWORD' },
    },
  };

  it('names the variables that satisfy each alternative', () => {
    expect(describeCredentialVariables(serverDefinition, [['key'], ['login']])).toBe('set PETSTORE_KEY, or PETSTORE_USER and PETSTORE_PASSWORD');
  });

  it('warns once about the tools whose credentials are missing', () => {
    const tools = [tool({ security: [['key']] }), { ...tool({ security: [] }), name: 'open' }];
    expect(findMissingCredentials(serverDefinition, tools, {})).toBe(
      '1 tool(s) need upstream credentials that are not configured (test_tool); their calls are sent without them and will likely fail with HTTP 401. To fix it, set PETSTORE_KEY.',
    );
    expect(findMissingCredentials(serverDefinition, tools, { key: { type: 'apiKey', in: 'header', name: 'X-Key', value: 'v' } })).toBeUndefined();
  });
});
