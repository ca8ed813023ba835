import { resolvePointer } from '../errors.js';
import { toWords } from './names.js';
import { harmlessQualifiers, stem } from './risk-words.js';
import type { MediaTypeModel, OperationModel, RawSchema } from './types.js';

/**
 * How many object levels of a body are read. Responses: the top level (and list items under `data` and
 * the like), because nested expansions would mark whole APIs as secret. Requests: one more, for bodies
 * that wrap their records (`{ BankTransfers: [{ Amount }] }`).
 */
const fieldDepth = { request: 2, response: 1 } as const;
const wrapperFields = new Set(['data', 'items', 'result', 'results', 'value', 'values', 'records', 'entries']);

/** The property names of a schema down to a small depth, with `$ref`s, `allOf`/`anyOf`/`oneOf` and array items followed. */
export function fieldNamesOf(document: Record<string, unknown>, schema: RawSchema, maxFieldDepth: number): string[] {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown, depth: number): void => {
    const resolved = resolve(document, node);
    if (!resolved || typeof resolved !== 'object' || seen.has(resolved) || seen.size > 500) return;
    seen.add(resolved);
    const object = resolved as Record<string, unknown>;
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(object[keyword])) for (const part of object[keyword] as unknown[]) visit(part, depth);
    }
    if (object.items) visit(object.items, depth);
    const properties = object.properties;
    if (depth >= maxFieldDepth || !properties || typeof properties !== 'object') return;
    for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
      names.add(name);
      visit(property, wrapperFields.has(name.toLowerCase()) ? depth : depth + 1);
    }
  };
  visit(schema, 0);
  return [...names];
}

function resolve(document: Record<string, unknown>, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 10; hops++) {
    const ref = current && typeof current === 'object' ? (current as { $ref?: unknown }).$ref : undefined;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return current;
    current = resolvePointer(document, ref);
  }
  return current;
}

/** The fields of the request body (`depth` 1: the top level only). */
export function requestFieldsOf(document: Record<string, unknown>, operation: OperationModel, depth: number = fieldDepth.request): string[] {
  const contents = operation.requestBody?.contents ?? [];
  return [...new Set(contents.flatMap((content) => fieldNamesOf(document, content.schema, depth)))];
}

/** The fields of the successful responses. */
export function responseFieldsOf(document: Record<string, unknown>, operation: OperationModel): string[] {
  const contents: MediaTypeModel[] = operation.responses.filter((response) => /^2/.test(response.status)).flatMap((response) => response.contents);
  return [...new Set(contents.flatMap((content) => fieldNamesOf(document, content.schema, fieldDepth.response)))];
}

/**
 * Whether a field name holds a secret: `password`, `client_secret`, `access_token`, `private_key`,
 * `api_key`, `credentials`; not `secret_scanning`, `verifiable_password_authentication`, `next_page_token`, `public_key`, `token_type`, `secret_name` or `secrets`, `imagePullSecrets` (lists of
 * references to secrets).
 */
export function isSecretField(name: string): boolean {
  const raw = toWords(name);
  if (raw.at(-1) === 'secrets') return false;
  const words = raw.map(stem);
  if (words.some((word) => harmlessQualifiers.has(word))) return false;
  const last = words.at(-1) ?? '';
  if (last === 'password' || last === 'passwd' || last === 'secret' || last === 'credential' || last === 'kubeconfig' || last === 'privatekey') return true;
  const token = words.indexOf('token');
  if (token === 0 && words.length === 1) return true;
  if (token > 0 && ['access', 'refresh', 'id', 'auth', 'session', 'bearer', 'api'].includes(words[token - 1]!)) return true;
  const key = words.indexOf('key');
  return key > 0 && ['private', 'api', 'access', 'secret'].includes(words[key - 1]!);
}

/** Whether a body's fields name an amount of money: `amount` together with `currency`. */
export function isMoneyBody(fields: string[]): boolean {
  const words = new Set(fields.map((field) => field.toLowerCase()));
  return words.has('amount') && words.has('currency');
}
