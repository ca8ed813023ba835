// Issue 4: hostile spec text cannot break or inject into generated code. A seeded generator builds specs
// whose titles, descriptions, operationIds, parameter names, enum values, property names, tags, security
// scheme names and server URLs are made of comment terminators, backticks, `${`, quotes, backslashes, line
// and paragraph separators, `</script>`, NUL, reserved words and the like. Every spec is generated; every
// catalog is checked; every project is type-checked; one server is built, started over stdio and listed with
// the SDK client, and every string must come back exactly as the catalog (and, where the generator does not
// normalize text, the spec) has it.
import { execFileSync } from 'node:child_process';
import { parseEnv } from 'node:util';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { ToolCatalog } from '../src/catalog/types.js';
import { configIncluding } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { markdownText } from '../src/emit/escape.js';
import { planFiles } from '../src/emit/plan-files.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { writeFiles } from '../src/write/write-files.js';
import { checkCatalog } from '../bench/corpus.mjs';
import { repoRoot, tempDir, writeSpec } from './helpers.js';
import { describeField } from '../src/curate/describe.js';

/** A fresh instance of the MCP SDK's Ajv 2020 engine, configured as the generated server's (a private field). */
const sdkAjv = () => (new AjvJsonSchemaValidator() as unknown as { ajv: Parameters<typeof checkCatalog>[1] }).ajv;

const seed = 20261124;
const cases = 6;
const operationsPerCase = 3;

/** mulberry32: a small, fast, seeded PRNG, so every run builds the same specs. */
function createRandom(initial: number): () => number {
  let state = initial >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostile = [
  '*/',
  '/*',
  '/**',
  '//',
  '`',
  '${',
  '${process.exit(1)}',
  '`; process.exit(1); `',
  '"',
  "'",
  '\\',
  '\\u0000',
  '\\n',
  '\n',
  '\u2028',
  '\u2029',
  '</script>',
  '<script>alert(1)</script>',
  '<!--',
  '-->',
  '\0',
  '\u202e',
  '{{',
  '}}',
  '{{{title}}}',
  '#',
  '|',
  ']]>',
  '$&',
  '%s',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'class',
  'function',
  'delete',
  'await',
  'import',
  'export',
  'default',
  'enum',
  'null',
  'undefined',
  'NaN',
  'eval',
  'require',
  '🦄',
  'ß',
  'é',
  '中文',
];
const words = ['pet', 'list', 'owner', 'get', 'shop', 'item', 'order', 'x'];

/** A security scheme name that tries to add a line itself; its env names come from its words only. */
const oauthScheme = 'oauth\nPETS_BASE_URL=https://evil.example';

/** Pieces that try to add lines, keys, links or HTML to `.env.example` and README.md. */
const injections = [
  '\nNODE_OPTIONS=--require=/tmp/evil.js\n',
  '\r\nPETS_BASE_URL=https://evil.example\r\n',
  '\rX_TOKEN=stolen',
  '\u2028EVIL=1\u2029',
  '\n# ok\nEVIL="',
  '\n"\nEVIL=2',
  '#',
  '=',
  '`',
  '```',
  '<!--',
  '-->',
  '<img src=x onerror=alert(1)>',
  '](javascript:alert(1))',
  '[click](javascript:alert(1))',
  '\n## Heading\n',
  '\n| a | b |\n',
  '&lt;',
  '*',
  '_',
  '\\',
  '\u202e',
  '\u0085',
  '\v',
  '\f',
];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Text made of one to four hostile pieces and words, never empty, never starting or ending with whitespace. */
function hostileText(random: Random, { words: wordCount = 1 } = {}): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let index = 0; index < count; index++) parts.push(random() < 0.7 ? pick(random, hostile) : pick(random, words));
  for (let index = 0; index < wordCount; index++) parts.splice(Math.floor(random() * (parts.length + 1)), 0, pick(random, words));
  return `${pick(random, words)}${parts.join('')}${pick(random, words)}`;
}

/** Text that tries to inject lines, keys, links or HTML into a generated file; starts and ends with a word. */
function injectionText(random: Random): string {
  const parts = [pick(random, words)];
  const count = 1 + Math.floor(random() * 3);
  for (let index = 0; index < count; index++) parts.push(pick(random, injections), random() < 0.5 ? pick(random, hostile) : pick(random, words));
  return `${parts.join('')}${pick(random, words)}`;
}

