import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readCurationConfig } from '../src/curate/config-file.js';
import { generateProject } from '../src/pipeline.js';
import { repoRoot, tempDir } from './helpers.js';
import { Terminal } from './terminal.js';

const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repoRoot, 'dist/src/cli/main.js'))}`;
const hasTmux = Terminal.available();
if (!hasTmux) console.warn('skipping the terminal tests of toolwright init: tmux is not installed');

/** Erases what an input prompt shows, then types `text`. */
function retype(terminal: Terminal, length: number, text: string): void {
  terminal.keys(...Array.from({ length }, () => 'BSpace'));
  if (text) terminal.type(text);
}

/** A spec with `count` operations over a few tags, for the narrow start of large specs. */
function largeSpec(count: number): string {
  const tags = ['orders', 'customers', 'invoices', 'products'];
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const tag = tags[i % tags.length]!;
    const depth = Math.floor(i / tags.length);
    const route = depth === 0 ? `/${tag}` : depth === 1 ? `/${tag}/{id}` : `/${tag}/{id}/part${depth}`;
    const method = depth % 3 === 2 ? 'post' : 'get';
    const parameters = route.includes('{id}') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] : [];
    paths[route] = { [method]: { operationId: `${method}_${tag}_${depth}`, tags: [tag], summary: `${method} ${tag} ${depth}`, parameters, responses: { '200': { description: 'ok' } } } };
  }
  return stringify({ openapi: '3.0.3', info: { title: 'Big Shop API', version: '1.0.0' }, servers: [{ url: 'https://shop.example.com' }], paths });
}

describe.skipIf(!hasTmux)('toolwright init in a real terminal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let terminal: Terminal | undefined;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-init-'));
    await copyFile(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(dir, 'openapi.yaml'));
    await mkdir(path.join(dir, 'taken'));
    await writeFile(path.join(dir, 'taken/notes.txt'), 'not a generated project\n');
  });
  afterEach(() => terminal?.close());
  afterAll(() => cleanup());

  it('searches, names tools in the order chosen, names the server, reviews, goes back, then writes', async () => {
    terminal = Terminal.start(`${cli} init openapi.yaml`, dir);
    const first = await terminal.waitFor('Find operations');
    expect(first).toContain('Loading openapi.yaml ...');
    expect(first).toContain('4 of 6 operations selected');

    await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
    terminal.pick('Select or clear a whole tag', 'Enter');
    await terminal.waitFor('Which tag?');
    terminal.pick('pets (4)', 'Enter');
    await terminal.waitFor('Do what with these operations?');
    terminal.pick('Clear them', 'Enter');
    await terminal.waitFor('1 of 6 operations selected');

    terminal.type('pet by id');
    terminal.keys('Enter');
    const matches = await terminal.waitFor('Best matches for "pet by id"');
    expect(matches.indexOf('-> get_pet (')).toBeGreaterThan(matches.indexOf('Best matches'));
    terminal.pick('-> get_pet (', 'Space');
    terminal.keys('Enter');
    await terminal.waitFor('2 of 6 operations selected');
    await terminal.toggleMatch('list pets species', 'list_pets', '3 of 6 operations selected');
    await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
    terminal.pick('Done selecting', 'Enter');
    await terminal.waitFor('Review the name, description and arguments of each of the 3 tools?');
    terminal.keys('Enter');

    await terminal.waitFor('[1/3] GET /owners/{ownerId}/pets');
    await terminal.waitFor('Tool name for GET /owners/{ownerId}/pets: (list_owner_pets)');
    terminal.keys('Enter');
    await terminal.waitFor('Description of list_owner_pets for the model:');
    terminal.keys('Enter');
    await terminal.waitFor('Arguments of list_owner_pets the model must not choose');
    terminal.keys('Enter');
    await terminal.waitFor('Tool name for GET /pets/{petId}: (get_pet)');
    terminal.type('list_owner_pets');
    terminal.keys('Enter');
    await terminal.waitFor('Another tool is already named "list_owner_pets".');
    retype(terminal, 'list_owner_pets'.length, '');
    terminal.keys('Enter');
    await terminal.waitFor('Description of get_pet for the model: (Returns one pet by its id. The result has id, name, status, species, birthDate, tags.)');
    terminal.keys('Enter');
    await terminal.waitFor('Arguments of get_pet the model must not choose');
    terminal.keys('Enter');
    await terminal.waitFor('Tool name for GET /pets: (list_pets)');
    terminal.type('find_pets');
    terminal.keys('Enter');
    await terminal.waitFor('Description of find_pets for the model:');
    terminal.type('Find the pets of the store by species and tags, newest first.');
    terminal.keys('Enter');
    await terminal.waitFor('Arguments of find_pets the model must not choose');
    terminal.pick('store (required)', 'Space');
    terminal.pick('includeArchived', 'Space');
    terminal.keys('Enter');
    await terminal.waitFor('What to do with "store"?');
    terminal.keys('Enter');
    await terminal.waitFor('Value for "store"');
    terminal.type('store-7');
    terminal.keys('Enter');
    await terminal.waitFor('What to do with "includeArchived"?');
    terminal.pick('Hide it', 'Enter');

    const modes = await terminal.waitFor('Serve the tools how?');
    expect(modes).toMatch(/tools: each of the 3 tools listed on its own, ~[\d,]+ tokens \(recommended\)/);
    expect(modes).toMatch(/discovery: search_tools, describe_tools and call_tool reach all 3, ~[\d,]+ tokens/);
    terminal.keys('Enter');
    await terminal.waitFor('Server name (clients show it and prefix tool names with it): (petstore)');
    terminal.type('Shop!');
    terminal.keys('Enter');
    await terminal.waitFor('Use lowercase letters');
    retype(terminal, 5, 'shop');
    terminal.keys('Enter');
    await terminal.waitFor('Prefix of its environment variables: (SHOP)');
    terminal.keys('Enter');
    await terminal.waitFor('Generate the server project into: (mcp-server)');
    terminal.type('taken');
    terminal.keys('Enter');
    await terminal.waitFor('is not empty and was not generated by toolwright');
    retype(terminal, 5, 'server');
    terminal.keys('Enter');

    let review = await terminal.waitFor('Write toolwright.yaml and generate the server');
    expect(review).toContain('Server "shop", environment variables SHOP_*, generated into server');
    expect(review).toContain('3 tools, about');
    const order = ['list_owner_pets  GET /owners/{ownerId}/pets', 'get_pet          GET /pets/{petId}', 'find_pets        GET /pets '];
    expect(order.map((row) => review.indexOf(row)).every((at, i, all) => at > 0 && (i === 0 || at > all[i - 1]!))).toBe(true);
    expect(review).toMatch(/find_pets .* pinned: store {2}hidden: includeArchived/);
    expect(existsSync(path.join(dir, 'toolwright.yaml'))).toBe(false);
    expect(existsSync(path.join(dir, 'server'))).toBe(false);

    await terminal.afterwards(() => terminal!.pick('Go back: change the selection', 'Enter'), '3 of 6 operations selected');
    await terminal.toggleMatch('add a new pet', 'create_pet', '4 of 6 operations selected');
    await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
    terminal.pick('Done selecting', 'Enter');
    await terminal.waitFor('each of the 4 tools?');
    terminal.type('n');
    await terminal.afterwards(() => terminal!.keys('Enter'), 'Serve the tools how?');
    terminal.keys('Enter');
    review = await terminal.waitFor('4 tools, about');
    await terminal.waitFor('Go back: output folder');
    expect(review.slice(review.lastIndexOf('Review:'))).toMatch(/create_pet +POST \/pets/);
    expect(review.slice(review.lastIndexOf('Review:'))).toMatch(/find_pets .* pinned: store/);

    terminal.pick('Go back: server name and environment prefix', 'Enter');
    await terminal.waitFor('Server name (clients show it and prefix tool names with it): (shop)');
    await terminal.afterwards(() => terminal!.keys('Enter'), 'Prefix of its environment variables: (SHOP)');
    retype(terminal, 0, 'PET_SHOP');
    terminal.keys('Enter');
    review = await terminal.waitFor('environment variables PET_SHOP_*');
    terminal.pick('Write toolwright.yaml and generate the server', 'Enter');
    await terminal.waitFor('[exit 0]', 60_000);

    const text = await readFile(path.join(dir, 'toolwright.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/toolwright/schema/toolwright.schema.json');
    const record = parse(text) as Record<string, unknown>;
    expect(record.spec).toBe('openapi.yaml');
    expect(record.out).toBe('server');
    expect(record.server).toStrictEqual({ name: 'shop', envPrefix: 'PET_SHOP' });
    expect(record.mode).toBe('tools');
    expect(record.operations).toStrictEqual({
      listPets: {
        include: true,
        reason: 'read (GET only reads)',
        name: 'find_pets',
        description: 'Find the pets of the store by species and tags, newest first.',
        arguments: { store: { value: 'store-7' }, includeArchived: { hidden: true } },
      },
      createPet: { include: true, reason: 'write (POST changes data)', name: 'create_pet' },
      getPet: { include: true, reason: 'read (GET only reads)', name: 'get_pet' },
      deletePet: { include: false, reason: 'destructive (DELETE method)' },
      listOwnerPets: { include: true, reason: 'read (GET only reads)', name: 'list_owner_pets' },
      purgeCache: { include: false, reason: 'admin ("admin" in the path; tagged "admin"; "purge" cannot be taken back; DELETE method)' },
    });

    const catalog = JSON.parse(await readFile(path.join(dir, 'server/tools.json'), 'utf8')) as {
      server: { name: string };
      tools: { name: string; description: string; inputSchema: { properties: Record<string, unknown> } }[];
    };
    expect(catalog.server.name).toBe('shop');
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['create_pet', 'find_pets', 'get_pet', 'list_owner_pets']);
    expect(Object.keys(catalog.tools[1]!.inputSchema.properties)).toStrictEqual(['species', 'tags', 'limit']);

    const config = await readCurationConfig(path.join(dir, 'toolwright.yaml'));
    const { plan } = await generateProject({ spec: config.spec!, config });
    const written = await readdir(path.join(dir, 'server'), { recursive: true });
    for (const [file, planned] of plan) {
      expect(written).toContain(path.normalize(file));
      expect(await readFile(path.join(dir, 'server', file), 'utf8'), file).toBe(planned);
    }
  }, 180_000);

  it('offers each mode with its cost, hybrid with core tools, redaction of secret fields, and credential parameters', async () => {
    const { dir: work, cleanup: remove } = await tempDir('toolwright-modes-');
    try {
      const apiKey = { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } };
      const account = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };
      const spec = {
        openapi: '3.0.3',
        info: { title: 'Vault', version: '1.0.0' },
        servers: [{ url: 'https://vault.example.com' }],
        paths: {
          '/accounts': {
            get: {
              operationId: 'listAccounts',
              summary: 'List the accounts of the vault',
              parameters: [apiKey, { name: 'limit', in: 'query', schema: { type: 'integer' } }],
              responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: account } } } } },
            },
            post: {
              operationId: 'createAccount',
              summary: 'Create an account',
              requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } },
              responses: {
                '201': {
                  description: 'created',
                  content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, client_secret: { type: 'string' }, token_type: { type: 'string' } } } } },
                },
              },
            },
          },
          '/accounts/{id}': {
            get: {
              operationId: 'getAccount',
              summary: 'Get one account by its id',
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, apiKey],
              responses: {
                '200': { description: 'ok', content: { 'application/json': { schema: { ...account, properties: { ...account.properties, api_token: { type: 'string' } } } } } },
              },
            },
          },
        },
      };
      await writeFile(path.join(work, 'openapi.yaml'), stringify(spec));
      terminal = Terminal.start(`${cli} init openapi.yaml --out server --name vault --env-prefix VAULT`, work);
      // A read whose result carries a secret starts unselected.
      await terminal.waitFor('2 of 3 operations selected');
      await terminal.toggleMatch('get account', 'get_account', '3 of 3 operations selected');
      await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
      terminal.pick('Done selecting', 'Enter');
      await terminal.waitFor('each of the 3 tools?');
      terminal.keys('Enter');

      await terminal.waitFor('Tool name for GET /accounts: (list_accounts)');
      terminal.keys('Enter');
      await terminal.waitFor('Description of list_accounts for the model:');
      terminal.keys('Enter');
      await terminal.waitFor('Arguments of list_accounts the model must not choose');
      terminal.keys('Enter');
      let screen = await terminal.waitFor('Credentials of list_accounts the server fills from its environment');
      const filledFrom = /api_key: filled from (VAULT_\w+)/.exec(screen)?.[1];
      expect(filledFrom).toBeDefined();
      terminal.keys('Enter');

      await terminal.waitFor('Tool name for POST /accounts: (create_account)');
      terminal.keys('Enter');
      await terminal.waitFor('Description of create_account for the model:');
      terminal.keys('Enter');
      await terminal.waitFor('Arguments of create_account the model must not choose');
      terminal.keys('Enter');
      screen = await terminal.waitFor("Fields of create_account's results that look like secrets");
      expect(screen.slice(screen.lastIndexOf('Fields of create_account'))).toContain('client_secret');
      expect(screen.slice(screen.lastIndexOf('Fields of create_account'))).not.toContain('token_type');
      terminal.keys('Enter');

      await terminal.waitFor('Tool name for GET /accounts/{id}: (get_account)');
      terminal.keys('Enter');
      await terminal.waitFor('Description of get_account for the model:');
      terminal.keys('Enter');
      await terminal.waitFor('Arguments of get_account the model must not choose');
      terminal.keys('Enter');
      await terminal.waitFor('Credentials of get_account the server fills from its environment');
      terminal.pick('api_key: filled from', 'Space');
      terminal.keys('Enter');
      await terminal.waitFor("Fields of get_account's results that look like secrets");
      terminal.keys('Enter');

      screen = await terminal.waitFor('Serve the tools how?');
      const costOf = (mode: string): number => Number(new RegExp(`${mode}: .*?~([\\d,]+) tokens`).exec(screen)![1]!.replace(/,/g, ''));
      expect(screen).toMatch(/tools: each of the 3 tools listed on its own, ~[\d,]+ tokens \(recommended\)/);
      expect(costOf('hybrid')).toBeGreaterThan(costOf('discovery'));
      terminal.pick('hybrid: core tools', 'Enter');
      screen = await terminal.waitFor('Core tools, listed on their own');
      expect(screen).toMatch(/◉ list_accounts \(~\d+ tokens\)/);
      terminal.pick('get_account (~', 'Space');
      terminal.keys('Enter');

      let review = await terminal.waitFor('Go back: output folder');
      review = review.slice(review.lastIndexOf('Review:'));
      expect(review).toMatch(/Mode: hybrid: 3 tools, 2 core listed on their own, the rest through search_tools: about [\d,]+ tokens on every turn \(each listed: [\d,]+\)/);
      expect(review).toMatch(new RegExp(`list_accounts .* core {2}api_key: filled from ${filledFrom}, not an argument`));
      expect(review).toMatch(/create_account .*redacted: client_secret/);
      expect(review).toMatch(/get_account .* core {2}redacted: api_token {2}api_key: kept as an argument$/m);

      await terminal.afterwards(() => terminal!.pick('Go back: mode', 'Enter'), 'Serve the tools how?');
      await terminal.afterwards(() => terminal!.keys('Enter'), 'Core tools, listed on their own');
      review = await terminal.afterwards(() => terminal!.keys('Enter'), 'Go back: output folder');
      expect(review.slice(review.lastIndexOf('Review:'))).toContain('Mode: hybrid: 3 tools, 2 core');
      terminal.pick('Write toolwright.yaml and generate the server', 'Enter');
      await terminal.waitFor('[exit 0]', 60_000);

      const record = parse(await readFile(path.join(work, 'toolwright.yaml'), 'utf8')) as Record<string, unknown>;
      expect(record.mode).toBe('hybrid');
      expect(record.operations).toStrictEqual({
        listAccounts: { include: true, reason: 'read (GET only reads)', name: 'list_accounts', core: true },
        createAccount: { include: true, reason: 'write (POST changes data)', name: 'create_account', responseFields: { redact: ['client_secret'] } },
        getAccount: {
          include: true,
          reason: expect.stringContaining('api_token'),
          name: 'get_account',
          arguments: { api_key: { credential: false } },
          core: true,
          responseFields: { redact: ['api_token'] },
        },
      });

      const config = await readCurationConfig(path.join(work, 'toolwright.yaml'));
      const { plan, catalog } = await generateProject({ spec: config.spec!, config });
      expect(catalog.server.mode).toBe('hybrid');
      expect(catalog.server.coreTools).toStrictEqual(['get_account', 'list_accounts']);
      const getAccount = catalog.tools.find((tool) => tool.name === 'get_account')!;
      expect(Object.keys(getAccount.inputSchema.properties as object)).toContain('api_key');
      expect(Object.keys(catalog.tools.find((tool) => tool.name === 'list_accounts')!.inputSchema.properties as object)).not.toContain('api_key');
      const written = await readdir(path.join(work, 'server'), { recursive: true });
      for (const [file, planned] of plan) {
        expect(written).toContain(path.normalize(file));
        expect(await readFile(path.join(work, 'server', file), 'utf8'), file).toBe(planned);
      }
    } finally {
      await remove();
    }
  }, 120_000);

  it.each([
    ['a non-empty folder toolwright did not generate', 'taken', 'is not empty and was not generated by toolwright'],
    ['a file', 'taken/notes.txt', 'is a file, not a folder'],
  ])('checks --out before the first question: %s', async (_case, out, message) => {
    const { dir: work, cleanup: remove } = await tempDir('toolwright-precheck-');
    try {
      await copyFile(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(work, 'openapi.yaml'));
      await mkdir(path.join(work, 'taken'));
      await writeFile(path.join(work, 'taken/notes.txt'), 'mine\n');
      terminal = Terminal.start(`${cli} init openapi.yaml --out ${out}`, work);
      const screen = await terminal.waitFor('[exit 1]');
      expect(screen).toContain(message);
      expect(screen).not.toContain('Loading');
      expect(screen).not.toContain('Find operations');
      expect(existsSync(path.join(work, 'toolwright.yaml'))).toBe(false);
    } finally {
      await remove();
    }
  }, 60_000);

  it('starts a large spec with nothing selected and offers a starter set of central read operations', async () => {
    const { dir: work, cleanup: remove } = await tempDir('toolwright-large-');
    try {
      await writeFile(path.join(work, 'openapi.yaml'), largeSpec(60));
      terminal = Terminal.start(`${cli} init openapi.yaml --out server --name shop --env-prefix SHOP`, work);
      const first = await terminal.waitFor('Find operations');
      expect(first).toContain('starting with none selected');
      expect(first).toContain('0 of 60 operations selected');
      terminal.keys('Enter');
      const menu = await terminal.waitFor('Add the suggested starter set: 8 central read operations');
      expect(menu).toContain('(get_customers_0, get_invoices_0, get_orders_0, get_products_0, ');
      terminal.pick('Add the suggested starter set', 'Enter');
      await terminal.waitFor('8 of 60 operations selected');
      terminal.keys('Enter');
      await terminal.waitFor('What next?');
      terminal.pick('Done selecting', 'Enter');
      await terminal.waitFor('each of the 8 tools?');
      terminal.type('n');
      terminal.keys('Enter');
      await terminal.waitFor('Serve the tools how?');
      terminal.keys('Enter');
      const review = await terminal.waitFor('Write toolwright.yaml and generate the server');
      expect(review).toContain('Server "shop", environment variables SHOP_*');
      expect(review).toContain('8 tools, about');
      terminal.keys('Enter');
      await terminal.waitFor('[exit 0]', 60_000);
      const record = parse(await readFile(path.join(work, 'toolwright.yaml'), 'utf8')) as { operations: Record<string, { include: boolean }> };
      const included = Object.entries(record.operations).filter(([, entry]) => entry.include).map(([ref]) => ref).sort();
      expect(included).toHaveLength(8);
      expect(included.every((ref) => ref.startsWith('get_'))).toBe(true);
      expect(included).toEqual(expect.arrayContaining(['get_customers_0', 'get_invoices_0', 'get_orders_0', 'get_products_0']));
    } finally {
      await remove();
    }
  }, 90_000);

  it('shows in the review the warnings that concern the selected operations, and only those', async () => {
    const { dir: work, cleanup: remove } = await tempDir('toolwright-warnings-');
    try {
      const spec = {
        openapi: '3.0.3',
        info: { title: 'Weather', version: '1.0.0' },
        servers: [{ url: 'https://weather.example.com' }],
        security: [{ key: [] }],
        components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
        paths: {
          '/forecast': { get: { operationId: 'getForecast', summary: 'Forecast for a city', parameters: [{ name: 'city', in: 'query', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } },
          '/stations': { get: { operationId: 'listStations', summary: 'Weather stations', parameters: [{ name: 'region', in: 'somewhere', schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } },
        },
      };
      await writeFile(path.join(work, 'openapi.yaml'), stringify(spec));
      terminal = Terminal.start(`${cli} init openapi.yaml --out server --name weather --env-prefix WEATHER`, work);
      await terminal.waitFor('2 of 2 operations selected');
      await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
      terminal.pick('Done selecting', 'Enter');
      await terminal.waitFor('each of the 2 tools?');
      terminal.type('n');
      terminal.keys('Enter');
      await terminal.waitFor('Serve the tools how?');
      terminal.keys('Enter');
      let review = await terminal.waitFor('Go back: output folder');
      const warnings = review.slice(review.lastIndexOf('Review:'));
      expect(warnings).toMatch(/\d+ warnings? concerns? the selected operations:\n +openapi\.yaml:\d+ at \/paths\/~1stations\/get/);
      expect(warnings).toContain('parameter "region" has an unknown location "somewhere"');
      expect(warnings).not.toContain('/paths/~1forecast');
      await terminal.afterwards(() => terminal!.pick('Go back: change the selection', 'Enter'), '2 of 2 operations selected');
      await terminal.toggleMatch('stations', 'list_stations', '1 of 2 operations selected');
      await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
      terminal.pick('Done selecting', 'Enter');
      await terminal.waitFor('each of the 1 tools?');
      terminal.type('n');
      await terminal.afterwards(() => terminal!.keys('Enter'), 'Serve the tools how?');
      review = await terminal.afterwards(() => terminal!.keys('Enter'), 'Go back: output folder');
      expect(review.slice(review.lastIndexOf('Review:'))).toContain('1 tool, about');
      expect(review.slice(review.lastIndexOf('Review:'))).not.toContain('warning');
      terminal.pick('Write toolwright.yaml and generate the server', 'Enter');
      await terminal.waitFor('[exit 0]', 60_000);
    } finally {
      await remove();
    }
  }, 90_000);

  it('leaves nothing behind when cancelled with Ctrl-C', async () => {
    const { dir: empty, cleanup: remove } = await tempDir('toolwright-cancel-');
    try {
      await copyFile(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(empty, 'openapi.yaml'));
      terminal = Terminal.start(`${cli} init openapi.yaml --out server`, empty);
      await terminal.waitFor('Find operations');
      terminal.keys('Enter');
      await terminal.waitFor('What next?');
      terminal.pick('Done selecting', 'Enter');
      await terminal.waitFor('Review the name, description and arguments');
      terminal.keys('Enter');
      await terminal.waitFor('Tool name for GET /pets: (list_pets)');
      terminal.keys('C-c');
      const screen = await terminal.waitFor('[exit 130]');
      expect(screen).toContain('Cancelled: nothing was written.');
      expect(existsSync(path.join(empty, 'toolwright.yaml'))).toBe(false);
      expect(existsSync(path.join(empty, 'server'))).toBe(false);
    } finally {
      await remove();
    }
  }, 60_000);
});
