import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkbox, input, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultServerName } from '../src/model/names.js';
import {
  actionPrompt,
  corePrompt,
  credentialPrompt,
  descriptionPrompt,
  modePrompt,
  redactionPrompt,
  envPrefixPrompt,
  outPrompt,
  parsePinnedValue,
  pinnedValuePrompt,
  reviewPrompt,
  serverNamePrompt,
  toolNamePrompt,
} from '../src/curate/prompts.js';
import { renderRecord, schemaComment, type Choice } from '../src/curate/record.js';
import { createOperationSearch } from '../src/curate/search.js';
import { applyToggles, filterOperations, setGroup, summarize } from '../src/curate/selection.js';
import type { OperationDecision } from '../src/curate/select.js';
import { outputFolderProblem } from '../src/cli/init-checks.js';
import type { RiskClass } from '../src/model/classify.js';
import { curateSpec } from '../src/pipeline.js';
import { packageRoot } from '../src/package-info.js';
import { repoRoot, tempDir } from './helpers.js';

describe('the tool name prompt', () => {
  it('proposes the derived name, says which operation it is for, and accepts it', async () => {
    const { answer, events, getScreen } = await render(input, toolNamePrompt('list_pets', new Set(), 'GET /pets'));
    expect(getScreen()).toContain('Tool name for GET /pets: (list_pets)');
    events.keypress('enter');
    await expect(answer).resolves.toBe('list_pets');
  });

  it('refuses names that clients reject, and names already taken', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, toolNamePrompt('list_pets', new Set(['get_pet'])));
    events.type('list pets!');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Use 1 to 64 letters, digits, "_" or "-".');
    for (let i = 0; i < 'list pets!'.length; i++) events.keypress('backspace');
    events.type('GET_PET');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Another tool is already named "GET_PET".');
    for (let i = 0; i < 'GET_PET'.length; i++) events.keypress('backspace');
    events.type('find_pets');
    events.keypress('enter');
    await expect(answer).resolves.toBe('find_pets');
  });
});

describe('the description prompt', () => {
  it('offers the proposed description on one line and asks for a real sentence', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, descriptionPrompt('List pets.\n\nReturns the pets\nin the shop.'));
    expect(getScreen()).toContain('(List pets. Returns the pets in the shop.)');
    events.type('Pets');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Write at least a short sentence');
    events.type(' of one store, newest first.');
    events.keypress('enter');
    await expect(answer).resolves.toBe('Pets of one store, newest first.');
  });
});

describe('the pinned value prompt', () => {
  const arg = { name: 'limit', schema: { type: 'integer' }, required: false };
  const check = (value: unknown) => (Number.isInteger(value) ? true : 'the value must be integer');

  it('parses JSON values and checks them against the argument schema', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, pinnedValuePrompt(arg, check as never));
    expect(getScreen()).toContain('Value for "limit" (integer):');
    events.type('ten');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('the value must be integer');
    for (let i = 0; i < 3; i++) events.keypress('backspace');
    events.type('10');
    events.keypress('enter');
    await expect(answer.then(parsePinnedValue)).resolves.toBe(10);
  });

  it.each([
    ['10', 10],
    ['true', true],
    ['store-7', 'store-7'],
    ['"007"', '007'],
    ['["a","b"]', ['a', 'b']],
  ])('reads %s as %j', (text, value) => {
    expect(parsePinnedValue(text)).toStrictEqual(value);
  });
});

function decision(key: string, riskClass: RiskClass, tags: string[] = [], name = key): OperationDecision {
  const [method, path] = key.split(' ') as [string, string];
  return {
    operation: { key, method, path, tags, operationId: name, summary: `${name} summary`, parameters: [], deprecated: false },
    risk: { class: riskClass, destructive: riskClass === 'destructive', reasons: [] },
    included: riskClass === 'read' || riskClass === 'write',
    reason: '',
    unreviewed: false,
    name,
    title: name,
    description: name,
  } as unknown as OperationDecision;
}