/** A hostile name that is unique within `taken`. */
function uniqueText(random: Random, taken: Set<string>): string {
  for (;;) {
    const text = hostileText(random);
    if (!taken.has(text)) {
      taken.add(text);
      return text;
    }
  }
}

type Expectation = {
  operationId: string;
  description: string;
  parameters: { name: string; in: string; description: string; enum: string[] }[];
  property: { name: string; description: string };
};

function buildSpec(random: Random, index: number): { spec: Record<string, unknown>; expectations: Expectation[] } {
  const operationIds = new Set<string>();
  const expectations: Expectation[] = [];
  const paths: Record<string, unknown> = {};
  for (let operationIndex = 0; operationIndex < operationsPerCase; operationIndex++) {
    const operationId = uniqueText(random, operationIds);
    const names = new Set<string>();
    const parameters = ['query', 'header', 'path'].map((location) => ({
      name: uniqueText(random, names),
      in: location,
      description: hostileText(random, { words: 2 }),
      enum: [hostileText(random), hostileText(random), hostileText(random)].filter((value, position, all) => all.indexOf(value) === position),
    }));
    const property = { name: uniqueText(random, names), description: hostileText(random, { words: 2 }) };
    const description = hostileText(random, { words: 3 });
    expectations.push({ operationId, description, parameters, property });
    const pathParameter = parameters.find((parameter) => parameter.in === 'path')!;
    paths[`/case${index}/op${operationIndex}/{${pathParameter.name}}`] = {
      post: {
        operationId,
        summary: injectionText(random),
        description,
        tags: [injectionText(random)],
        parameters: parameters.map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          description: parameter.description,
          ...(parameter.in === 'path' ? { required: true } : {}),
          schema: { type: 'string', enum: parameter.enum, default: parameter.enum[0] },
        })),
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                description: hostileText(random),
                properties: { [property.name]: { type: 'string', description: property.description, example: hostileText(random), pattern: '^[^`]*$' } },
              },
            },
          },
        },
        responses: { '200': { description: hostileText(random), content: { 'application/json': { schema: { type: 'object', properties: { [hostileText(random)]: { type: 'string' } } } } } } },
        ...(index > 0 ? { security: [{ [`key ${hostileText(random)}`]: [] }] } : { security: [{ [oauthScheme]: [injectionText(random), injectionText(random)] }] }),
      },
    };
  }
  const schemes: Record<string, unknown> = {};
  for (const operation of Object.values(paths) as { post: { security?: Record<string, string[]>[] } }[]) {
    for (const requirement of operation.post.security ?? []) {
      for (const [name, scopes] of Object.entries(requirement)) {
        schemes[name] =
          name === oauthScheme
            ? {
                type: 'oauth2',
                description: injectionText(random),
                flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: Object.fromEntries(scopes.map((scope) => [scope, injectionText(random)])) } },
              }
            : { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: hostileText(random) };
      }
    }
  }
  return {
    spec: {
      openapi: '3.0.3',
      info: { title: injectionText(random), version: index % 2 === 0 ? `1.0.${index}` : injectionText(random), description: hostileText(random, { words: 4 }) },
      servers: [
        { url: `https://api${index}.example.com/${index % 2 === 0 ? encodeURIComponent(hostileText(random)) : injectionText(random)}`, description: injectionText(random) },
        { url: `https://api.example.com/${hostileText(random)}` },
      ],
      paths,
      ...(Object.keys(schemes).length > 0 ? { components: { securitySchemes: schemes } } : {}),
    },
    expectations,
  };
}

/** The uncommented assignments a .env.example must hold: the base URL when it has no default, and the credentials, empty. */
function activeEnvExample(catalog: ToolCatalog): Record<string, string> {
  const expected: Record<string, string> = {};
  if (!catalog.server.defaultBaseUrl) expected[`${catalog.server.envPrefix}_BASE_URL`] = 'https://api.example.com';
  for (const scheme of Object.values(catalog.server.securitySchemes)) {
    const names =
      scheme.type === 'apiKey'
        ? [scheme.env]
        : scheme.type === 'bearer'
          ? [scheme.env, ...(scheme.clientCredentials ? [scheme.clientCredentials.clientIdEnv, scheme.clientCredentials.clientSecretEnv] : [])]
          : [scheme.usernameEnv, scheme.passwordEnv];
    for (const name of names) expected[name] = '';
  }
  return expected;
}

