import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');
export const githubSpec = 'octokit__api.github.com.json';
const cacheDir = path.join(repoRoot, '.cache', 'npm-corpus');

/**
 * Fetches the named files of the npm part of the corpus (pinned by version and integrity) into
 * `.cache/npm-corpus` and returns their paths; undefined when the shared corpus is not beside the project.
 * @param {string[]} destinations file names as in the fourth column of npm-specs.tsv
 * @returns {string[] | undefined}
 */
export function fetchNpmSpecs(destinations) {
  const script = path.join(corpusDir, 'fetch-npm-specs.sh');
  if (!existsSync(script)) return undefined;
  const files = destinations.map((destination) => path.join(cacheDir, destination));
  if (files.every((file) => existsSync(file))) return files;
  const rows = readFileSync(path.join(corpusDir, 'npm-specs.tsv'), 'utf8')
    .split('\n')
    .filter((row) => destinations.includes(row.split('\t')[3] ?? ''));
  const packages = new Set(rows.map((row) => row.split('\t')[1]));
  const pins = readFileSync(path.join(corpusDir, 'npm-specs.pins'), 'utf8')
    .split('\n')
    .filter((row) => packages.has(row.split('\t')[0]));
  mkdirSync(cacheDir, { recursive: true });
  const manifest = path.join(cacheDir, 'subset.tsv');
  writeFileSync(manifest, `${rows.join('\n')}\n`);
  writeFileSync(path.join(cacheDir, 'subset.pins'), `${pins.join('\n')}\n`);
  execFileSync('bash', [script, cacheDir, manifest], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  return files;
}

/**
 * Every document of the corpus, by its entry file: the GitHub part as `github/index.tsv` lists it and the
 * npm part as `npm-index.tsv` lists it (fetched into `.cache/npm-corpus`); undefined without the corpus.
 * @param {{ npm?: boolean }} [options] `npm: false` leaves out the npm part (nothing is fetched)
 * @returns {{ name: string; part: 'github' | 'npm'; file: string; version: string; operations: number }[] | undefined}
 */
export function listCorpusSpecs({ npm = true } = {}) {
  const githubIndex = path.join(corpusDir, 'github', 'index.tsv');
  if (!existsSync(githubIndex)) return undefined;
  const read = (file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .filter((row) => row.trim())
      .map((row) => row.split('\t'));
  const specs = read(githubIndex).map(([name, , version, , , operations]) => ({
    name,
    part: /** @type {const} */ ('github'),
    file: path.join(corpusDir, 'github', name),
    version,
    operations: Number(operations),
  }));
  if (!npm) return specs;
  const npmRows = read(path.join(corpusDir, 'npm-index.tsv'));
  const destinations = readFileSync(path.join(corpusDir, 'npm-specs.tsv'), 'utf8')
    .split('\n')
    .map((row) => row.split('\t')[3])
    .filter(Boolean);
  fetchNpmSpecs(destinations);
  const seen = new Set();
  for (const [name, , version, , , operations] of npmRows) {
    if (seen.has(name)) continue;
    seen.add(name);
    specs.push({ name, part: 'npm', file: path.join(cacheDir, name), version, operations: Number(operations) });
  }
  return specs;
}

/**
 * A curation config, built in code, that includes every operation whose method is not DELETE (the corpus
 * runs generate "every non-destructive operation"), each by its `METHOD /path` key.
 * @param {{ operations: { key: string; method: string }[] }} model
 */
export function nonDestructiveConfig(model) {
  return {
    file: '(corpus run: every operation but DELETE)',
    server: {},
    newOperations: /** @type {const} */ ('exclude'),
    operations: model.operations
      .filter((operation) => operation.method !== 'DELETE')
      .map((operation) => ({ ref: operation.key, include: true, arguments: {} })),
  };
}

/** Keywords that OpenAPI has and JSON Schema 2020-12 does not; none may reach a tool schema. */
const openApiOnlyKeywords = new Set(['nullable', 'discriminator', 'example', 'xml', 'externalDocs', 'x-nullable']);
const schemaKeywords = ['items', 'contains', 'propertyNames', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'not', 'if', 'then', 'else'];
const schemaListKeywords = ['prefixItems', 'allOf', 'anyOf', 'oneOf'];
const schemaMapKeywords = ['properties', 'patternProperties', 'dependentSchemas', '$defs'];
/** Keywords the Anthropic API refuses at the root of an input schema (it rejects the whole request). */
const rootCombinators = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

/**
 * Calls `visit(schema, pointer)` for a schema and every sub-schema in it (through the 2020-12 applicator
 * keywords only, so a property named `nullable` is not mistaken for the keyword).
 * @param {unknown} schema
 * @param {(schema: Record<string, unknown>, pointer: string) => void} visit
 */
export function walkSchema(schema, visit, pointer = '') {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  visit(/** @type {Record<string, unknown>} */ (schema), pointer);
  const record = /** @type {Record<string, unknown>} */ (schema);
  const escape = (token) => String(token).replace(/~/g, '~0').replace(/\//g, '~1');
  for (const keyword of schemaKeywords) if (keyword in record) walkSchema(record[keyword], visit, `${pointer}/${keyword}`);
  for (const keyword of schemaListKeywords) {
    if (Array.isArray(record[keyword])) record[keyword].forEach((item, index) => walkSchema(item, visit, `${pointer}/${keyword}/${index}`));
  }
  for (const keyword of schemaMapKeywords) {
    const map = record[keyword];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      for (const [name, item] of Object.entries(map)) walkSchema(item, visit, `${pointer}/${keyword}/${escape(name)}`);
    }
  }
}

/**
 * Checks a tool catalog the way MCP clients and the generated server will: names, the shape of every
 * input and output schema, validity against the 2020-12 meta-schema, and that the server's Ajv can
 * compile it. Returns one message per problem (an empty list when all is well).
 * @param {{ tools: { name: string; inputSchema: object; outputSchema?: object }[] }} catalog
 * @param {{ validateSchema(schema: object): unknown; compile(schema: object): unknown; errors?: unknown; removeSchema(schema?: object): unknown }} ajv an Ajv2020 instance configured as the SDK configures it
 * @returns {string[]}
 */
export function checkCatalog(catalog, ajv) {
  const problems = [];
  const seen = new Map();
  for (const tool of catalog.tools) {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) problems.push(`${tool.name}: not a valid tool name`);
    const lower = tool.name.toLowerCase();
    if (seen.has(lower)) problems.push(`${tool.name}: the name is used twice (also by ${seen.get(lower)})`);
    seen.set(lower, tool.name);
    for (const [which, schema] of [['inputSchema', tool.inputSchema], ['outputSchema', tool.outputSchema]]) {
      if (schema === undefined) continue;
      const at = `${tool.name} ${which}`;
      if (schema.type !== 'object') problems.push(`${at}: the root is not type "object"`);
      if (which === 'inputSchema') {
        for (const keyword of rootCombinators) if (keyword in schema) problems.push(`${at}: "${keyword}" at the root`);
      }
      if (ajv.validateSchema(schema) !== true) {
        problems.push(`${at}: not valid JSON Schema 2020-12: ${JSON.stringify(ajv.errors).slice(0, 300)}`);
        continue;
      }
      walkSchema(schema, (node, pointer) => {
        for (const key of Object.keys(node)) {
          if (openApiOnlyKeywords.has(key) || key.startsWith('x-')) problems.push(`${at} at ${pointer || '/'}: OpenAPI-only keyword "${key}"`);
        }
        if (typeof node.$ref === 'string' && !node.$ref.startsWith('#/$defs/')) problems.push(`${at} at ${pointer || '/'}: $ref "${node.$ref}" is not a local $defs reference`);
      });
      try {
        ajv.compile(schema);
        ajv.removeSchema(schema);
      } catch (error) {
        problems.push(`${at}: the server's validator cannot compile it: ${String(error?.message ?? error).split('\n')[0]}`);
      }
    }
  }
  return problems;
}

/**
 * Generates one corpus document with every non-DELETE operation included, checks its catalog with
 * {@link checkCatalog}, and writes the project into `out` (when given). The pipeline stages are passed in,
 * so that tests can run the sources and scripts the build.
 * @param {{
 *   file: string;
 *   out?: string;
 *   ajv: Parameters<typeof checkCatalog>[1];
 *   stages: { loadSpec: Function; buildModel: Function; selectTools: Function; buildCatalog: Function; planFiles: Function; writeFiles: Function; formatDiagnostic: Function };
 * }} options
 * @returns {Promise<{ result: 'ok' | 'refused' | 'failed'; message?: string; operations: number; tools: number; warnings: number; problems: string[]; ms: number; catalog?: any }>}
 */
export async function generateCorpusSpec({ file, out, ajv, stages }) {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let operations = 0;
  try {
    const loaded = await stages.loadSpec(file);
    const { model, warnings: modelWarnings } = stages.buildModel(loaded);
    operations = model.operations.length;
    const config = nonDestructiveConfig(model);
    const { decisions, warnings: curateWarnings } = stages.selectTools({ model, config });
    const { catalog, warnings: catalogWarnings } = stages.buildCatalog({ model, decisions, configFile: config.file });
    const plan = stages.planFiles(catalog);
    if (out) await stages.writeFiles({ plan, outDir: out, force: true });
    const warnings = loaded.warnings.length + modelWarnings.length + curateWarnings.length + catalogWarnings.length;
    const problems = checkCatalog(catalog, ajv);
    const expected = model.operations.filter((operation) => operation.method !== 'DELETE').length;
    if (catalog.tools.length !== expected) problems.push(`${catalog.tools.length} tools for ${expected} non-DELETE operations`);
    return { result: problems.length === 0 ? 'ok' : 'failed', operations, tools: catalog.tools.length, warnings, problems, ms: elapsed(), catalog };
  } catch (error) {
    const user = error?.name === 'UserError' && error.diagnostic;
    return {
      result: user ? 'refused' : 'failed',
      message: user ? stages.formatDiagnostic(error.diagnostic).replace(/\s*\n\s*/g, ' ') : String(error?.stack ?? error),
      operations,
      tools: 0,
      warnings: 0,
      problems: [],
      ms: elapsed(),
    };
  }
}
