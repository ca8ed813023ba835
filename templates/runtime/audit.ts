import { closeSync, openSync, writeSync } from 'node:fs';
import type { HttpMethod, JsonSchema } from './definition.js';
import type { LogSink } from './log.js';
import { redactJson, redactThenTruncate, type Redact } from './redact.js';

/** One tool call, as the audit log records it. */
export type AuditEntry = {
  tool: string;
  /** Who called: the token's subject or label over HTTP, `stdio` for a local client. */
  caller?: string;
  /** The MCP client's name and version, when it says. */
  client?: string;
  /** The arguments, with sensitive fields already replaced by {@link redactArguments}. */
  arguments: unknown;
  method: HttpMethod;
  /** The path template, e.g. `/pets/{petId}`. */
  path: string;
  status?: number;
  attempts?: number;
  /** How a destructive call was confirmed. */
  confirmedBy?: 'elicitation' | 'argument';
  durationMs: number;
  outcome: string;
};

/** Writes one audit line per tool call. */
export type Audit = (entry: AuditEntry) => void;

/** An audit sink that appends to a file (created with mode 0600), one JSON line per write, and can be closed. */
export type FileSink = LogSink & { close(): void };

const sensitiveWords = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'authorization',
  'auth',
  'credential',
  'credentials',
  'cookie',
  'session',
  'signature',
  'otp',
  'pin',
  'ssn',
  'cvv',
  'cvc',
  'iban',
]);
const maxStringLength = 200;
const maxItems = 20;

/** Creates the audit log: JSON lines with `"type":"audit"`, every field redacted, then the line as a whole. */
export function createAudit({ server, redact, sink }: { server: string; redact: Redact; sink: LogSink }): Audit {
  return (entry) => sink(redact(JSON.stringify(redactJson({ time: new Date().toISOString(), type: 'audit', server, ...entry }, redact))));
}

/** Opens a file for audit lines, appending; throws when it cannot be opened. */
export function createFileSink(path: string): FileSink {
  const fd = openSync(path, 'a', 0o600);
  const sink = ((line: string) => {
    writeSync(fd, `${line}\n`);
  }) as FileSink;
  sink.close = () => closeSync(fd);
  return sink;
}

/**
 * The arguments as the audit log shows them: fields whose name suggests a secret, or whose schema marks
 * them `writeOnly` or `format: password`, become `[REDACTED]`; every string is redacted, then (unless `full`)
 * long strings and lists are shortened.
 */
export function redactArguments(args: { [name: string]: unknown }, schema: JsonSchema, redact: Redact, { full = false }: { full?: boolean } = {}): unknown {
  return shorten(args, schema, 0, { redact, full });
}

function shorten(value: unknown, schema: unknown, depth: number, options: { redact: Redact; full: boolean }): unknown {
  const { redact, full } = options;
  if (typeof value === 'string') return full ? redact(value) : redactThenTruncate(value, redact, { maxLength: maxStringLength });
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4 && !full) return '[...]';
  const s = (schema ?? {}) as { properties?: { [name: string]: unknown }; items?: unknown };
  if (Array.isArray(value)) {
    const items = (full ? value : value.slice(0, maxItems)).map((item) => shorten(item, s.items, depth + 1, options));
    return value.length > items.length ? [...items, `... (${value.length} items)`] : items;
  }
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => {
      const field = (s.properties && Object.hasOwn(s.properties, name) ? s.properties[name] : undefined) as { writeOnly?: unknown; format?: unknown } | undefined;
      const hidden = isSensitiveName(name) || field?.writeOnly === true || field?.format === 'password';
      return [redact(name), hidden ? '[REDACTED]' : shorten(item, field, depth + 1, options)];
    }),
  );
}

/** Whether a field name suggests a secret: `password`, `apiKey`, `x-auth-token`, `client_secret` ... */
export function isSensitiveName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('');
  return words.some((word) => sensitiveWords.has(word)) || /password|secret|apikey|accesstoken|refreshtoken|privatekey/.test(joined);
}