describe('selection', () => {
  const operations = [
    decision('GET /pets', 'read', ['pets'], 'listPets'),
    decision('POST /pets', 'write', ['pets'], 'createPet'),
    decision('DELETE /pets/{id}', 'destructive', ['pets'], 'deletePet'),
    decision('DELETE /admin/cache', 'admin', ['admin'], 'purgeCache'),
    decision('GET /health', 'read', [], 'health'),
  ];

  it('summarizes by class and by tag, most used tag first', () => {
    expect(summarize(operations)).toStrictEqual({
      byClass: { read: 2, write: 1, destructive: 1, admin: 1 },
      byTag: [['pets', 3], ['(no tag)', 1], ['admin', 1]],
    });
  });

  it('filters by tag and by text in key, operationId, name or summary', () => {
    expect(filterOperations(operations, { tag: 'pets', text: 'delete' }).map((d) => d.operation.key)).toStrictEqual(['DELETE /pets/{id}']);
    expect(filterOperations(operations, { tag: '(no tag)' }).map((d) => d.operation.key)).toStrictEqual(['GET /health']);
    expect(filterOperations(operations, { text: 'CACHE' }).map((d) => d.operation.key)).toStrictEqual(['DELETE /admin/cache']);
  });

  it('toggles only the operations shown, keeping the order in which operations were chosen', () => {
    const next = applyToggles(new Set(['GET /pets', 'GET /health']), operations.slice(0, 2), ['POST /pets']);
    expect([...next]).toStrictEqual(['GET /health', 'POST /pets']);
    const kept = applyToggles(new Set(['DELETE /admin/cache', 'GET /pets', 'GET /health']), operations.slice(0, 2), ['POST /pets', 'GET /pets']);
    expect([...kept]).toStrictEqual(['DELETE /admin/cache', 'GET /pets', 'GET /health', 'POST /pets']);
  });

  it('selects a whole group safely, entirely, or clears it', () => {
    const pets = filterOperations(operations, { tag: 'pets' });
    expect([...setGroup(new Set(), pets, 'select-safe')]).toStrictEqual(['GET /pets', 'POST /pets']);
    expect([...setGroup(new Set(), pets, 'select-all')]).toStrictEqual(['GET /pets', 'POST /pets', 'DELETE /pets/{id}']);
    expect([...setGroup(new Set(['GET /pets', 'GET /health']), pets, 'clear')]).toStrictEqual(['GET /health']);
  });
});

describe('the server prompts', () => {
  it('proposes a short server name and refuses names clients cannot use', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, serverNamePrompt('petstore'));
    expect(getScreen()).toContain('Server name (clients show it and prefix tool names with it): (petstore)');
    events.type('Pet Store');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Use lowercase letters, digits');
    for (let i = 0; i < 'Pet Store'.length; i++) events.keypress('backspace');
    events.type('a'.repeat(31));
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Keep it to 30 characters');
    for (let i = 0; i < 31; i++) events.keypress('backspace');
    events.type('pet-store');
    events.keypress('enter');
    await expect(answer).resolves.toBe('pet-store');
  });

  it('asks the environment prefix with the default derived from the name', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, envPrefixPrompt('PET_STORE'));
    expect(getScreen()).toContain('Prefix of its environment variables: (PET_STORE)');
    events.type('x');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Use uppercase letters');
    events.keypress('backspace');
    events.keypress('enter');
    await expect(answer).resolves.toBe('PET_STORE');
  });

  it.each([
    ['GitHub v3 REST API', 'github'],
    ['Blockfrost.io ~ API Documentation', 'blockfrost-io'],
    ['Petstore', 'petstore'],
    ['The Stripe API', 'stripe'],
    ['API', 'api'],
    ['Ünïcode Shop Service', 'unicode-shop'],
  ])('proposes a short server name for %j: %j', (title, name) => {
    expect(defaultServerName({ title, servers: [] })).toBe(name);
  });
});

/** Waits for a prompt with an asynchronous check to show `text`. */
async function screenWith(getScreen: () => string, nextRender: () => Promise<void>, text: string): Promise<void> {
  for (let i = 0; i < 20 && !getScreen().includes(text); i++) await Promise.race([nextRender(), new Promise((resolve) => setTimeout(resolve, 50))]);
  expect(getScreen()).toContain(text);
}

describe('the output folder prompt', () => {
  it('says why a folder cannot be used, inline, before anything is asked further', async () => {
    const { dir, cleanup } = await tempDir('toolwright-out-');
    try {
      await mkdir(path.join(dir, 'taken'));
      await writeFile(path.join(dir, 'taken/notes.txt'), 'mine\n');
      const check = (value: string) => outputFolderProblem(path.resolve(dir, value), false);
      const { answer, events, getScreen, nextRender } = await render(input, outPrompt('mcp-server', check));
      events.type('taken');
      events.keypress('enter');
      await screenWith(getScreen, nextRender, 'is not empty and was not generated by toolwright');
      for (let i = 0; i < 5; i++) events.keypress('backspace');
      events.type('taken/notes.txt');
      events.keypress('enter');
      await screenWith(getScreen, nextRender, 'is a file, not a folder');
      for (let i = 0; i < 'taken/notes.txt'.length; i++) events.keypress('backspace');
      events.type('server');
      events.keypress('enter');
      await expect(answer).resolves.toBe('server');
    } finally {
      await cleanup();
    }
  });
});

