import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { countTextTokens, encodeTokenTable, tokenTableFile, tokensOf } from '../src/catalog/tokenizer.js';
import { corpusDir, hasCorpus, repoRoot } from './helpers.js';

/** gpt-tokenizer's count of a text as a model receives it: special-token text is ordinary text. */
const reference = (text: string): number => countTokens(text, { disallowedSpecial: new Set() });

/** Slices of a file, of varied lengths, starting anywhere: the pieces cut at their edges are the hard cases. */
function slicesOf(text: string, step: number): string[] {
  const slices: string[] = [];
  for (let start = 0; start < text.length; start += step) slices.push(text.slice(start, start + step + (start % 611)));
  return slices;
}

describe('countTextTokens (o200k_base)', () => {
  it.each([
    '',
    ' ',
    'a',
    'Returns the customer\'s last 4 digits, e.g. 4242. It\'s what they\'ll see; we\'ve DONE it.',
    '{"type":"object","properties":{"id":{"type":"integer"},"created_at":{"type":"string"}}}',
    '日本語のテキスト、絵文字😀👍🏽と "quoted" テキスト',
    '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} family',
    'Ελληνικά, русский текст, עברית, العربية, हिन्दी, 한국어 텍스트입니다',
    'ÀÉÎÕÜ çñ ßø ﬁ ǅ Ǆ ǆ',
    'lone \ud800 surrogate \udc00 halves',
    'tab\there\r\nwindows\n\n\nlines   and   spaces  \n  ',
    'numbers 1234567 3.14159 -0.5e10 0x1F 1,000,000',
    'CamelCaseHTTPResponse getHTTPResponseCode snake_case_name kebab-case-name SCREAMING_CASE',
    '<|endoftext|> and <|im_start|>system<|im_end|> are text in a description',
    'a'.repeat(3000),
    '🙂'.repeat(200),
    'x'.repeat(50) + ' ' + '1'.repeat(40) + '\n'.repeat(30) + '!'.repeat(70),
  ])('counts %j as gpt-tokenizer does', (text) => {
    expect(countTextTokens(text)).toBe(reference(text));
  });

  it('counts the repository\'s own specs, templates and docs as gpt-tokenizer does', () => {
    const files = [
      'examples/petstore/openapi.yaml',
      'examples/petstore-v2/openapi.yaml',
      'README.md',
      ...readdirSync(path.join(repoRoot, 'templates/runtime')).map((name) => `templates/runtime/${name}`),
    ];
    const texts = files.flatMap((file) => slicesOf(readFileSync(path.join(repoRoot, file), 'utf8'), 701));
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) expect(countTextTokens(text), text.slice(0, 60)).toBe(reference(text));
  });

  it.skipIf(!hasCorpus)('counts slices of real specs in many languages as gpt-tokenizer does', () => {
    const specs = ['gh-stripe__spec3-2023-09.yaml', 'gh-discord__openapi.json', 'gh-xero__accounting.yaml', 'gh-box__openapi.json'];
    let compared = 0;
    for (const spec of specs) {
      const text = readFileSync(path.join(corpusDir, 'github', spec), 'utf8');
      for (const slice of slicesOf(text, 4_999)) {
        expect(countTextTokens(slice), `${spec}: ${slice.slice(0, 60)}`).toBe(reference(slice));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('reads the table the build wrote: the same tokens as gpt-tokenizer lists, byte for byte', () => {
    const ranks = (createRequire(import.meta.url)('gpt-tokenizer/bpeRanks/o200k_base') as { default: (string | number[])[] }).default;
    expect(readFileSync(tokenTableFile).equals(encodeTokenTable(tokensOf(ranks)))).toBe(true);
  });
});
