import { describe, expect, it } from 'vitest';
import type { JsonSchemaType } from '@modelcontextprotocol/server';
import { findSchemaError, schemaValidator } from '../../templates/runtime/validation.js';

const schema = {
  type: 'object',
  properties: {
    petId: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', maximum: 100 },
    name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
    status: { enum: ['available', 'sold'] },
    kind: { const: 'dog' },
    nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    shape: { oneOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] },
    ratio: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
    born: { type: 'string', format: 'date' },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
    pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
    owner: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      required: ['email'],
      additionalProperties: false,
    },
    flag: { type: ['boolean', 'null'] },
  },
  required: ['petId'],
  additionalProperties: false,
};

/** The message a tool call gets for invalid arguments (with an example); `findSchemaError` gives the same without one. */
function check(args: unknown, against: object = schema): string | undefined {
  const result = schemaValidator.getValidator(against as JsonSchemaType)(args);
  return result.valid ? undefined : result.errorMessage;
}

describe('argument validation messages', () => {
  it.each([
    [{}, 'missing required argument "petId", e.g. 1'],
    [{ petId: 'abc' }, 'petId: must be an integer (got "abc"), e.g. 1'],
    [{ petId: 1, extra: 1 }, 'unknown argument "extra" (allowed: petId, limit, name, status, kind, nickname, shape, ratio, born, tags, pair, owner, flag)'],
    [{ petId: 1, limit: 500 }, 'limit: must be <= 100 (got 500), e.g. 1'],
    [{ petId: 0 }, 'petId: must be >= 1 (got 0), e.g. 1'],
    [{ petId: 1, ratio: 0 }, 'ratio: must be > 0 (got 0), e.g. 0.5'],
    [{ petId: 1, ratio: 0.3 }, 'ratio: must be a multiple of 0.5 (got 0.3), e.g. 0.5'],
    [{ petId: 1, name: 'x' }, 'name: must be at least 2 characters long (got "x")'],
    [{ petId: 1, name: 'abcdef' }, 'name: must be at most 5 characters long (got "abcdef")'],
    [{ petId: 1, name: 'AB' }, 'name: must match the pattern ^[a-z]+$ (got "AB")'],
    [{ petId: 1, status: 'lost' }, 'status: must be one of "available", "sold" (got "lost")'],
    [{ petId: 1, kind: 'cat' }, 'kind: must be "dog" (got "cat")'],
    [{ petId: 1, nickname: 5 }, 'nickname: must be a string or null (got 5), e.g. "text"'],
    [{ petId: 1, shape: { c: 1 } }, 'shape: does not match any of the allowed forms (got {"c":1})'],
    [{ petId: 1, shape: { a: 1, b: 2 } }, 'shape: matches more than one of the allowed forms (got {"a":1,"b":2})'],
    [{ petId: 1, born: '2024-13-45' }, 'born: must be a valid date (got "2024-13-45"), e.g. "2024-01-31"'],
    [{ petId: 1, tags: [] }, 'tags: must have at least 1 items'],
    [{ petId: 1, tags: ['a', 'b', 'c'] }, 'tags: must have at most 2 items'],
    [{ petId: 1, tags: ['a', 'a'] }, 'tags: must not contain duplicates (items 0 and 1 are equal)'],
    [{ petId: 1, tags: ['a', 2] }, 'tags[1]: must be a string (got 2), e.g. "text"'],
    [{ petId: 1, pair: ['a', 1, true] }, 'pair: must have at most 2 items'],
    [{ petId: 1, owner: {} }, 'owner: missing required property "email", e.g. "user@example.com"'],
    [{ petId: 1, owner: { email: 'x@example.com', phone: '1' } }, 'owner: unknown property "phone" (allowed: email, address)'],
    [{ petId: 1, owner: { email: 'nope' } }, 'owner.email: must be a valid email (got "nope"), e.g. "user@example.com"'],
    [{ petId: 1, owner: { email: 'x@example.com', address: {} } }, 'owner.address: missing required property "city", e.g. "text"'],
    [{ petId: 1, flag: 'yes' }, 'flag: must be a boolean (true or false) or null (got "yes"), e.g. true'],
  ])('%j → %s', (args, want) => {
    expect(check(args)).toBe(want);
  });

  it('gives the schema\'s own example, and none when no valid one is known', () => {
    const withExamples = { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{3}$', examples: ['EUR'] }, n: { type: 'integer', minimum: 5, maximum: 3 } } };
    expect(check({ code: 'eur' }, withExamples)).toBe('code: must match the pattern ^[A-Z]{3}$ (got "eur"), e.g. "EUR"');
    expect(check({ n: 'x' }, withExamples)).toBe('n: must be an integer (got "x")');
    expect(findSchemaError(withExamples, { code: 'eur' })).toBe('code: must match the pattern ^[A-Z]{3}$ (got "eur")');
  });

  it('accepts valid arguments and returns them unchanged', () => {
    const args = { petId: 3, limit: 10, nickname: null, pair: ['a', 1], owner: { email: 'x@example.com' } };
    const result = schemaValidator.getValidator(schema as JsonSchemaType)(args);
    expect(result).toStrictEqual({ valid: true, data: args, errorMessage: undefined });
  });

  it('reports several problems at once, at most five', () => {
    expect(check({ petId: 'x', limit: 'y' })).toBe('petId: must be an integer (got "x"), e.g. 1; limit: must be an integer (got "y"), e.g. 1');
    const many = check({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 });
    expect(many).toMatch(/^missing required argument "petId", e\.g\. 1; unknown argument "a"/);
    expect(many).toMatch(/; and 3 more$/);
  });

  it('explains a tool that takes no arguments', () => {
    expect(findSchemaError({ type: 'object', properties: {}, additionalProperties: false }, { x: 1 })).toBe(
      'unknown argument "x" (this tool takes no arguments)',
    );
  });

  it('uses 2020-12 semantics ($defs, unevaluatedProperties, dependentRequired)', () => {
    const recursive = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/node' } },
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' }, id: { type: 'integer' } } } },
      dependentRequired: { node: ['depth'] },
      unevaluatedProperties: false,
    };
    expect(findSchemaError(recursive, { node: { child: { id: 'x' } }, depth: 1 })).toBe(
      'node.child.id: must be an integer (got "x"); unknown argument "depth" (allowed: node)',
    );
    expect(findSchemaError(recursive, { node: {} })).toBe('arguments: missing property "depth" (required when "node" is present)');
  });

  it('finds the allowed properties of oddly named fields and caps long enum lists', () => {
    const odd = {
      type: 'object',
      properties: {
        'my field': { type: 'object', properties: { a: {} }, additionalProperties: false },
        code: { enum: Array.from({ length: 12 }, (_, index) => `c${index}`) },
      },
    };
    expect(findSchemaError(odd, { 'my field': { b: 1 } })).toBe('my field: unknown property "b" (allowed: a)');
    expect(findSchemaError(odd, { code: 'x' })).toBe(
      'code: must be one of "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", ... (2 more) (got "x")',
    );
  });

  it('caches one compiled validator per schema object', () => {
    expect(schemaValidator.getValidator(schema as JsonSchemaType)).toBe(schemaValidator.getValidator(schema as JsonSchemaType));
  });
});
