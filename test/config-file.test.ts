import { describe, expect, it } from 'vitest';
import { parseCurationConfig } from '../src/curate/config-file.js';
import { UserError } from '../src/errors.js';

function errorOf(text: string): { message: string; line?: number } {
  try {
    parseCurationConfig(text, '/work/toolwright.yaml');
  } catch (error) {
    if (error instanceof UserError) return { message: error.message, line: error.diagnostic.line };
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseCurationConfig', () => {
  it('reads server settings and operation decisions, resolving paths against the file', () => {
    const config = parseCurationConfig(
      [
        'spec: ./api.yaml',
        'out: ../server',
        'server:',
        '  name: shop',
        '  envPrefix: SHOP',
        'operations:',
        '  listPets:',
        '  getPet:',
        '    name: get_pet',
        '    description: Get one pet.',
        '  "DELETE /pets/{id}":',
        '    include: false',
        '    reason: destructive',
        '  findPets:',
        '    arguments:',
        '      tenant: { value: acme }',
        '      debug: { hidden: true }',
        '      limit: { maximum: 50, description: How many. }',
        '      cursor: { value: null }',
        '    annotations: { openWorldHint: false }',
        '    confirm: true',
      ].join('\n'),
      '/work/conf/toolwright.yaml',
    );
    expect(config).toStrictEqual({
      file: '/work/conf/toolwright.yaml',
      spec: '/work/conf/api.yaml',
      out: '/work/server',
      server: { name: 'shop', envPrefix: 'SHOP' },
      newOperations: 'exclude',
      operations: [
        { ref: 'listPets', line: 7, arguments: {} },
        { ref: 'getPet', line: 8, name: 'get_pet', description: 'Get one pet.', arguments: {} },
        { ref: 'DELETE /pets/{id}', line: 11, include: false, reason: 'destructive', arguments: {} },
        {
          ref: 'findPets',
          line: 14,
          arguments: {
            tenant: { line: 16, pinned: { value: 'acme' } },
            debug: { line: 17, hidden: true },
            limit: { line: 18, maximum: 50, description: 'How many.' },
            cursor: { line: 19, pinned: { value: null } },
          },
          annotations: { openWorldHint: false },
          confirm: true,
        },
      ],
    });
  });

  it('reads the mode and the core operations', () => {
    const config = parseCurationConfig('mode: hybrid\noperations:\n  listPets:\n    core: true\n  getPet: {}\n', '/x/toolwright.yaml');
    expect(config.mode).toBe('hybrid');
    expect(config.operations.map((entry) => [entry.ref, entry.core])).toStrictEqual([
      ['listPets', true],
      ['getPet', undefined],
    ]);
    expect(parseCurationConfig('', '/x/toolwright.yaml').mode).toBeUndefined();
  });

  it('accepts an empty file', () => {
    expect(parseCurationConfig('', '/x/toolwright.yaml').operations).toStrictEqual([]);
    expect(parseCurationConfig('# nothing yet\n', '/x/toolwright.yaml').newOperations).toBe('exclude');
  });

  it.each([
    ['unknown top-level key', 'server:\n  name: a\nservers: 1\n', 3, 'unknown key "servers" in the top level'],
    ['unknown operation key', 'operations:\n  listPets:\n    nmae: x\n', 3, 'unknown key "nmae" in operation "listPets"'],
    ['wrong type', 'operations:\n  listPets:\n    include: "no"\n', 3, '"include" in operation "listPets" must be a boolean'],
    ['unknown argument key', 'operations:\n  listPets:\n    arguments:\n      limit: { max: 5 }\n', 4, 'unknown key "max" in argument "limit" of operation "listPets"'],
    ['unknown policy', 'newOperations: include\n', 1, '"newOperations" must be one of: exclude, classify'],
    ['unknown mode', 'server:\n  name: a\nmode: search\n', 3, '"mode" must be one of: tools, discovery, hybrid'],
    ['core that is not a boolean', 'operations:\n  listPets:\n    core: yes please\n', 3, '"core" in operation "listPets" must be a boolean'],
    ['invalid tool name', 'operations:\n  listPets:\n    name: list pets\n', 3, 'tool name "list pets" is not valid'],
    ['invalid env prefix', 'server:\n  envPrefix: my-api\n', 2, 'envPrefix "my-api" is not a valid environment variable prefix'],
    ['hidden: false', 'operations:\n  a:\n    arguments:\n      b: { hidden: false }\n', 4, '"hidden" in argument "b" of operation "a" can only be true'],
    ['YAML syntax', 'server:\n  name: [a\n', 3, 'invalid YAML'],
    ['duplicate key', 'operations:\n  a: {}\n  a: {}\n', 3, 'invalid YAML'],
    ['not a mapping', '- a\n- b\n', 1, 'the file must be a YAML mapping'],
  ])('rejects %s, naming the line', (_name, text, line, message) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });
});
