// Issue 9 (high): text was cut before it was redacted, so a cut inside a secret left its prefix behind, and
// secrets in encoded forms were not recognised. This fuzzes every place that cuts text the client, the log or
// the audit line sees, with random secrets, random encodings and random cut points.
//
// A leak is any prefix of 4 or more characters of the secret (or of its encoded form) that appears more often in
// the output than in the same output with the secret replaced by filler. Four is the shortest prefix that does
// not occur by chance: the template text around it is subtracted by the baseline, and with ~80 possible
// characters a given 4-character string turns up at random about once in 40 million positions. Shorter
// matches (a single "e", "%2") are noise that redaction must not chase.
import { describe, expect, it } from 'vitest';
import { createAudit, redactArguments } from '../../templates/runtime/audit.js';
import { createLogger } from '../../templates/runtime/log.js';
import { readBody } from '../../templates/runtime/read-body.js';
import { createRedactor, type Redactor } from '../../templates/runtime/redact.js';
import { toToolResult } from '../../templates/runtime/results.js';
import type { UpstreamOutcome } from '../../templates/runtime/upstream.js';
import { getTool } from './harness.js';

/** A small seeded generator (mulberry32), so that a failure can be replayed from its seed. */
function generator(seed: number): { next: () => number; int: (min: number, max: number) => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: (items) => items[int(0, items.length - 1)]! };
}

const charsets = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  "!'()*+/= %",
  "abcDEF0123!'()*+/= %&?;:@,$",
  'abc-._xyz"\\<>',
  'aé日ü€b🙂',
];
/** Never in a secret: used as padding and as the baseline filler. */
const filler = '~';

/** Secrets never start or end with whitespace: the environment reader trims them. */
function randomSecret(random: ReturnType<typeof generator>): string {
  const length = random.int(8, 40);
  const edge = () => random.pick(charsets[0]!.split(''));
  const sets = [random.pick(charsets), random.pick(charsets), charsets[0]!];
  const inner = Array.from({ length: length - 2 }, () => {
    const set = [...random.pick(sets)];
    return set[random.int(0, set.length - 1)]!;
  }).join('');
  return `${edge()}${inner}${edge()}`;
}

type Encoded = { text: string; secretPart: string };
const bytesOf = (text: string) => Buffer.from(text, 'utf8');
function base64Inside(prefix: string, secret: string, url: boolean): Encoded {
  const head = bytesOf(prefix).length;
  const raw = Buffer.concat([bytesOf(prefix), bytesOf(secret)]).toString(url ? 'base64url' : 'base64');
  return { text: raw, secretPart: raw.slice(Math.ceil((head * 8) / 6), Math.floor(((head + bytesOf(secret).length) * 8) / 6)) };
}