describe('the review screen', () => {
  it('shows the summary and goes back to any step', async () => {
    const { answer, events, getScreen } = await render(select, reviewPrompt('Review: 3 tools'));
    const screen = getScreen();
    expect(screen).toContain('Review: 3 tools');
    for (const step of ['change the selection', 'names, descriptions and arguments', 'mode (tools, discovery or hybrid)', 'server name and environment prefix', 'output folder']) {
      expect(screen).toContain(`Go back: ${step}`);
    }
    events.keypress('down');
    events.keypress('down');
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe('mode');
  });

  it('offers the starter set in the menu only when there is one', async () => {
    const offered = await render(select, actionPrompt({ count: 2, names: ['list_orders', 'get_order'] }));
    expect(offered.getScreen()).toContain('Add the suggested starter set: 2 central read operations (list_orders, get_order)');
    offered.events.keypress('down');
    offered.events.keypress('enter');
    await expect(offered.answer).resolves.toBe('starter');
    const plain = await render(select, actionPrompt());
    expect(plain.getScreen()).not.toContain('starter set');
    plain.events.keypress('enter');
    await expect(plain.answer).resolves.toBe('done');
  });
});

describe('the mode prompt', () => {
  const costs = { tools: 24_310, discovery: 612, hybrid: 845 };

  it('shows what each mode costs and preselects the recommended one', async () => {
    const { answer, events, getScreen } = await render(select, modePrompt({ costs, toolCount: 120, coreCount: 1, recommended: 'discovery' }));
    const screen = getScreen();
    expect(screen).toContain('tools: each of the 120 tools listed on its own, ~24,310 tokens');
    expect(screen).toContain('discovery: search_tools, describe_tools and call_tool reach all 120, ~612 tokens (recommended)');
    expect(screen).toContain('hybrid: core tools listed on their own plus those three, ~845 tokens with 1 core');
    expect(screen).not.toContain('24,310 tokens (recommended)');
    events.keypress('enter');
    await expect(answer).resolves.toBe('discovery');
  });

  it('comes back with the earlier choice preselected', async () => {
    const { answer, events } = await render(select, modePrompt({ costs, toolCount: 3, coreCount: 2, recommended: 'tools', current: 'hybrid' }));
    events.keypress('enter');
    await expect(answer).resolves.toBe('hybrid');
  });
});

describe('the core tools prompt', () => {
  const candidates = [
    { key: 'GET /orders', name: 'list_orders', tokens: 120 },
    { key: 'GET /orders/{id}', name: 'get_order', tokens: 98 },
  ];

  it('starts from the current core tools and adds others', async () => {
    const { answer, events, getScreen } = await render(checkbox, corePrompt(candidates, new Set(['GET /orders'])));
    expect(getScreen()).toMatch(/◉ list_orders \(~120 tokens\)/);
    expect(getScreen()).toMatch(/◯ get_order \(~98 tokens\)/);
    events.keypress('down');
    events.keypress('space');
    events.keypress('enter');
    await expect(answer).resolves.toStrictEqual(['GET /orders', 'GET /orders/{id}']);
  });

  it('asks for at least one core tool', async () => {
    const { answer, events, getScreen, nextRender } = await render(checkbox, corePrompt(candidates, new Set(['GET /orders'])));
    events.keypress('space');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Choose at least one core tool, or go back and pick discovery.');
    events.keypress('down');
    events.keypress('space');
    events.keypress('enter');
    await expect(answer).resolves.toStrictEqual(['GET /orders/{id}']);
  });
});

