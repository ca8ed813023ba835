import { secretsOf, type CredentialSources } from './credentials.js';

/** Replaces every known secret in a text. */
export type Redact = (text: string) => string;

/** A {@link Redact} that also learns secrets obtained at run time, such as fetched access tokens. */
export type Redactor = Redact & { add(secret: string): void };

const marker = '[REDACTED]';
const maxLearned = 32;

/** Builds the one redaction function used on everything the server returns or logs, covering each secret's plain, URL-, JSON- and Basic-encoded forms. */
export function createRedactor(credentials: CredentialSources = {}, extraSecrets: string[] = []): Redactor {
  const fixed = [...Object.values(credentials).flatMap(secretsOf), ...extraSecrets];
  const learned: string[] = [];
  let ordered = compile(fixed);
  const redact = ((text: string) => ordered.reduce((result, secret) => (result.includes(secret) ? result.split(secret).join(marker) : result), text)) as Redactor;
  redact.add = (secret) => {
    if (!secret || fixed.includes(secret) || learned.includes(secret)) return;
    learned.push(secret);
    if (learned.length > maxLearned) learned.shift();
    ordered = compile([...fixed, ...learned]);
  };
  return redact;
}

function compile(secrets: string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...forms].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
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
