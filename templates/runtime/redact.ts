import { minSecretLength, secretsOf, type CredentialSources } from './credentials.js';

/** Replaces every known secret in a text. */
export type Redact = (text: string) => string;

/** A {@link Redact} that also learns secrets obtained at run time, such as fetched access tokens. */
export type Redactor = Redact & {
  add(secret: string): void;
  /** How many bytes a secret can span in its longest encoded form: read this far past a cut so that the cut never lands inside one. */
  readAheadBytes(): number;
};

const marker = '[REDACTED]';
const maxLearned = 32;
/** The longest form one character can take: four UTF-8 bytes, each as `%XX`. */
const maxEncodedCharLength = 12;

/**
 * Builds the one redaction function used on everything the server returns or logs. Each secret is found in
 * every form it travels in: plain; percent-encoded (either case of hex digits, `!'()*` encoded or not, space as
 * `+`); JSON-escaped (`\"`, `\/`, `\uXXXX`); HTML character references; and base64 or base64url, alone or inside a
 * longer encoded value such as Basic `user:pass`. Throws for a secret shorter than {@link minSecretLength}.
 */
export function createRedactor(credentials: CredentialSources = {}, extraSecrets: string[] = []): Redactor {
  const fixed = [...Object.values(credentials).flatMap(secretsOf), ...extraSecrets];
  for (const secret of fixed) checkSecretLength(secret, 'a configured secret');
  const learned: string[] = [];
  let pattern = compile(fixed);
  let readAhead = longestForm(fixed);
  const redact = ((text: string) => (pattern ? text.replace(pattern, marker) : text)) as Redactor;
  redact.add = (secret) => {
    if (!secret || fixed.includes(secret) || learned.includes(secret)) return;
    checkSecretLength(secret, 'an access token');
    learned.push(secret);
    if (learned.length > maxLearned) learned.shift();
    pattern = compile([...fixed, ...learned]);
    readAhead = longestForm([...fixed, ...learned]);
  };
  redact.readAheadBytes = () => readAhead;
  return redact;
}

/**
 * Redacts, then shortens to `maxLength` characters (or UTF-8 bytes), noting what was left out. Every text that
 * may hold a secret and has to be cut goes through here, so that a cut can never leave part of a secret behind.
 */
export function redactThenTruncate(
  text: string,
  redact: Redact,
  { maxLength, unit = 'characters', note = true }: { maxLength: number; unit?: 'characters' | 'bytes'; note?: boolean },
): string {
  const redacted = redact(text);
  const cut = unit === 'bytes' ? cutBytes(redacted, maxLength) : cutCharacters(redacted, maxLength);
  if (cut.length === redacted.length) return redacted;
  return note ? `${cut}... (${redacted.length - cut.length} more characters)` : cut;
}

/** Applies a redactor to every string (and object key) inside a JSON value. */
export function redactJson(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactJson(item, redact)]));
  }
  return value;
}

/** Throws when a secret is too short to be redacted reliably; `what` names it in the message. */
export function checkSecretLength(secret: string, what: string): void {
  if ([...secret].length < minSecretLength) {
    throw new RangeError(`${what} is shorter than ${minSecretLength} characters, so it could not be kept out of the server's output reliably`);
  }
}

function compile(secrets: string[]): RegExp | undefined {
  const patterns = new Set<string>();
  for (const secret of secrets) {
    patterns.add([...secret].map(characterPattern).join(''));
    for (const form of base64Forms(secret)) patterns.add(escapeRegExp(form));
  }
  if (patterns.size === 0) return undefined;
  const ordered = [...patterns].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return new RegExp(ordered.join('|'), 'g');
}

function longestForm(secrets: string[]): number {
  return secrets.reduce((longest, secret) => Math.max(longest, [...secret].length * maxEncodedCharLength), 0);
}

/** Every way one character of a secret can be written in URLs, forms, cookies, JSON and HTML, or read from a header as Latin-1. */
function characterPattern(char: string): string {
  const code = char.codePointAt(0)!;
  const forms = new Set<string>([escapeRegExp(char)]);
  const utf8 = Buffer.from(char, 'utf8');
  forms.add([...utf8].map((byte) => `%${hexPattern(byte, 2)}`).join(''));
  if (utf8.length > 1) forms.add(escapeRegExp(utf8.toString('latin1')));
  if (char === ' ') forms.add('\\+');
  const json = JSON.stringify(char).slice(1, -1);
  if (json !== char) forms.add(escapeRegExp(json));
  if (char === '/') forms.add('\\\\/');
  const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
  forms.add(units.map((unit) => `\\\\u${hexPattern(unit, 4)}`).join(''));
  forms.add(`&#0*${code};`);
  forms.add(`&#[xX]0*${hexPattern(code, 1)};`);
  const named = namedEntities.get(char);
  if (named) forms.add(named);
  return `(?:${[...forms].join('|')})`;
}

const namedEntities = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&(?:apos|#39);'],
]);

/** A hexadecimal number as a pattern that accepts either case, e.g. 0x2a → `2[aA]`. */
function hexPattern(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
}

/**
 * The base64 and base64url characters that encode a secret whatever precedes it (three alignments), in its plain
 * and URL-encoded forms: they appear in Basic credentials, cookies and tokens that embed the secret.
 */
function base64Forms(secret: string): string[] {
  const variants = new Set([secret, encodeURIComponent(secret), strictEncode(secret), new URLSearchParams({ v: secret }).toString().slice(2)]);
  const forms = new Set<string>();
  for (const variant of variants) {
    const bytes = Buffer.from(variant, 'utf8');
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      const stable = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
      if (stable.length < minSecretLength) continue;
      forms.add(stable);
      forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function cutCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > max) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
