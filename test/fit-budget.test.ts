import { describe, expect, it } from 'vitest';
import { fitToBudget, jsonLength, schemaBudget } from '../src/catalog/fit-budget.js';

describe('jsonLength', () => {
  const shared = { type: 'object', properties: { name: { type: 'string', description: 'a "quoted"\nname ünï' } } };
  const values: unknown[] = [
    null,
    true,
    -0,
    1e21,
    0.1,
    Number.NaN,
    'text with \u2028 and \\',
    [],
    {},
    [1, undefined, 'x', null],
    { a: undefined, b: 1, __proto__key: [shared, shared] },
    { left: shared, right: shared, list: [shared, { nested: shared }] },
    { date: new Date(0) },
  ];

  it.each(values.map((value) => [JSON.stringify(value), value]))('is the length of JSON.stringify for %s', (_text, value) => {
    expect(jsonLength(value, Infinity)).toBe(JSON.stringify(value).length);
  });

  it('stops as soon as the limit is passed, with a number over it', () => {
    const big = { items: Array.from({ length: 1000 }, (_, index) => ({ index, text: 'x'.repeat(100) })) };
    const size = jsonLength(big, 500);
    expect(size).toBeGreaterThan(500);
    expect(size).toBeLessThan(JSON.stringify(big).length);
  });
});

describe('fitToBudget', () => {
  it('keeps the deepest attempt within budget, as a tree of its own, with its size', () => {
    const shared = { type: 'string', description: 'x'.repeat(1000) };
    const tried: number[] = [];
    const fitted = fitToBudget('output', (maxDepth) => {
      tried.push(maxDepth);
      const count = maxDepth * 10;
      return { schema: { type: 'object', properties: Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, shared])) } };
    });
    expect(tried).toStrictEqual([4, 3, 2, 1]);
    expect(fitted).toMatchObject({ depth: 1, fits: true });
    expect(fitted.bytes).toBe(JSON.stringify(fitted.schema).length);
    expect(fitted.bytes).toBeLessThanOrEqual(schemaBudget.output);
    const properties = fitted.schema!.properties as Record<string, unknown>;
    expect(properties.p0).toStrictEqual(shared);
    expect(properties.p0).not.toBe(properties.p1);
  });

  it('returns the last attempt, marked as not fitting, when none fits', () => {
    const fitted = fitToBudget('output', () => ({ schema: { description: 'x'.repeat(schemaBudget.output + 1) } }));
    expect(fitted).toMatchObject({ depth: 0, fits: false });
    expect(fitted.bytes).toBe(JSON.stringify(fitted.schema).length);
  });
});
