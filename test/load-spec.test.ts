import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { loadSpec } from '../src/load/load-spec.js';
import { corpusDir, hasCorpus, repoRoot, tempDir, writeSpec } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function loadError(name: string, text: string): Promise<UserError['diagnostic']> {
  const file = await writeSpec(dir, name, text);
  try {
    await loadSpec(file);
  } catch (error) {
    if (error instanceof UserError) return error.diagnostic;
    throw error;
  }
  throw new Error('expected an error');
}

describe('loadSpec', () => {
  it('loads the petstore example (OpenAPI 3.0 YAML) without warnings', async () => {
    const spec = await loadSpec(path.join(repoRoot, 'examples/petstore/openapi.yaml'));
    expect(spec.version).toBe('3.0');
    expect(spec.warnings).toStrictEqual([]);
    expect(Object.keys(spec.document.paths as object)).toContain('/pets/{petId}');
  });

  it('reports a YAML syntax error with its line', async () => {
    const error = await loadError('broken.yaml', 'openapi: 3.0.0\ninfo:\n  title: [x\npaths: {}\n');
    expect(error.code).toBe('spec-syntax');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^invalid YAML/);
  });

  it('reports a JSON syntax error with its line', async () => {
    const error = await loadError('broken.json', '{\n  "openapi": "3.0.0",\n  "info": {,\n}');
    expect(error.code).toBe('spec-syntax');
    expect(error.line).toBe(3);
  });

  it('refuses a document that is not OpenAPI, saying what it expects', async () => {
    const error = await loadError('other.yaml', 'name: not a spec\n');
    expect(error.code).toBe('spec-not-openapi');
    expect(error.message).toBe('no `openapi` or `swagger` field at the root');
    expect(error.help).toContain('swagger: "2.0"');
  });

  it('refuses a missing file', async () => {
    await expect(loadSpec(path.join(dir, 'nope.yaml'))).rejects.toThrow('no such file');
  });

  it('refuses a $ref to a file that does not exist', async () => {
    const error = await loadError(
      'external.yaml',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: ./missing.yaml#/r\n',
    );
    expect(error.code).toBe('spec-unresolvable');
    expect(error.pointer).toBe('/paths/~1a/get/responses/200');
    expect(error.line).toBe(8);
    expect(error.message).toContain('"./missing.yaml#/r"');
    expect(error.message).toContain('no such file');
  });

  it('refuses a $ref that is neither a pointer, a path nor a URL, naming where it is', async () => {
    const error = await loadError(
      'bad-ref.yaml',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "http://[::1"\n',
    );
    expect(error).toMatchObject({ code: 'spec-unresolvable', pointer: '/paths/~1a/get/responses/200', line: 8 });
    expect(error.message).toBe('cannot resolve $ref "http://[::1": not a valid file path or URL');
  });

  it('loads an invalid but usable spec with warnings that name the pointer and line', async () => {
    const file = await writeSpec(
      dir,
      'invalid.yaml',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          content: {}\n',
    );
    const spec = await loadSpec(file);
    expect(spec.warnings.length).toBeGreaterThan(0);
    expect(spec.warnings[0]).toMatchObject({ code: 'spec-invalid', pointer: '/paths/~1a/get/responses/200', line: 7 });
    expect(spec.warnings[0]!.message).toContain('description');
  });

  it.skipIf(!hasCorpus)('loads a Swagger 2.0 corpus spec that fails strict validation, with warnings', async () => {
    const spec = await loadSpec(path.join(corpusDir, 'github/gh-docusign__rooms-v2.json'));
    expect(spec.version).toBe('2.0');
    expect(spec.warnings.length).toBeGreaterThan(0);
  });
});

