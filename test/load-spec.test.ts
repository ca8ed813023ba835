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
