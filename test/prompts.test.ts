import { input } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { descriptionPrompt, parsePinnedValue, pinnedValuePrompt, toolNamePrompt } from '../src/curate/prompts.js';
import { applyToggles, filterOperations, setGroup, summarize } from '../src/curate/selection.js';
import type { OperationDecision } from '../src/curate/select.js';
import type { RiskClass } from '../src/model/classify.js';

describe('the tool name prompt', () => {
  it('proposes the derived name and accepts it', async () => {
    const { answer, events, getScreen } = await render(input, toolNamePrompt('list_pets', new Set()));
    expect(getScreen()).toContain('Tool name: (list_pets)');
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
    operation: { key, method, path, tags, operationId: name, summary: `${name} summary` },
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

  it('toggles only the operations shown', () => {
    const next = applyToggles(new Set(['GET /pets', 'GET /health']), operations.slice(0, 2), ['POST /pets']);
    expect([...next].sort()).toStrictEqual(['GET /health', 'POST /pets']);
  });

  it('selects a whole group safely, entirely, or clears it', () => {
    const pets = filterOperations(operations, { tag: 'pets' });
    expect([...setGroup(new Set(), pets, 'select-safe')]).toStrictEqual(['GET /pets', 'POST /pets']);
    expect([...setGroup(new Set(), pets, 'select-all')]).toStrictEqual(['GET /pets', 'POST /pets', 'DELETE /pets/{id}']);
    expect([...setGroup(new Set(['GET /pets', 'GET /health']), pets, 'clear')]).toStrictEqual(['GET /health']);
  });
});
