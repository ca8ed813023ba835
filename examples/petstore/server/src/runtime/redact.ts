import type { Credentials } from './config.js';

/** Replaces every configured secret in a text. */
export type Redact = (text: string) => string;

const marker = '[REDACTED]';

/** Builds the one redaction function used on everything the server returns or logs, covering each secret's plain, URL-, JSON- and Basic-encoded forms. */
export function createRedactor(credentials: Credentials): Redact {
  const secrets = new Set<string>();
  for (const credential of Object.values(credentials)) {
    if (credential.type === 'apiKey') secrets.add(credential.value);
    else if (credential.type === 'bearer') secrets.add(credential.token);
    else {
      secrets.add(credential.password);
      secrets.add(Buffer.from(`${credential.username}:${credential.password}`).toString('base64'));
    }
  }
  for (const secret of [...secrets]) {
    secrets.add(encodeURIComponent(secret));
    secrets.add(JSON.stringify(secret).slice(1, -1));
  }
  const ordered = [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, secret) => result.split(secret).join(marker), text);
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
