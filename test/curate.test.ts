import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCurationConfig } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { syntheticSpec } from '../bench/synthetic-inventory.mjs';
import { readCurationConfig } from '../src/curate/config-file.js';
import { contextBudgetTokens } from '../src/discovery/modes.js';
import { generateProject } from '../src/pipeline.js';
import { repoRoot, tempDir } from './helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const petstore = path.join(repoRoot, 'examples/petstore/openapi.yaml');

function run(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function decide(configText: string) {
  const { model } = buildModel(await loadSpec(petstore));
  const { decisions } = selectTools({ model, config: parseCurationConfig(configText, '/x/toolwright.yaml') });
  return Object.fromEntries(decisions.operations.map((d) => [d.operation.key, [d.included, d.reason, d.unreviewed]]));
}

describe('curation decisions', () => {
  it('keeps destructive and admin operations out unless include: true is explicit', async () => {
    const decisions = await decide('operations:\n  deletePet: { name: remove_pet }\n  purgeCache: { include: true }\n');
    expect(decisions['DELETE /pets/{petId}']).toStrictEqual([false, 'destructive: listed in toolwright.yaml without include: true', false]);
    expect(decisions['DELETE /admin/cache']).toStrictEqual([true, 'included in toolwright.yaml', false]);
  });

  it('leaves unlisted operations out as not yet reviewed, or classifies them when the policy says so', async () => {
    const excluded = await decide('operations:\n  listPets: {}\n');
    expect(excluded['GET /pets/{petId}']).toStrictEqual([false, 'not yet reviewed: not in toolwright.yaml', true]);
    const classified = await decide('newOperations: classify\noperations:\n  listPets: {}\n');
    expect(classified['GET /pets/{petId}']).toStrictEqual([true, 'read (GET only reads): included by default', true]);
    expect(classified['DELETE /pets/{petId}']![0]).toBe(false);
  });
});

describe('toolwright init --yes and curate --yes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('toolwright-curate-')));
  afterEach(() => cleanup());

  it('records discovery mode for a selection over the context budget, as generate without a toolwright.yaml picks it, and no mode otherwise', async () => {
    await writeFile(path.join(dir, 'small.yaml'), await readFile(petstore, 'utf8'));
    expect((await run(['init', 'small.yaml', '--yes', '--config', 'small-toolwright.yaml', '--out', 'small'], dir)).status).toBe(0);
    expect(parse(await readFile(path.join(dir, 'small-toolwright.yaml'), 'utf8'))).not.toHaveProperty('mode');

    await writeFile(path.join(dir, 'large.json'), JSON.stringify(syntheticSpec(400)));
    const { status, stderr } = await run(['init', 'large.json', '--yes', '--out', 'large'], dir);
    expect(status).toBe(0);
    expect(stderr).toMatch(/The \d+ tools cost about [\d,]+ tokens, over 20,000: recording mode: discovery\./);
    expect(parse(await readFile(path.join(dir, 'toolwright.yaml'), 'utf8'))).toHaveProperty('mode', 'discovery');
    const config = await readCurationConfig(path.join(dir, 'toolwright.yaml'));
    const generated = await generateProject({ spec: config.spec!, config });
    expect(generated.mode).toMatchObject({ mode: 'discovery', reason: 'config' });
    const withoutConfig = await generateProject({ spec: path.join(dir, 'large.json') });
    expect(withoutConfig.mode).toMatchObject({ mode: 'discovery', reason: 'over-budget' });
    expect(withoutConfig.mode.toolTokens).toBeGreaterThan(contextBudgetTokens);
  }, 120_000);

  it('proposes redaction of secret-looking response fields by default, and records it', async () => {
    const created = { type: 'object', properties: { id: { type: 'string' }, client_secret: { type: 'string' }, token_type: { type: 'string' } } };
    const spec = {
      openapi: '3.0.3',
      info: { title: 'Apps', version: '1.0.0' },
      servers: [{ url: 'https://apps.example.com' }],
      paths: {
        '/apps': {
          get: { operationId: 'listApps', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } } } } },
          post: { operationId: 'createApp', responses: { '201': { description: 'created', content: { 'application/json': { schema: created } } } } },
        },
      },
    };
    await writeFile(path.join(dir, 'apps.json'), JSON.stringify(spec));
    const { status, stderr } = await run(['init', 'apps.json', '--yes', '--out', 'apps'], dir);
    expect(status).toBe(0);
    expect(stderr).toMatch(/create_app .*redacted: client_secret/);
    const record = parse(await readFile(path.join(dir, 'toolwright.yaml'), 'utf8')) as { operations: Record<string, Record<string, unknown>> };
    expect(record.operations.createApp).toMatchObject({ include: true, responseFields: { redact: ['client_secret'] } });
    expect(record.operations.listApps).not.toHaveProperty('responseFields');
    expect(await readFile(path.join(dir, 'apps/src/tools/create-app.ts'), 'utf8')).toContain('redact: ["client_secret"]');
  }, 60_000);

  it('refuses to prompt without a terminal', async () => {
    await writeFile(path.join(dir, 'openapi.yaml'), await readFile(petstore, 'utf8'));
    const { status, stderr } = await run(['init', 'openapi.yaml'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('not an interactive terminal');
    expect(stderr).toContain('--yes');
  });

  it('records new operations, drops vanished ones, and keeps the existing decisions and comments', async () => {
    const spec = await readFile(petstore, 'utf8');
    await writeFile(path.join(dir, 'openapi.yaml'), spec);
    expect((await run(['init', 'openapi.yaml', '--yes'], dir)).status).toBe(0);
    const first = await readFile(path.join(dir, 'toolwright.yaml'), 'utf8');
    const edited = first
      .replace('    name: get_pet\n', '    name: fetch_pet\n    description: Fetch one pet by id.\n')
      .replace('operations:\n', '# reviewed by the pets team\noperations:\n');
    await writeFile(path.join(dir, 'toolwright.yaml'), edited);
    expect((await run(['init', 'openapi.yaml', '--yes'], dir)).stderr).toContain('toolwright.yaml already exists');

    const changed = spec
      .replace('  /admin/cache:\n', '  /pets/{petId}/photo:\n    get:\n      operationId: getPetPhoto\n      summary: Get a photo of a pet\n      responses:\n        "200":\n          description: The photo.\n  /admin/cache:\n')
      .replace(/\n {2}\/owners\/\{ownerId\}\/pets:[\s\S]*?(?=\n {2}\/pets\/\{petId\}\/photo:)/, '');
    await writeFile(path.join(dir, 'openapi.yaml'), changed);
    const generated = await run(['generate'], dir);
    expect(generated.status).toBe(1);
    expect(generated.stderr).toContain('operation "listOwnerPets" does not exist in the spec');

    const curated = await run(['curate', '--yes'], dir);
    expect(curated.status).toBe(0);
    expect(curated.stderr).toContain('no longer in the spec (dropped from toolwright.yaml): listOwnerPets');
    expect(curated.stderr).toContain('1 operation is new since the last curation');
    const text = await readFile(path.join(dir, 'toolwright.yaml'), 'utf8');
    expect(text).toContain('# reviewed by the pets team');
    const record = parse(text) as { operations: Record<string, Record<string, unknown>> };
    expect(Object.keys(record.operations)).toStrictEqual(['listPets', 'createPet', 'getPet', 'deletePet', 'getPetPhoto', 'purgeCache']);
    expect(record.operations.getPet).toStrictEqual({ include: true, reason: 'read (GET only reads)', name: 'fetch_pet', description: 'Fetch one pet by id.' });
    expect(record.operations.getPetPhoto).toStrictEqual({ include: true, reason: 'read (GET only reads)', name: 'get_pet_photo' });
    const tools = JSON.parse(await readFile(path.join(dir, 'mcp-server/tools.json'), 'utf8')) as { tools: { name: string }[] };
    expect(tools.tools.map((tool) => tool.name)).toStrictEqual(['create_pet', 'fetch_pet', 'get_pet_photo', 'list_pets']);
  });
});