describe('loadSpec: bundling $refs', () => {
  it('bundles external files under one key, rewriting every reference to a local pointer', async () => {
    const { dir: root, cleanup: remove } = await tempDir('toolwright-bundle-');
    try {
      await mkdir(path.join(root, 'schemas'));
      await writeSpec(root, 'schemas/pet.yaml', [
        'Pet:',
        '  type: object',
        '  properties:',
        '    tag: {$ref: "#/Tag"}',
        '    id: {$ref: "./common.yaml#/Id"}',
        '    error: {$ref: "../api.yaml#/components/schemas/Error"}',
        'Tag: {type: string}',
        '',
      ].join('\n'));
      await writeSpec(root, 'schemas/common.yaml', 'Id: {type: integer, minimum: 1}\n');
      const entry = await writeSpec(root, 'api.yaml', [
        'openapi: 3.0.3',
        'info: {title: t, version: "1"}',
        'paths:',
        '  /pets:',
        '    get:',
        '      responses:',
        '        "200":',
        '          description: ok',
        '          content:',
        '            application/json:',
        '              schema: {$ref: "schemas/pet.yaml#/Pet"}',
        'components:',
        '  schemas:',
        '    Error: {type: object, properties: {message: {type: string}}}',
        '',
      ].join('\n'));
      const spec = await loadSpec(entry);
      expect(spec.warnings).toStrictEqual([]);
      const document = spec.document as any;
      expect(Object.keys(document['x-toolwright-bundled'])).toStrictEqual(['schemas/common.yaml', 'schemas/pet.yaml']);
      expect(document.paths['/pets'].get.responses['200'].content['application/json'].schema).toStrictEqual({
        $ref: '#/x-toolwright-bundled/schemas~1pet.yaml/Pet',
      });
      expect(document['x-toolwright-bundled']['schemas/pet.yaml'].Pet.properties).toStrictEqual({
        tag: { $ref: '#/x-toolwright-bundled/schemas~1pet.yaml/Tag' },
        id: { $ref: '#/x-toolwright-bundled/schemas~1common.yaml/Id' },
        error: { $ref: '#/components/schemas/Error' },
      });
    } finally {
      await remove();
    }
  });

  it('warns about a $ref that points at nothing, with its pointer and line, and treats it as an empty schema', async () => {
    const file = await writeSpec(
      dir,
      'dangling.yaml',
      [
        'openapi: 3.0.3',
        'info: {title: t, version: "1"}',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Pet:',
        '      type: object',
        '      properties:',
        '        owner:',
        '          description: The owner.',
        '          $ref: "#/components/schemas/Missing"',
        '',
      ].join('\n'),
    );
    const spec = await loadSpec(file);
    expect(spec.warnings).toStrictEqual([
      {
        code: 'spec-ref',
        file,
        pointer: '/components/schemas/Pet/properties/owner',
        line: 11,
        message: '$ref "#/components/schemas/Missing" points at nothing; it is treated as an empty schema',
        help: 'Fix the reference in the spec; Toolwright treats it as an empty schema (any value) meanwhile.',
      },
    ]);
    expect((spec.document as any).components.schemas.Pet.properties.owner).toStrictEqual({ description: 'The owner.' });
  });

  it('leaves $refs inside literal values (default, example, enum, extensions) alone', async () => {
    const file = await writeSpec(
      dir,
      'literal.yaml',
      [
        'openapi: 3.0.3',
        'info: {title: t, version: "1"}',
        'paths: {}',
        'x-notes: {$ref: "./nowhere.yaml"}',
        'components:',
        '  schemas:',
        '    Page:',
        '      type: object',
        '      default: {$ref: "index.html"}',
        '      example: {$ref: "#/nowhere"}',
        '      properties:',
        '        default: {type: string}',
        '        kind: {type: object, enum: [{$ref: "#/a"}]}',
        '',
      ].join('\n'),
    );
    const spec = await loadSpec(file);
    expect(spec.warnings).toStrictEqual([]);
    const page = (spec.document as any).components.schemas.Page;
    expect(page.default).toStrictEqual({ $ref: 'index.html' });
    expect(page.example).toStrictEqual({ $ref: '#/nowhere' });
    expect(page.properties.kind.enum).toStrictEqual([{ $ref: '#/a' }]);
  });

  it.skipIf(!hasCorpus)('bundles a multi-file corpus spec without losing a reference (OpenSearch, 22 files)', async () => {
    const spec = await loadSpec(path.join(corpusDir, 'github/gh-opensearch__spec/namespaces/cluster.yaml'));
    expect(spec.warnings.filter((warning) => warning.code === 'spec-ref')).toStrictEqual([]);
    expect(Object.keys((spec.document as any)['x-toolwright-bundled']).length).toBeGreaterThan(10);
  });
});


describe('loadSpec: validation', () => {
  const invalid = {
    '2.0': 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, type: string}]\n      responses:\n        "200": {}\n',
    '3.0': 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          content: {}\n',
    '3.1': 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          content: {}\n      parameters: [{name: q, in: nowhere}]\n',
  };

  it.each(Object.entries(invalid))('the OpenAPI %s schema compiled at build time finds what swagger-parser finds', async (version, text) => {
    const built = (await import(path.join(repoRoot, 'dist/src/load/load-spec.js'))) as typeof import('../src/load/load-spec.js');
    const file = await writeSpec(dir, `invalid-${version}.yaml`, text);
    const fromSources = await loadSpec(file);
    expect(fromSources.warnings.length).toBeGreaterThan(0);
    expect((await built.loadSpec(file)).warnings).toStrictEqual(fromSources.warnings);
  });

  it('checks a component once, where it is, and reports its line', async () => {
    const file = await writeSpec(
      dir,
      'invalid-component.yaml',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {$ref: "#/components/responses/Bad"}}\n  /b:\n    get:\n      responses: {"200": {$ref: "#/components/responses/Bad"}}\ncomponents:\n  responses:\n    Bad:\n      content: {}\n',
    );
    const { warnings } = await loadSpec(file);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'spec-invalid', pointer: '/components/responses/Bad', line: 12 });
  });

  it('runs the Swagger 2.0 checks through $refs: a path parameter must be in the path', async () => {
    const file = await writeSpec(
      dir,
      'stray-path-parameter.yaml',
      'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a/{id}:\n    get:\n      parameters: [{$ref: "#/parameters/Other"}]\n      responses: {"200": {description: ok}}\nparameters:\n  Other: {name: other, in: path, required: true, type: string}\n',
    );
    const { warnings } = await loadSpec(file);
    expect(warnings).toMatchObject([{ code: 'spec-invalid', message: expect.stringContaining('has a path parameter named "other"') }]);
  });
});
