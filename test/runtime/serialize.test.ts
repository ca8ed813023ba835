import { describe, expect, it } from 'vitest';
import type { ParameterBinding, ParameterStyle } from '../../templates/runtime/definition.js';
import {
  encodeStrict,
  encodedFormFields,
  formFields,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from '../../templates/runtime/serialize.js';

const string = 'blue';
const array = ['blue', 'black', 'brown'];
const object = { R: 100, G: 200, B: 150 };

function binding(style: ParameterStyle, explode: boolean, location: ParameterBinding['in'] = 'query'): ParameterBinding {
  return { argument: 'color', in: location, name: 'color', style, explode };
}

/** Expected values from the OpenAPI 3.1 "Style Examples" table (https://spec.openapis.org/oas/v3.1.1#style-examples). */
describe('path styles (OpenAPI style examples)', () => {
  it.each([
    { style: 'matrix', explode: false, undef: ';color', str: ';color=blue', arr: ';color=blue,black,brown', obj: ';color=R,100,G,200,B,150' },
    { style: 'matrix', explode: true, undef: ';color', str: ';color=blue', arr: ';color=blue;color=black;color=brown', obj: ';R=100;G=200;B=150' },
    { style: 'label', explode: false, undef: '.', str: '.blue', arr: '.blue,black,brown', obj: '.R,100,G,200,B,150' },
    { style: 'label', explode: true, undef: '.', str: '.blue', arr: '.blue.black.brown', obj: '.R=100.G=200.B=150' },
    { style: 'simple', explode: false, undef: '', str: 'blue', arr: 'blue,black,brown', obj: 'R,100,G,200,B,150' },
    { style: 'simple', explode: true, undef: '', str: 'blue', arr: 'blue,black,brown', obj: 'R=100,G=200,B=150' },
  ] as const)('$style explode=$explode', ({ style, explode, undef, str, arr, obj }) => {
    const b = binding(style, explode, 'path');
    expect(serializePathParameter(b, null)).toBe(undef);
    expect(serializePathParameter(b, string)).toBe(str);
    expect(serializePathParameter(b, array)).toBe(arr);
    expect(serializePathParameter(b, object)).toBe(obj);
  });

  it.each([
    ['../admin', '..%2Fadmin'],
    ['a/b?c#d', 'a%2Fb%3Fc%23d'],
    ['100%', '100%25'],
    ['x y', 'x%20y'],
    ["it's (a) *star*!", 'it%27s%20%28a%29%20%2Astar%2A%21'],
    ['ü', '%C3%BC'],
  ])('percent-encodes %j as %j in a simple path segment', (value, want) => {
    expect(serializePathParameter(binding('simple', false, 'path'), value)).toBe(want);
  });

  it('writes numbers and booleans as their JSON text', () => {
    expect(serializePathParameter(binding('simple', false, 'path'), 42)).toBe('42');
    expect(serializePathParameter(binding('simple', false, 'path'), 1.5)).toBe('1.5');
    expect(serializePathParameter(binding('matrix', false, 'path'), true)).toBe(';color=true');
    expect(serializePathParameter(binding('label', true, 'path'), [1, false])).toBe('.1.false');
  });
});

describe('query styles (OpenAPI style examples)', () => {
  it.each([
    { style: 'form', explode: false, undef: ['color='], str: ['color=blue'], arr: ['color=blue,black,brown'], obj: ['color=R,100,G,200,B,150'] },
    { style: 'form', explode: true, undef: ['color='], str: ['color=blue'], arr: ['color=blue', 'color=black', 'color=brown'], obj: ['R=100', 'G=200', 'B=150'] },
    { style: 'spaceDelimited', explode: false, arr: ['color=blue%20black%20brown'], obj: ['color=R%20100%20G%20200%20B%20150'] },
    { style: 'pipeDelimited', explode: false, arr: ['color=blue%7Cblack%7Cbrown'], obj: ['color=R%7C100%7CG%7C200%7CB%7C150'] },
    { style: 'deepObject', explode: true, obj: ['color%5BR%5D=100', 'color%5BG%5D=200', 'color%5BB%5D=150'] },
  ] as { style: ParameterStyle; explode: boolean; undef?: string[]; str?: string[]; arr?: string[]; obj?: string[] }[])(
    '$style explode=$explode',
    ({ style, explode, undef, str, arr, obj }) => {
      const b = binding(style, explode);
      if (undef) expect(serializeQueryParameter(b, null)).toStrictEqual(undef);
      if (str) expect(serializeQueryParameter(b, string)).toStrictEqual(str);
      if (arr) expect(serializeQueryParameter(b, array)).toStrictEqual(arr);
      if (obj) expect(serializeQueryParameter(b, object)).toStrictEqual(obj);
    },
  );

  it('falls back sensibly for combinations the specification leaves undefined', () => {
    expect(serializeQueryParameter(binding('spaceDelimited', true), array)).toStrictEqual(['color=blue', 'color=black', 'color=brown']);
    expect(serializeQueryParameter(binding('pipeDelimited', false), 'blue')).toStrictEqual(['color=blue']);
    expect(serializeQueryParameter(binding('deepObject', true), 'blue')).toStrictEqual(['color=blue']);
    expect(serializeQueryParameter(binding('deepObject', true), { a: { b: 1 }, c: [1, 2] })).toStrictEqual([
      'color%5Ba%5D%5Bb%5D=1',
      'color%5Bc%5D=1',
      'color%5Bc%5D=2',
    ]);
  });

  it('keeps reserved characters in place of a parameter', () => {
    const value = 'a&b=c#d e+f/g,h';
    expect(serializeQueryParameter(binding('form', true), value)).toStrictEqual(['color=a%26b%3Dc%23d%20e%2Bf%2Fg%2Ch']);
    expect(serializeQueryParameter({ ...binding('form', true), allowReserved: true }, value)).toStrictEqual([
      'color=a%26b%3Dc%23d%20e%2Bf/g,h',
    ]);
  });

  it('encodes the parameter name and writes scalars as JSON text', () => {
    expect(serializeQueryParameter({ ...binding('form', true), name: 'a b' }, 3)).toStrictEqual(['a%20b=3']);
    expect(serializeQueryParameter(binding('form', false), [true, 2.5])).toStrictEqual(['color=true,2.5']);
    expect(serializeQueryParameter(binding('form', true), [])).toStrictEqual(['color=']);
    expect(serializeQueryParameter(binding('form', true), '')).toStrictEqual(['color=']);
  });
});

describe('header style (simple)', () => {
  it.each([
    [false, 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
    [true, 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
  ])('explode=%s', (explode, str, arr, obj) => {
    const b = binding('simple', explode, 'header');
    expect(serializeHeaderParameter(b, string)).toBe(str);
    expect(serializeHeaderParameter(b, array)).toBe(arr);
    expect(serializeHeaderParameter(b, object)).toBe(obj);
    expect(serializeHeaderParameter(b, 7)).toBe('7');
  });
});

describe('cookie style (form)', () => {
  it.each([
    [false, ['color=blue'], ['color=blue,black,brown'], ['color=R,100,G,200,B,150']],
    [true, ['color=blue'], ['color=blue', 'color=black', 'color=brown'], ['R=100', 'G=200', 'B=150']],
  ])('explode=%s', (explode, str, arr, obj) => {
    const b = binding('form', explode, 'cookie');
    expect(serializeCookieParameter(b, string)).toStrictEqual(str);
    expect(serializeCookieParameter(b, array)).toStrictEqual(arr);
    expect(serializeCookieParameter(b, object)).toStrictEqual(obj);
    expect(serializeCookieParameter(b, 'a; b=c')).toStrictEqual(['color=a%3B%20b%3Dc']);
  });
});

describe('helpers', () => {
  it('encodeStrict leaves only unreserved characters', () => {
    expect(encodeStrict("AZaz09-._~!*'()/?#[]@$&+,;= %")).toBe('AZaz09-._~%21%2A%27%28%29%2F%3F%23%5B%5D%40%24%26%2B%2C%3B%3D%20%25');
  });

  it('formFields flattens nested values with brackets', () => {
    expect(formFields('a', { b: 1, c: [1, { d: true }], e: null })).toStrictEqual([
      ['a[b]', '1'],
      ['a[c]', '1'],
      ['a[c][1][d]', 'true'],
      ['a[e]', ''],
    ]);
  });
});

describe('encodedFormFields (the OpenAPI Encoding Object)', () => {
  it.each([
    [['a', 'b'], { style: 'deepObject', explode: true }, [['expand[]', 'a'], ['expand[]', 'b']]],
    [['a', 'b'], { style: 'form', explode: true }, [['expand', 'a'], ['expand', 'b']]],
    [['a', 'b'], { style: 'form', explode: false }, [['expand', 'a,b']]],
    [['a', 'b'], { style: 'spaceDelimited', explode: false }, [['expand', 'a b']]],
    [['a', 'b'], { style: 'pipeDelimited', explode: false }, [['expand', 'a|b']]],
    [{ R: 100, G: 200 }, { style: 'form', explode: true }, [['R', '100'], ['G', '200']]],
    [{ R: 100, G: 200 }, { style: 'form', explode: false }, [['expand', 'R,100,G,200']]],
    [{ R: 100, G: 200 }, { style: 'deepObject', explode: true }, [['expand[R]', '100'], ['expand[G]', '200']]],
    [['a', 'b'], undefined, [['expand', 'a'], ['expand', 'b']]],
  ] as const)('%j with %j', (value, encoding, want) => {
    expect(encodedFormFields('expand', value, encoding as never)).toStrictEqual(want);
  });
});
