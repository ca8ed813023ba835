import { createHash } from 'node:crypto';
import { shortenName, shortenReadably } from './shorten-name.js';
import type { OperationModel } from './types.js';

/** The rule every tool name must follow: Claude and OpenAI clients reject anything else. */
export const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

const maxToolNameLength = 64;
const hashLength = 6;

/** A short, stable hex digest of a string. */
export function shortHash(text: string, length = hashLength): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Splits text into lowercase ASCII words: `listPetsByID` → list, pets, by, id; `repos/list-for-org` → repos, list, for, org. */
export function toWords(text: string): string[] {
  let words = wordsByText.get(text);
  if (words === undefined) {
    words = splitWords(text);
    wordsByText.set(text, words);
  }
  return [...words];
}

/** Words of texts split so far: names, paths and tags are split again and again while an API is classified and named. */
const wordsByText = new Map<string, readonly string[]>();

function splitWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * The snake_case tool name proposed for an operation, before collisions are resolved: its operationId when
 * that says more than the method and path, otherwise a verb and noun from them (see `nameFromPath`); kept
 * within `maxLength` characters (see `toolNameBudget`).
 */
export function proposeToolName(operation: OperationModel, maxLength = maxToolNameLength): string {
  const idWords = operation.operationId ? toWords(operation.operationId.replace(/['’]s\b/g, 's')) : [];
  const pathWords = nameFromPath(operation.method, operation.path);
  if (idWords.length > 0 && !echoesPath(idWords, operation)) {
    // An operationId that only fits once its words are clipped (`zero_locat_create_zero_trust_gateway_locat`)
    // reads worse than the verb and noun of the call, when those fit whole.
    const fromId = idWords.join('_');
    return shortenReadably(fromId, maxLength) ?? shortenReadably(pathWords.join('_'), maxLength) ?? fitToolName(fromId, operation.key, maxLength);
  }
  return fitToolName(pathWords.join('_') || operation.method.toLowerCase(), operation.key, maxLength);
}

const methodWords = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace']);
const versionSegment = /^(v\d+([a-z]+\d*)?|\d+(\.\d+)*|api|rest)$/i;

/** Whether an operationId is only the method and the path's words again (`GetCustomersCustomerSources`). */
function echoesPath(idWords: string[], operation: OperationModel): boolean {
  if (!methodWords.has(idWords[0]!)) return false;
  const pathWords = new Set(toWords(operation.path.replace(/[{}]/g, ' ')));
  return idWords.slice(1).every((word) => pathWords.has(word));
}

/**
 * A verb and a noun from the method and path, as a person would name the call: `GET /customers` →
 * list_customers, `GET /customers/{id}` → get_customer, `POST /customers` → create_customer,
 * `POST /refunds/{id}/cancel` → cancel_refund, `GET /customers/{id}/sources` → list_customer_sources.
 * A resource followed by its identifier reads in the singular; version segments (`v1`) are left out.
 */
export function nameFromPath(method: string, path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const parts: { words: string[]; isParameter: boolean }[] = segments
    .map((segment) => ({ words: toWords(segment.replace(/[{}]/g, ' ')), isParameter: /^\{[^}]*\}$/.test(segment) }))
    .filter((part) => part.words.length > 0 && (part.isParameter || !versionSegment.test(part.words.join(''))));
  const last = parts[parts.length - 1];
  const item = last?.isParameter === true;
  const nouns: string[][] = [];
  parts.forEach((part, index) => {
    if (part.isParameter) return;
    const followedByParameter = parts[index + 1]?.isParameter === true;
    nouns.push(followedByParameter || (item && index === parts.length - 2) ? singularWords(part.words) : part.words);
  });
  const lower = method.toLowerCase();
  const lastWord = nouns[nouns.length - 1]?.at(-1) ?? '';
  const action = !item && lower === 'post' && parts.length >= 2 && parts[parts.length - 2]!.isParameter && nouns.length >= 2 && !/[^s]s$/.test(lastWord);
  if (action) {
    const verb = nouns.pop()!;
    return [...verb, ...nouns.flat()];
  }
  const collection = !item && /[^s]s$/.test(lastWord);
  const verb =
    lower === 'get' ? (collection ? 'list' : 'get') :
    lower === 'post' ? (item ? 'update' : 'create') :
    lower === 'put' || lower === 'patch' ? 'update' :
    lower === 'delete' ? 'delete' : lower;
  const noun = nouns.flat();
  if (lower === 'post' && !item && collection) noun.splice(noun.length - 1, 1, singular(noun[noun.length - 1]!));
  return [verb, ...noun];
}

function singularWords(words: string[]): string[] {
  return words.length === 0 ? words : [...words.slice(0, -1), singular(words[words.length - 1]!)];
}

/** `customers` → customer, `policies` → policy, `addresses` → address; words that are not plural stay as they are. */
function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(xes|ches|shes|sses)$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && word.length > 2) return word.slice(0, -1);
  return word;
}

