import { existsSync } from 'node:fs';
import { copyFile, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readCurationConfig } from '../src/curate/config-file.js';
import { generateProject } from '../src/pipeline.js';
import { repoRoot, tempDir } from './helpers.js';
import { Terminal } from './terminal.js';

const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repoRoot, 'dist/src/cli/main.js'))}`;
const hasTmux = Terminal.available();
if (!hasTmux) console.warn('skipping the terminal tests of toolwright init: tmux is not installed');

describe.skipIf(!hasTmux)('toolwright init in a real terminal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let terminal: Terminal | undefined;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-init-'));
    await copyFile(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(dir, 'openapi.yaml'));
  });
  afterEach(() => terminal?.close());
  afterAll(() => cleanup());

  it('selects, renames, describes and pins, then writes toolwright.yaml and a server that generate reproduces', async () => {
    terminal = Terminal.start(`${cli} init openapi.yaml`, dir);
    await terminal.waitFor('What next?');
    terminal.keys('Enter');
    await terminal.waitFor('Which tag?');
    terminal.keys('Enter');
    await terminal.waitFor('Only operations containing');
    terminal.type('pets');
    terminal.keys('Enter');
    await terminal.waitFor('Space toggles');
    expect(terminal.screen()).toContain('[! destructive] DELETE /pets/{petId} -> delete_pet');
    terminal.keys('Down', 'Space', 'Enter');
    await terminal.waitFor('3 of 6 operations selected');
    terminal.keys('Down', 'Down', 'Down', 'Enter');
    await terminal.waitFor('Review the name, description and arguments of each of the 3 tools?');
    terminal.keys('Enter');

    await terminal.waitFor('Tool name: (list_pets)');
    terminal.type('find_pets');
    terminal.keys('Enter');
    await terminal.waitFor('Description for the model:');
    terminal.type('Find the pets of the store by species and tags, newest first.');
    terminal.keys('Enter');
    await terminal.waitFor('Arguments the model must not choose');
    terminal.keys('Space', 'Down', 'Space', 'Enter');
    await terminal.waitFor('What to do with "store"?');
    terminal.keys('Enter');
    await terminal.waitFor('Value for "store"');
    terminal.type('store-7');
    terminal.keys('Enter');
    await terminal.waitFor('What to do with "includeArchived"?');
    terminal.keys('Down', 'Enter');

    await terminal.waitFor('Tool name: (get_pet)');
    terminal.type('find_pets');
    terminal.keys('Enter');
    await terminal.waitFor('Another tool is already named "find_pets".');
    for (let i = 0; i < 'find_pets'.length; i++) terminal.keys('BSpace');
    terminal.keys('Enter');
    await terminal.waitFor('Description for the model: (Returns one pet by its id. The result has id, name, status, species, birthDate, tags.)');
    terminal.keys('Enter');
    await terminal.waitFor('Arguments the model must not choose');
    terminal.keys('Enter');
    await terminal.waitFor('Tool name: (list_owner_pets)');
    terminal.keys('Enter');
    await terminal.waitFor("Description for the model: (Returns the pets adopted by one owner. Each item has id, name, status, species, birthDate, tags.)");
    terminal.keys('Enter');
    await terminal.waitFor('Arguments the model must not choose');
    terminal.keys('Enter');
    await terminal.waitFor('Generate the server project into:');
    terminal.type('server');
    terminal.keys('Enter');
    await terminal.waitFor('[exit 0]', 60_000);

    const record = parse(await readFile(path.join(dir, 'toolwright.yaml'), 'utf8')) as Record<string, unknown>;
    expect(record.spec).toBe('openapi.yaml');
    expect(record.out).toBe('server');
    expect(record.operations).toStrictEqual({
      listPets: {
        include: true,
        reason: 'read (GET only reads)',
        name: 'find_pets',
        description: 'Find the pets of the store by species and tags, newest first.',
        arguments: { store: { value: 'store-7' }, includeArchived: { hidden: true } },
      },
      createPet: { include: false, reason: 'not selected' },
      getPet: { include: true, reason: 'read (GET only reads)', name: 'get_pet' },
      deletePet: { include: false, reason: 'destructive (DELETE method)' },
      listOwnerPets: { include: true, reason: 'read (GET only reads)', name: 'list_owner_pets' },
      purgeCache: { include: false, reason: 'admin ("admin" in the path; tagged "admin"; "purge" cannot be taken back; DELETE method)' },
    });

    const catalog = JSON.parse(await readFile(path.join(dir, 'server/tools.json'), 'utf8')) as {
      tools: { name: string; description: string; inputSchema: { properties: Record<string, unknown> } }[];
    };
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['find_pets', 'get_pet', 'list_owner_pets']);
    const findPets = catalog.tools[0]!;
    expect(findPets.description).toBe('Find the pets of the store by species and tags, newest first.');
    expect(Object.keys(findPets.inputSchema.properties)).toStrictEqual(['species', 'tags', 'limit']);

    const config = await readCurationConfig(path.join(dir, 'toolwright.yaml'));
    const { plan } = await generateProject({ spec: config.spec!, config });
    const written = await readdir(path.join(dir, 'server'), { recursive: true });
    for (const [file, text] of plan) {
      expect(written).toContain(path.normalize(file));
      expect(await readFile(path.join(dir, 'server', file), 'utf8'), file).toBe(text);
    }
  }, 120_000);

  it('leaves nothing behind when cancelled with Ctrl-C', async () => {
    const { dir: empty, cleanup: remove } = await tempDir('toolwright-cancel-');
    try {
      await copyFile(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(empty, 'openapi.yaml'));
      terminal = Terminal.start(`${cli} init openapi.yaml --out server`, empty);
      await terminal.waitFor('What next?');
      terminal.keys('Down', 'Down', 'Down', 'Enter');
      await terminal.waitFor('Review the name, description and arguments');
      terminal.keys('Enter');
      await terminal.waitFor('Tool name: (list_pets)');
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