/** Rows of the Markdown table whose header line starts with `header`. */
function countRows(markdown: string, header: string): number {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  let rows = 0;
  for (let index = start + 2; index < lines.length && lines[index]!.startsWith('|'); index++) rows++;
  return rows;
}

/**
 * A Markdown line as CommonMark reads its inline structure: escaped characters dropped, each code span (a
 * backtick run up to the next run of the same length) replaced by `CODE`; what is left is live syntax.
 */
function liveSyntax(line: string): string {
  let live = '';
  for (let index = 0; index < line.length; ) {
    const character = line[index]!;
    if (character === '\\' && /[!-/:-@[-`{-~]/.test(line[index + 1] ?? '')) {
      index += 2;
      continue;
    }
    if (character === '`') {
      const run = /^`+/.exec(line.slice(index))![0];
      const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
      close.lastIndex = index + run.length;
      const found = close.exec(line);
      if (found) {
        live += 'CODE';
        index = found.index + run.length;
        continue;
      }
      live += run;
      index += run.length;
      continue;
    }
    live += character;
    index++;
  }
  return live;
}

type ListedTool = { name: string; title?: string; description?: string; inputSchema: Record<string, unknown>; outputSchema?: unknown; annotations?: unknown };

describe(`hostile spec text (seed ${seed}, ${cases} specs × ${operationsPerCase} operations)`, () => {
  const random = createRandom(seed);
  const generated: { dir: string; catalog: ToolCatalog; expectations: Expectation[] }[] = [];
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir('toolwright-fuzz-'));
    for (let index = 0; index < cases; index++) {
      const { spec, expectations } = buildSpec(random, index);
      const file = await writeSpec(root, `spec-${index}.json`, JSON.stringify(spec, null, 2));
      const loaded = await loadSpec(file);
      const { model } = buildModel(loaded);
      const config = configIncluding(model.operations);
      const { decisions } = selectTools({ model, config });
      const { catalog } = buildCatalog({ model, decisions, configFile: config.file });
      const dir = path.join(root, `server-${index}`);
      await writeFiles({ plan: planFiles(catalog), outDir: dir });
      generated.push({ dir, catalog, expectations });
    }
  }, 120_000);

  afterAll(() => cleanup?.());

  it('generates valid catalogs: names, root object schemas, 2020-12 meta-schema, compilable', () => {
    expect(generated).toHaveLength(cases);
    for (const { catalog } of generated) {
      expect(catalog.tools).toHaveLength(operationsPerCase);
      expect(checkCatalog(catalog, sdkAjv())).toStrictEqual([]);
    }
  });

  it('keeps every hostile string as data: parameter and property descriptions and enum values are exact', () => {
    for (const { catalog, expectations } of generated) {
      for (const expectation of expectations) {
        const tool = catalog.tools.find((candidate) => candidate.source.operationId === expectation.operationId)!;
        expect(tool, expectation.operationId).toBeDefined();
        // The spec's text is kept exactly for reviewers; what clients get is derived from it as plain text, and
        // argument descriptions are exactly that derivation of the spec's text: nothing added, nothing executed.
        expect(tool.source.description).toContain(expectation.description);
        expect(tool.description.length).toBeGreaterThan(0);
        const properties = tool.inputSchema.properties as Record<string, { description?: string; enum?: string[] }>;
        for (const parameter of expectation.parameters) {
          const binding = tool.http.parameters.find((candidate) => candidate.name === parameter.name && candidate.in === parameter.in)!;
          expect(binding, parameter.name).toBeDefined();
          expect(properties[binding.argument]).toMatchObject({ description: describeField(parameter.description), enum: parameter.enum });
        }
        const bodyProperties = tool.http.body?.argument
          ? ((properties[tool.http.body.argument] as { properties: Record<string, { description?: string }> }).properties)
          : properties;
        expect(bodyProperties[expectation.property.name]?.description).toBe(describeField(expectation.property.description));
      }
    }
  });

  it('writes a .env.example in which every line is a comment, blank, or one NAME=value', async () => {
    for (const { dir } of generated) {
      const text = await readFile(path.join(dir, '.env.example'), 'utf8');
      for (const line of text.split('\n')) expect(line, line).toMatch(/^(|#[^\r\u2028\u2029\u0085\v\f]*|[A-Z][A-Z0-9_]*=[^\n]*)$/);
    }
  });

  it('writes a .env.example that parses (as node --env-file reads it) to exactly the credentials and the base URL', async () => {
    const oauthCases = generated.filter(({ catalog }) => Object.values(catalog.server.securitySchemes).some((scheme) => scheme.type === 'bearer' && scheme.clientCredentials));
    expect(oauthCases.length).toBeGreaterThan(0);
    for (const { dir, catalog } of generated) {
      const parsed = parseEnv(await readFile(path.join(dir, '.env.example'), 'utf8'));
      expect(parsed, dir).toStrictEqual(activeEnvExample(catalog));
    }
  });

  it('writes a README.md whose spec text adds no line, table row, link or HTML', async () => {
    const reference = await readFile(path.join(repoRoot, 'examples/petstore/server/README.md'), 'utf8');
    const referenceCatalog = JSON.parse(await readFile(path.join(repoRoot, 'examples/petstore/server/tools.json'), 'utf8')) as { tools: unknown[] };
    const fixedLines = (text: string) => text.split('\n').length - countRows(text, '| Tool |') - countRows(text, '| Variable |');
    expect(countRows(reference, '| Tool |')).toBe(referenceCatalog.tools.length);
    for (const { dir, catalog } of generated) {
      const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
      expect(countRows(readme, '| Tool |'), dir).toBe(catalog.tools.length);
      expect(fixedLines(readme), dir).toBe(fixedLines(reference));
      for (const line of readme.split('\n')) {
        expect(line, line).not.toMatch(/[\r\u2028\u2029\u0085\v\f]/);
        if (!line.startsWith('| ')) continue;
        const live = liveSyntax(line);
        expect(live, line).not.toMatch(/[<>[\]`*_&]/);
        expect(live.split('|'), line).toHaveLength(5);
      }
      expect(readme).toContain(`**${markdownText(catalog.api.title)}**`);
    }
  });

  it('writes JSON files that parse and hold the spec text exactly', async () => {
    for (const { dir, catalog } of generated) {
      const packageJson = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { description: string };
      expect(packageJson.description).toBe(`MCP server for ${catalog.api.title}`);
      const toolsJson = JSON.parse(await readFile(path.join(dir, 'tools.json'), 'utf8')) as { api: { title: string }; tools: { title: string }[] };
      expect(toolsJson.api.title).toBe(catalog.api.title);
      expect(toolsJson.tools.map((tool) => tool.title)).toStrictEqual(catalog.tools.map((tool) => tool.title));
      JSON.parse(await readFile(path.join(dir, 'tsconfig.json'), 'utf8'));
      JSON.parse(await readFile(path.join(dir, '.toolwright/manifest.json'), 'utf8'));
    }
  });

  it('type-checks every generated project', async () => {
    // One tsc run over all the projects, each compiled with the generated tsconfig's options.
    const { compilerOptions } = JSON.parse(await readFile(path.join(generated[0]!.dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    await writeFile(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true, rootDir: '.', outDir: undefined }, include: generated.map(({ dir }) => `${path.basename(dir)}/src`) }),
    );
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit', timeout: 240_000 });
  }, 300_000);

  it('serves the strings unchanged through tools/list', async () => {
    const { dir, catalog } = generated[0]!;
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit', timeout: 240_000 });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(dir, 'build/index.js')],
      env: { ...getDefaultEnvironment(), [`${catalog.server.envPrefix}_BASE_URL`]: 'http://127.0.0.1:9' },
      stderr: 'pipe',
    });
    let log = '';
    transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const client = new Client({ name: 'toolwright-fuzz', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      const listed = new Map((tools as ListedTool[]).map((tool) => [tool.name, tool]));
      expect([...listed.keys()].sort()).toStrictEqual(catalog.tools.map((tool) => tool.name).sort());
      for (const tool of catalog.tools) {
        const served = listed.get(tool.name)!;
        expect(served.title, tool.name).toBe(tool.title);
        expect(served.description, tool.name).toBe(tool.description);
        expect(served.inputSchema, tool.name).toStrictEqual(tool.inputSchema);
        expect(served.outputSchema, tool.name).toStrictEqual(tool.outputSchema);
      }
      const toolsJson = JSON.parse(await readFile(path.join(dir, 'tools.json'), 'utf8')) as { tools: ListedTool[] };
      for (const tool of toolsJson.tools) expect(listed.get(tool.name)?.description).toBe(tool.description);
    } catch (error) {
      throw new Error(`${String(error)}\nserver log:\n${log}`);
    } finally {
      await client.close();
    }
  }, 300_000);
});