/** Clients accept tool names of at most this many characters, prefix included. */
export const clientNameLimit = maxToolNameLength;

/** The prefix most clients put before a tool name (`mcp__<server>__`), and so its length by default. */
export function defaultClientPrefixLength(serverName: string): number {
  return `mcp__${serverName}__`.length;
}

/** The room left for a tool's own name once a client prefixes it: never less than 16 characters. */
export function toolNameBudget(clientPrefixLength: number): number {
  return Math.min(maxToolNameLength, Math.max(16, clientNameLimit - clientPrefixLength));
}

/** Host labels that say nothing about the API: `api.`, `www.`, and hosting or example domains. */
const genericHostLabels = new Set([
  'api', 'apis', 'www', 'rest', 'gateway', 'app', 'dev', 'developer', 'developers', 'sandbox', 'staging', 'prod', 'public', 'server', 'service', 'services',
  'example', 'localhost', 'swagger', 'herokuapp', 'amazonaws', 'azurewebsites', 'azure-api', 'cloudfunctions', 'appspot', 'vercel',
]);
const topLevelLabels = new Set(['com', 'net', 'org', 'io', 'dev', 'co', 'ai', 'app', 'cloud', 'tech', 'me', 'us', 'uk', 'de', 'fr', 'eu', 'gov', 'edu', 'info', 'biz']);
/** Title words that describe the document rather than name the API. */
const titleNoise = new Set(['the', 'official', 'openapi', 'open', 'swagger', 'spec', 'specification', 'api', 'apis', 'rest', 'restful', 'http', 'json', 'definition', 'reference', 'documentation', 'docs', 'extension', 'extensions', 'service', 'web', 'public', 'v1', 'v2', 'v3']);
const maxServerNameWords = 3;
const maxServerNameLength = 24;

/**
 * A short default server name for an API: the distinctive label of its servers' host (`api.github.com` →
 * github, `api.stripe.com` → stripe), else the leading words of its cleaned title (`Kubernetes` →
 * kubernetes); lowercase words joined by `-`, at most 24 characters.
 */