describe('recording the mode, core tools, redactions and credential parameters', () => {
  it('writes them into toolwright.yaml, keeping the field selections already there', async () => {
    const { decisions } = await curateSpec({ spec: path.join(repoRoot, 'examples/petstore/openapi.yaml') });
    const choices = new Map<string, Choice>();
    for (const decision of decisions.operations) {
      choices.set(decision.operation.key, { included: decision.included, reason: decision.reason, name: decision.name, arguments: {} });
    }
    choices.set('GET /pets', { included: true, reason: 'read', name: 'list_pets', arguments: { store: { credential: false } }, core: true, redact: ['secret'] });
    choices.set('GET /pets/{petId}', { included: true, reason: 'read', name: 'get_pet', arguments: {}, redact: [] });
    const existing = 'spec: openapi.yaml\noperations:\n  listPets:\n    responseFields: { drop: [tags], redact: [old] }\n  getPet:\n    core: true\n    responseFields: { redact: [old] }\n';
    const text = renderRecord({ decisions, choices, spec: 'openapi.yaml', out: 'server', existing, configDir: '/x', mode: 'hybrid' });
    const record = parse(text) as { mode: string; operations: Record<string, Record<string, unknown>> };
    expect(record.mode).toBe('hybrid');
    expect(record.operations.listPets).toStrictEqual({
      include: true,
      reason: 'read',
      name: 'list_pets',
      arguments: { store: { credential: false } },
      core: true,
      responseFields: { drop: ['tags'], redact: ['secret'] },
    });
    expect(record.operations.getPet).toStrictEqual({ include: true, reason: 'read', name: 'get_pet' });
  });
});

describe('the sensitive field and credential prompts', () => {
  it('proposes every secret-looking field for redaction, except those cleared before', async () => {
    const fresh = await render(checkbox, redactionPrompt('get_key', ['client_secret', 'token'], new Set()));
    expect(fresh.getScreen()).toContain("Fields of get_key's results that look like secrets");
    fresh.events.keypress('enter');
    await expect(fresh.answer).resolves.toStrictEqual(['client_secret', 'token']);
    const again = await render(checkbox, redactionPrompt('get_key', ['client_secret', 'token'], new Set(['token'])));
    again.events.keypress('enter');
    await expect(again.answer).resolves.toStrictEqual(['client_secret']);
  });

  it('shows where each credential comes from and lets one be kept as an argument', async () => {
    const credentials = [
      { argument: 'api_key', parameter: 'api_key', env: 'SHOP_API_KEY' },
      { argument: 'session_id', parameter: 'sessionId', env: 'SHOP_SESSION_ID' },
    ];
    const { answer, events, getScreen } = await render(checkbox, credentialPrompt('list_orders', credentials, new Set()));
    expect(getScreen()).toContain('api_key: filled from SHOP_API_KEY');
    expect(getScreen()).toContain('session_id: filled from SHOP_SESSION_ID');
    events.keypress('down');
    events.keypress('space');
    events.keypress('enter');
    await expect(answer).resolves.toStrictEqual(['api_key']);
    const kept = await render(checkbox, credentialPrompt('list_orders', credentials, new Set(['api_key'])));
    kept.events.keypress('enter');
    await expect(kept.answer).resolves.toStrictEqual(['session_id']);
  });
});

describe('searching operations by words', () => {
  it('ranks the petstore operations for a query of several words, best first', async () => {
    const { decisions } = await curateSpec({ spec: path.join(repoRoot, 'examples/petstore/openapi.yaml') });
    const search = createOperationSearch(decisions.operations);
    expect(search('pets of an owner', 3)[0]!.operation.key).toBe('GET /owners/{ownerId}/pets');
    expect(search('remove pet', 3)[0]!.operation.key).toBe('DELETE /pets/{petId}');
    expect(search('purge cache', 3)[0]!.operation.key).toBe('DELETE /admin/cache');
    expect(search('zebra', 3)).toStrictEqual([]);
  });
});

describe('the schema reference of toolwright.yaml', () => {
  it('points at the schema in node_modules, relative to the file, so that it works offline', async () => {
    const { dir, cleanup } = await tempDir('toolwright-schema-');
    try {
      expect(schemaComment(dir)).toBe(' yaml-language-server: $schema=./node_modules/toolwright/schema/toolwright.schema.json');
      await mkdir(path.join(dir, 'node_modules/toolwright/schema'), { recursive: true });
      await writeFile(path.join(dir, 'node_modules/toolwright/schema/toolwright.schema.json'), '{}');
      await mkdir(path.join(dir, 'mcp'));
      expect(schemaComment(path.join(dir, 'mcp'))).toBe(' yaml-language-server: $schema=../node_modules/toolwright/schema/toolwright.schema.json');
      expect(schemaComment(path.join(packageRoot, 'examples/petstore'))).toBe(' yaml-language-server: $schema=../../schema/toolwright.schema.json');
    } finally {
      await cleanup();
    }
  });
});
