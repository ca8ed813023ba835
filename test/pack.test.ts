import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageVersion } from '../src/package-info.js';
import { repoRoot, runNpm, tempDir } from './helpers.js';
import { Terminal } from './terminal.js';

/**
 * A fresh clone of the committed tree (no `dist/`), packed the way `npm publish` packs it, installed from the
 * tarball into an empty project. The clone borrows this checkout's node_modules to stay fast; set
 * TOOLWRIGHT_PACK_NPM_CI=1 to run `npm ci` in the clone instead.
 */
describe('the package packed from a fresh clone', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let project: string;
  let terminal: Terminal | undefined;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-pack-'));
    const clone = path.join(dir, 'clone');
    execFileSync('git', ['clone', '--quiet', repoRoot, clone]);
    expect(existsSync(path.join(clone, 'dist')), 'a clone has no build output').toBe(false);
    if (process.env.TOOLWRIGHT_PACK_NPM_CI === '1') runNpm(clone, ['ci', '--ignore-scripts']);
    else await symlink(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    const tarball = runNpm(clone, ['pack', '--silent', '--pack-destination', dir]).trim().split('\n').pop()!;
    const listing = execFileSync('tar', ['-tzf', path.join(dir, tarball)], { encoding: 'utf8' });
    expect(listing).toContain('package/dist/src/cli/main.js');
    expect(listing).toContain('package/schema/toolwright.schema.json');
    expect(listing).not.toContain('package/test/');
    project = path.join(dir, 'project');
    execFileSync('mkdir', [project]);
    runNpm(project, ['init', '-y']);
    runNpm(project, ['install', '--no-package-lock', '--save-dev', path.join(dir, tarball)]);
  }, 600_000);
  afterEach(() => terminal?.close());
  afterAll(() => cleanup());

  it('runs with npx from an empty project and generates a server', async () => {
    const npx = (...args: string[]) => runNpm(project, ['exec', '--no', '--', 'toolwright', ...args]);
    expect(npx('--version').trim()).toBe(packageVersion);
    expect(npx('--help')).toContain('generate');
    const spec = path.join(repoRoot, 'examples/petstore/openapi.yaml');
    npx('generate', spec, '--out', 'server', '--quiet');
    const catalog = JSON.parse(await readFile(path.join(project, 'server/tools.json'), 'utf8')) as { tools: { name: string }[] };
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['create_pet', 'get_pet', 'list_owner_pets', 'list_pets']);
    expect(existsSync(path.join(project, 'server/src/runtime/definition.ts'))).toBe(true);
  });

  it.skipIf(!Terminal.available())('runs npx toolwright init in a terminal: search, review, go back, write', async () => {
    await copyFile(path.join(repoRoot, 'examples/petstore/openapi.yaml'), path.join(project, 'openapi.yaml'));
    terminal = Terminal.start('npx --no toolwright init openapi.yaml --out mcp', project, { npm_config_update_notifier: 'false' });
    await terminal.waitFor('Find operations', 30_000);
    await terminal.toggleMatch('delete a pet', 'delete_pet', '5 of 6 operations selected');
    terminal.keys('Enter');
    await terminal.waitFor('What next?');
    terminal.pick('Done selecting', 'Enter');
    await terminal.waitFor('each of the 5 tools?');
    terminal.type('n');
    terminal.keys('Enter');
    await terminal.waitFor('Serve the tools how?');
    terminal.keys('Enter');
    await terminal.waitFor('Server name (clients show it and prefix tool names with it): (petstore)');
    terminal.keys('Enter');
    await terminal.waitFor('Prefix of its environment variables: (PETSTORE)');
    terminal.keys('Enter');
    let review = await terminal.waitFor('Write toolwright.yaml and generate the server');
    expect(review).toContain('5 tools, about');
    expect(review).toMatch(/delete_pet +DELETE \/pets\/\{petId\}/);
    await terminal.afterwards(() => terminal!.pick('Go back: change the selection', 'Enter'), '5 of 6 operations selected');
    await terminal.toggleMatch('delete a pet', 'delete_pet', '4 of 6 operations selected');
    await terminal.afterwards(() => terminal!.keys('Enter'), 'What next?');
    terminal.pick('Done selecting', 'Enter');
    await terminal.waitFor('each of the 4 tools?');
    terminal.type('n');
    await terminal.afterwards(() => terminal!.keys('Enter'), 'Serve the tools how?');
    terminal.keys('Enter');
    review = await terminal.waitFor('4 tools, about');
    expect(review.slice(review.lastIndexOf('Review:'))).not.toContain('delete_pet');
    terminal.pick('Write toolwright.yaml and generate the server', 'Enter');
    await terminal.waitFor('[exit 0]', 60_000);

    const text = await readFile(path.join(project, 'toolwright.yaml'), 'utf8');
    const schemaPath = /\$schema=(\S+)/.exec(text.split('\n')[0]!)?.[1];
    expect(schemaPath).toBe('./node_modules/toolwright/schema/toolwright.schema.json');
    expect(existsSync(path.join(project, schemaPath!)), 'the schema reference resolves in the project').toBe(true);
    expect((parse(text) as { operations: Record<string, { include: boolean }> }).operations.deletePet!.include).toBe(false);
    const catalog = JSON.parse(await readFile(path.join(project, 'mcp/tools.json'), 'utf8')) as { tools: { name: string }[] };
    expect(catalog.tools.map((tool) => tool.name)).toStrictEqual(['create_pet', 'get_pet', 'list_owner_pets', 'list_pets']);
  }, 120_000);
});