export function defaultServerName({ title, servers }: { title: string; servers: { url: string }[] }): string {
  for (const server of servers) {
    let host: string;
    try {
      host = new URL(server.url).hostname.toLowerCase();
    } catch {
      continue;
    }
    if (/^[\d.]+$|^\[|^localhost$/.test(host)) continue;
    const labels = host.split('.');
    while (labels.length > 1 && topLevelLabels.has(labels[labels.length - 1]!)) labels.pop();
    const label = [...labels].reverse().find((candidate) => !genericHostLabels.has(candidate) && !/^\d/.test(candidate));
    if (label && host.includes('.')) return clipServerName(label.split(/[^a-z0-9]+/).filter(Boolean));
  }
  const words = title
    .replace(/['’]s\b/gi, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9+]+/)
    .filter(Boolean);
  const kept: string[] = [];
  for (const word of words) {
    if (word === '+' || word === 'for' || word === 'and' || word === 'with') break;
    if (!titleNoise.has(word) && !/^v?\d+(\.\d+)*$/.test(word)) kept.push(word.replace(/\+/g, ''));
    else if (kept.length > 0) break;
  }
  return clipServerName(kept.filter(Boolean)) || 'api';
}

function clipServerName(words: string[]): string {
  const kept = words.slice(0, maxServerNameWords);
  while (kept.length > 1 && kept.join('-').length > maxServerNameLength) kept.pop();
  return kept.join('-').slice(0, maxServerNameLength).replace(/-+$/, '');
}

/** The environment variable prefix for a server name: `github` → GITHUB, `google-cloud` → GOOGLE_CLOUD. */
export function defaultEnvPrefix(serverName: string): string {
  const prefix = toWords(serverName.replace(/[^a-zA-Z0-9]+/g, ' ')).join('_').toUpperCase();
  if (!prefix) return 'API';
  return /^[A-Z]/.test(prefix) ? prefix : `API_${prefix}`;
}

/**
 * Fits a name into the 64 characters clients accept, shortening it meaningfully (see `shortenName`).
 * `identity` (the operation's `METHOD /path`) is the last resort when nothing readable is left.
 */
export function fitToolName(name: string, identity: string, maxLength = maxToolNameLength): string {
  const fitted = shortenName(name, maxLength);
  return fitted === '' ? `op_${shortHash(identity)}` : fitted;
}

/**
 * Gives every operation a unique tool name (case-insensitively, as some clients compare). A name that
 * several operations share gets a suffix from what tells them apart: their method (`_get`, `_post`) or the
 * last segments of their paths that the name does not already say (`_comments`, `_by_id`), and a
 * hash of `METHOD /path` only when nothing readable does. Every entry is treated alike, so the result does
 * not depend on the order of operations in the spec.
 */
export function resolveToolNames(entries: { key: string; name: string }[], maxLength = maxToolNameLength): Map<string, string> {
  const sorted = [...entries].sort((a, b) => compare(a.key, b.key));
  const resolved = new Map<string, string>(sorted.map(({ key, name }) => [key, name]));
  const groups = new Map<string, { key: string; name: string }[]>();
  for (const entry of sorted) {
    const id = entry.name.toLowerCase();
    groups.set(id, [...(groups.get(id) ?? []), entry]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const [key, name] of distinguish(group, maxLength)) resolved.set(key, name);
  }
  const original = new Map(sorted.map(({ key, name }) => [key, name]));
  for (let round = 0; round < 4; round++) {
    const owners = new Map<string, string[]>();
    for (const { key } of sorted) {
      const id = resolved.get(key)!.toLowerCase();
      owners.set(id, [...(owners.get(id) ?? []), key]);
    }
    const clashing = [...owners.values()].filter((keys) => keys.length > 1).flat();
    if (clashing.length === 0) break;
    // A suffixed name that lands on another name takes a hash of its METHOD /path instead; so does every
    // name of a clash that no suffix could settle.
    for (const key of clashing) {
      if (resolved.get(key) !== original.get(key) || round > 0) resolved.set(key, withSuffix(original.get(key)!, shortHash(key, hashLength + round * 2), maxLength));
    }
  }
  return resolved;
}

/**
 * What tells the operations of a group apart, from the least to the most detailed: the method, then the
 * last segments of the path that the name does not already say (a parameter segment reads `by_<name>`).
 */
function distinguish(group: { key: string; name: string }[], maxLength: number): Map<string, string> {
  const details = group.map(({ key, name }) => {
    const [method = '', ...rest] = key.split(' ');
    const nameWords = new Set(toWords(name));
    const said = (word: string): boolean => nameWords.has(word) || nameWords.has(word.replace(/s$/, '')) || nameWords.has(`${word}s`);
    const tokens = rest
      .join(' ')
      .split('/')
      .map((segment) => {
        const words = toWords(segment.replace(/[{}]/g, ' ')).filter((word) => !said(word));
        if (words.length === 0) return '';
        return /^\{[^}]*\}$/.test(segment) ? ['by', ...words].join('_') : words.join('_');
      })
      .filter(Boolean);
    return { key, name, method: method.toLowerCase(), tokens };
  });
  const levels: ((detail: (typeof details)[number]) => string[])[] = [
    (detail) => [detail.method],
    (detail) => detail.tokens.slice(-1),
    (detail) => detail.tokens.slice(-2),
    (detail) => [detail.method, ...detail.tokens.slice(-2)],
    (detail) => detail.tokens.slice(-4),
    (detail) => [detail.method, ...detail.tokens.slice(-4)],
  ];
  for (const level of levels) {
    const suffixes = details.map((detail) => level(detail).join('_'));
    if (new Set(suffixes).size === suffixes.length) {
      return new Map(details.map((detail, index) => [detail.key, suffixes[index] ? withSuffix(detail.name, suffixes[index], maxLength) : detail.name]));
    }
  }
  return new Map(details.map((detail) => [detail.key, withSuffix(detail.name, shortHash(detail.key), maxLength)]));
}

/** Appends `_suffix`, shortening the name itself (not the suffix) to stay within `maxLength` characters. */
function withSuffix(name: string, suffix: string, maxLength: number): string {
  const room = maxLength - suffix.length - 1;
  const base = shortenName(name, Math.max(room, 1));
  return `${base}_${suffix}`.slice(0, maxLength);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Turns a wire name such as `filter[status]` or `X-Request-ID` into a valid argument name. */
export function toArgumentName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return (cleaned || 'value').slice(0, 64);
}
