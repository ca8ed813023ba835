// Issue 4: the fast tier of the real-world corpus (the whole corpus runs with `npm run corpus`). A handful of
// diverse vendor documents are generated with every operation but DELETE included; every tool name and schema
// is checked as MCP clients and the generated server's validator will check it, and the projects are
// type-checked (in one tsc run, each project compiled with the options of its generated tsconfig).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { selectTools } from '../src/curate/select.js';
import { planFiles } from '../src/emit/plan-files.js';
import { formatDiagnostic } from '../src/errors.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { writeFiles } from '../src/write/write-files.js';
import { checkCatalog, fetchNpmSpecs, generateCorpusSpec, githubSpec } from '../bench/corpus.mjs';
import { hasMarkup } from '../src/curate/plain-text.js';
import { corpusDir, repoRoot, tempDir } from './helpers.js';

/** A fresh instance of the MCP SDK's Ajv 2020 engine, configured as the generated server's (a private field). */
const sdkAjv = () => (new AjvJsonSchemaValidator() as unknown as { ajv: Parameters<typeof checkCatalog>[1] }).ajv;

const stages = { loadSpec, buildModel, selectTools, buildCatalog, planFiles, writeFiles, formatDiagnostic };

/** The fast tier: Swagger 2.0 with formData, OpenAPI 3.1, multi-file circular references, and Stripe. */
const tier = [
  { file: 'gh-slack__web-api-v2.json', why: 'Swagger 2.0, formData parameters everywhere, type arrays', operations: 174 },
  { file: 'gh-docusign__navigator.json', why: 'OpenAPI 3.1: discriminators, nullable, type arrays', operations: 6 },
  { file: 'gh-swaggerparser__circular/circular.yaml', why: 'circular references across five files, no operationIds', operations: 4 },
  { file: 'gh-docusign__esignature-v2.json', why: 'Swagger 2.0 that fails strict validation: dangling $refs', operations: 314 },
  { file: 'gh-stripe__spec3-2023-09.yaml', why: 'OpenAPI 3.0, cyclic everywhere, urlencoded bodies, 468 operations', operations: 468 },
];

const hasCorpus = existsSync(path.join(corpusDir, 'github', 'index.tsv'));

describe.runIf(hasCorpus)('the corpus, fast tier', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  const generated: string[] = [];
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('toolwright-corpus-')));
  afterAll(() => cleanup?.());

  it.each(tier)('$file ($why)', async ({ file, operations }) => {
    const out = path.join(root, file.replace(/\W+/g, '-'));
    const result = await generateCorpusSpec({ file: path.join(corpusDir, 'github', file), out, ajv: sdkAjv(), stages });
    expect(result.message).toBeUndefined();
    expect(result.problems).toStrictEqual([]);
    expect(result.result).toBe('ok');
    expect(result.operations).toBe(operations);
    expect(result.tools).toBeGreaterThan(0);
    generated.push(out);
  }, 120_000);

  it('warns precisely about what is wrong in an invalid but usable spec', async () => {
    const loaded = await loadSpec(path.join(corpusDir, 'github', 'gh-docusign__esignature-v2.json'));
    expect(loaded.warnings).toContainEqual(
      expect.objectContaining({
        code: 'spec-ref',
        pointer: '/definitions/witness/properties/offlineAttributes',
        line: expect.any(Number),
        message: '$ref "#/definitions/offlineAttributes" points at nothing; it is treated as an empty schema',
      }),
    );
  });

  it('type-checks every generated project', async () => {
    expect(generated).toHaveLength(tier.length);
    const { compilerOptions } = JSON.parse(await readFile(path.join(generated[0]!, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    await writeFile(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true, rootDir: '.', outDir: undefined }, include: generated.map((dir) => `${path.basename(dir)}/src`) }),
    );
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit', timeout: 300_000 });
  }, 300_000);
});

// Issue 11: what a model receives is plain text, and every name fits 64 characters behind `mcp__<server>__`.
describe.runIf(hasCorpus)('the corpus, fast tier and GitHub: descriptions and names for a model', () => {
  const files = [...tier.map(({ file }) => path.join(corpusDir, 'github', file)), ...(fetchNpmSpecs([githubSpec]) ?? [])];
  it.each(files)('%s', async (file) => {
    const { model } = buildModel(await loadSpec(file));
    const { decisions } = selectTools({ model });
    const prefix = `mcp__${decisions.server.name}__`;
    expect(prefix.length).toBeLessThanOrEqual(5 + 24 + 2);
    const marked = decisions.operations.filter((decision) => hasMarkup(decision.description) || /<\/?[a-z][a-z0-9]*\b[^>]*>|\]\(/i.test(decision.description));
    expect(marked.map((decision) => `${decision.name}: ${decision.description}`)).toStrictEqual([]);
    const long = decisions.operations.filter((decision) => `${prefix}${decision.name}`.length > 64);
    expect(long.map((decision) => decision.name)).toStrictEqual([]);
    expect(new Set(decisions.operations.map((decision) => decision.name.toLowerCase())).size).toBe(decisions.operations.length);
    const { catalog } = buildCatalog({ model, decisions });
    const markedArguments = catalog.tools.flatMap((tool) => descriptionsIn(tool.inputSchema).filter((text) => hasMarkup(text)).map((text) => `${tool.name}: ${text}`));
    expect(markedArguments).toStrictEqual([]);
  }, 120_000);
});

/** Every `description` inside a schema. */
function descriptionsIn(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(descriptionsIn);
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) => (key === 'description' && typeof value === 'string' ? [value] : descriptionsIn(value)));
}