const encodings: { name: string; encode: (secret: string, random: ReturnType<typeof generator>) => Encoded }[] = [
  { name: 'plain', encode: (s) => ({ text: s, secretPart: s }) },
  { name: 'encodeURIComponent', encode: (s) => same(encodeURIComponent(s)) },
  { name: 'RFC 3986 strict', encode: (s) => same(encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)) },
  { name: 'lower-case percent-encoding', encode: (s) => same(encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())) },
  { name: 'form (space as +)', encode: (s) => same(new URLSearchParams({ v: s }).toString().slice(2)) },
  { name: 'JSON-escaped', encode: (s) => same(JSON.stringify(s).slice(1, -1)) },
  { name: 'JSON \\u escapes', encode: (s) => same(Array.from({ length: s.length }, (_, i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')) },
  { name: 'HTML character references', encode: (s) => same([...s].map((c) => `&#${c.codePointAt(0)};`).join('')) },
  { name: 'cookie (quoted)', encode: (s) => ({ text: `"${s}"`, secretPart: s }) },
  { name: 'base64', encode: (s) => base64Inside('', s, false) },
  { name: 'base64url', encode: (s) => base64Inside('', s, true) },
  { name: 'Basic user:pass', encode: (s) => base64Inside('someone:', s, false) },
  { name: 'base64 inside a longer value', encode: (s, random) => base64Inside('x'.repeat(random.int(1, 5)), s, random.next() < 0.5) },
];
function same(text: string): Encoded {
  return { text, secretPart: text };
}

/** Every prefix of 4+ characters of the secret or its encoded part that the output holds more often than the baseline does. */
function leaks(output: string, baseline: string, secret: string, secretPart: string): string[] {
  const strip = (text: string) => text.split('[REDACTED]').join('\u0000');
  const [seen, base] = [strip(output), strip(baseline)];
  const count = (text: string, part: string) => text.split(part).length - 1;
  const found: string[] = [];
  for (const whole of new Set([secret, secretPart])) {
    for (let length = 4; length <= whole.length; length++) {
      const prefix = whole.slice(0, length);
      if (count(seen, prefix) > count(base, prefix)) found.push(prefix);
    }
  }
  return found;
}

const tool = getTool('get_thing', '/things');
const textOfResult = (result: { content: { type: string; text?: string }[] }) => result.content.map((block) => block.text ?? '').join('\n');

/** Every place a text holding `echoed` is cut on its way out, as the client, log and audit line would see it. */
async function outputs(redact: Redactor, echoed: string, random: ReturnType<typeof generator>): Promise<string[]> {
  const pad = (max: number) => filler.repeat(random.int(0, max));
  const respond = (status: number, body: string, headers: { [name: string]: string } = {}): UpstreamOutcome => ({
    kind: 'response',
    status,
    statusText: '',
    headers: new Headers(headers),
    body,
    truncated: false,
  });
  const result = (outcome: UpstreamOutcome, maxResponseBytes = 1000) =>
    textOfResult(toToolResult({ tool, outcome, redact, timeoutMs: 1000, maxResponseBytes }).result);
  const texts: string[] = [];
  texts.push(result(respond(400, JSON.stringify({ message: `${pad(520)}${echoed} tail` }), { 'content-type': 'application/json' })));
  texts.push(result(respond(500, `${pad(520)}${echoed}`, { 'content-type': 'text/plain' })));
  texts.push(result(respond(502, `<html><title>${pad(520)}${echoed}</title></html>`, { 'content-type': 'text/html' })));
  const asHeader = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
  texts.push(result(respond(302, '', { location: asHeader(`https://api.example.com/next?${pad(220)}${echoed}`) })));
  const maxResponseBytes = random.int(16, 300);
  const body = await readBody(new Response(`${pad(320)}${echoed}${'z'.repeat(400)}`), maxResponseBytes, redact.readAheadBytes?.() ?? 0);
  texts.push(result({ kind: 'response', status: 200, statusText: 'OK', headers: new Headers({ 'content-type': 'text/plain' }), ...body }, maxResponseBytes));
  const lines: string[] = [];
  const audit = createAudit({ server: 'fuzz', redact, sink: (line) => lines.push(line) });
  audit({ tool: 'get_thing', arguments: redactArguments({ q: `${pad(220)}${echoed}` }, {}, redact), method: 'GET', path: '/things', durationMs: 1, outcome: 'ok' });
  createLogger({ server: 'fuzz', redact, sink: (line) => lines.push(line) })('warn', `upstream said ${pad(50)}${echoed}`, { detail: echoed });
  return [...texts, ...lines];
}

describe('redaction, fuzzed', () => {
  const seed = Number(process.env.REDACTION_FUZZ_SEED ?? 20261129);
  const rounds = 120;

  it(`leaves no 4-character prefix of a secret in any output, in any encoding, at any cut point (seed ${seed})`, async () => {
    const random = generator(seed);
    const failures: string[] = [];
    for (let round = 0; round < rounds && failures.length < 5; round++) {
      const secret = randomSecret(random);
      const redact = createRedactor({ key: { type: 'apiKey', in: 'query', name: 'api_key', value: secret } });
      for (const { name, encode } of encodings) {
        const { text, secretPart } = encode(secret, random);
        const state = random.next();
        const replay = generator(Math.floor(state * 2 ** 32));
        const actual = await outputs(redact, text, replay);
        const baseline = await outputs(redact, filler.repeat(text.length), generator(Math.floor(state * 2 ** 32)));
        actual.forEach((output, index) => {
          const found = leaks(output, baseline[index]!, secret, secretPart);
          if (found.length > 0) failures.push(`round ${round}, ${name}, output ${index}: secret ${JSON.stringify(secret)} leaked ${JSON.stringify(found)} in ${JSON.stringify(output)}`);
        });
      }
    }
    expect(failures).toStrictEqual([]);
  });

  it('refuses secrets shorter than 8 characters instead of garbling every text', () => {
    expect(() => createRedactor({ key: { type: 'apiKey', in: 'header', name: 'k', value: 'e' } })).toThrow(/shorter than 8 characters/);
  });
});
