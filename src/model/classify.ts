import { toWords } from './names.js';
import { isMoneyBody, isSecretField, requestFieldsOf, responseFieldsOf } from './risk-fields.js';
import {
  accessWords,
  accountWords,
  adminWords,
  credentialWords,
  destructiveWords,
  executionWords,
  harmlessQualifiers,
  irreversiblePhrases,
  irreversibleWords,
  keyWords,
  memberWords,
  membershipContexts,
  moneyWords,
  readVerbs,
  stem,
  stemsOf,
} from './risk-words.js';
import type { OperationModel } from './types.js';

/** How much harm a wrong call can do: the basis for default selection, annotations and confirmation. */
export type RiskClass = 'read' | 'write' | 'destructive' | 'admin';

/**
 * What makes an operation sensitive beyond its class. Every sensitive operation is left out by default;
 * included ones that change something are confirmed before they run.
 */
export type Sensitivity =
  /** Charges, refunds, payouts, transfers of money. */
  | 'money-movement'
  /** Issues, changes or reveals credentials and secrets. */
  | 'credentials'
  /** Runs code or commands. */
  | 'code-execution'
  /** Changes who may do what, who owns what, or where data is sent (webhooks). */
  | 'access-control'
  /** Cannot be taken back. */
  | 'irreversible'
  /** Changes many things at once, or a whole account, organization or site. */
  | 'account-wide';

export type Risk = {
  class: RiskClass;
  /** The operation deletes, revokes, overwrites or is otherwise sensitive to change: it needs confirmation. */
  destructive: boolean;
  /** Sensitive kinds of harm the reasons show, in a fixed order; empty for ordinary operations. */
  sensitivities: Sensitivity[];
  /** Why, one short phrase per signal, most important first. */
  reasons: string[];
};

export const riskClasses: readonly RiskClass[] = ['read', 'write', 'destructive', 'admin'];
export const sensitivityKinds: readonly Sensitivity[] = ['money-movement', 'credentials', 'code-execution', 'access-control', 'irreversible', 'account-wide'];

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** Sensitivities that make an operation admin; the others make it destructive. */
const adminSensitivities = new Set<Sensitivity>(['credentials', 'code-execution', 'access-control']);

type Signals = {
  reasons: string[];
  sensitivities: Set<Sensitivity>;
  admin: boolean;
  destructive: boolean;
};

type Words = {
  path: string[];
  lastSegment: string[];
  operationId: string[];
  summary: string[];
  tags: string[][];
  /** The word as the spec spells it, by stem, for reasons. */
  spelled: Map<string, string>;
  /** The first words of the operationId and summary, unstemmed and lower-case. */
  operationIdLead: string;
  summaryLead: string;
};

/**
 * Classifies an operation from everything the spec says about it: its method; the words of its
 * operationId, summary, description, path and tags; the fields of its request and response bodies; the
 * OAuth scopes it requires; `x-` hints; deprecation. Each signal adds a reason a reviewer can check.
 */
export function classifyOperation(operation: OperationModel, document: Record<string, unknown> = {}): Risk {
  const signals: Signals = { reasons: [], sensitivities: new Set(), admin: false, destructive: false };
  const words = wordsOf(operation);
  const namedWrite = readMethods.has(operation.method) ? words.lastSegment.find((word) => destructiveWords.has(word)) : undefined;
  if (namedWrite) signals.reasons.push(`${operation.method} named "${namedWrite}": changes data despite its method`);
  const reads = readMethods.has(operation.method) && !namedWrite;
  const requestFields = reads ? [] : requestFieldsOf(document, operation);
  const topLevelFields = reads ? [] : requestFieldsOf(document, operation, 1);

  adminSignals(operation, words, signals);
  const readOverPost = operation.method === 'POST' && isReadOverPost(words);
  if (!readOverPost) executionSignals(operation, words, signals);
  if (reads) credentialReadSignals(operation, words, document, signals);
  else if (!readOverPost) writeSignals(operation, words, { requestFields, topLevelFields }, signals);

  const sensitive = (kind: Sensitivity, reason: string): void => flag(signals, kind, reason);
  if (!reads && !readOverPost) {
    const irreversible = [...words.operationId, ...words.lastSegment].find((word) => irreversibleWords.has(word));
    if (irreversible) sensitive('irreversible', `"${shown(words, irreversible)}" cannot be taken back`);
    const phrase = irreversiblePhrases.map((pattern) => pattern.exec(operation.description ?? '')?.[0]).find(Boolean);
    if (phrase) sensitive('irreversible', `the description says "${phrase}"`);
  }

  if (operation.method === 'DELETE') {
    signals.destructive = true;
    signals.reasons.push('DELETE method');
  } else if (!reads && !readOverPost) {
    const sources: [string, string | undefined][] = [
      ['operationId', operation.operationId],
      ['summary', operation.summary],
      ['path', words.path.join(' ')],
    ];
    for (const [source, text] of sources) {
      const word = text ? toWords(text).find((candidate) => destructiveWords.has(stem(candidate))) : undefined;
      if (word) {
        signals.destructive = true;
        signals.reasons.push(`"${shown(words, word)}" in the ${source}`);
        break;
      }
    }
    if (operation.method === 'PUT' && !signals.destructive) signals.reasons.push('PUT replaces data');
  }
  if (readOverPost) signals.reasons.push('POST that only reads (a search or query)');
  else if (!signals.destructive && !reads && operation.method !== 'PUT') signals.reasons.push(`${operation.method} changes data`);
  if (reads) signals.reasons.push(`${operation.method} only reads`);
  if (operation.deprecated) signals.reasons.push('deprecated');

  const sensitivities = sensitivityKinds.filter((kind) => signals.sensitivities.has(kind));
  const admin = signals.admin || sensitivities.some((kind) => adminSensitivities.has(kind));
  const changes = !reads && !readOverPost;
  const destructive = signals.destructive || (sensitivities.length > 0 && (changes || signals.sensitivities.has('code-execution')));
  const riskClass: RiskClass = admin ? 'admin' : destructive ? 'destructive' : changes ? 'write' : 'read';
  return { class: riskClass, destructive, sensitivities, reasons: signals.reasons };
}

function shown(words: Words, word: string): string {
  return words.spelled.get(word) ?? word;
}

function flag(signals: Signals, kind: Sensitivity, reason: string): void {
  signals.sensitivities.add(kind);
  signals.reasons.push(reason);
}

function wordsOf(operation: OperationModel): Words {
  const segments = operation.path
    .split(/[/#]/)
    .filter((segment) => segment && !segment.startsWith('{'));
  const path = segments.flatMap((segment) => segment.split('.')).flatMap(stemsOf);
  const spelled = new Map<string, string>();
  for (const text of [...segments, operation.operationId ?? '', ...operation.tags]) {
    for (const word of toWords(text)) if (!spelled.has(stem(word))) spelled.set(stem(word), word);
  }
  return {
    spelled,
    path,
    lastSegment: stemsOf(segments.at(-1)),
    operationId: stemsOf(operation.operationId),
    summary: stemsOf(operation.summary),
    tags: operation.tags.map(stemsOf),
    operationIdLead: toWords(operation.operationId ?? '')[0] ?? '',
    summaryLead: toWords(operation.summary ?? '')[0] ?? '',
  };
}

function adminSignals(operation: OperationModel, words: Words, signals: Signals): void {
  const adminSegment = operation.path
    .split(/[/.]/)
    .filter((segment) => segment && !segment.startsWith('{'))
    .flatMap(toWords)
    .find((word) => adminWords.has(stem(word)));
  if (adminSegment) {
    signals.admin = true;
    signals.reasons.push(`"${adminSegment}" in the path`);
  }
  const adminTag = operation.tags.find((tag) => stemsOf(tag).some((word) => adminWords.has(word)));
  if (adminTag) {
    signals.admin = true;
    signals.reasons.push(`tagged "${adminTag}"`);
  }
  if (operation.extensions['x-internal'] === true) {
    signals.admin = true;
    signals.reasons.push('marked x-internal');
  }
  for (const [name, value] of Object.entries(operation.extensions)) {
    if (value === true && /destructive/i.test(name)) {
      signals.destructive = true;
      signals.reasons.push(`marked ${name}`);
    }
  }
  const scopes = requiredScopes(operation);
  const adminScope = scopes.find((scope) => toWords(scope).some((word) => adminWords.has(stem(word)) || word === 'manage'));
  if (adminScope) {
    signals.admin = true;
    signals.reasons.push(`needs the "${adminScope}" scope`);
  }
  const secretScope = scopes.find((scope) => toWords(scope).some((word) => word === 'secrets' || word === 'secret' || word === 'credentials'));
  if (secretScope) flag(signals, 'credentials', `needs the "${secretScope}" scope`);
}

function isReadOverPost(words: Words): boolean {
  const databaseContext = words.path.some((word) => word === 'database' || word === 'sql' || word === 'd1');
  if (databaseContext) return false;
  return (
    words.lastSegment.some((word) => word === 'search' || word === 'query' || word === 'msearch' || word === 'read' || word === 'lookup') ||
    readVerbs.has(words.summaryLead) ||
    readVerbs.has(words.operationIdLead)
  );
}

function executionSignals(operation: OperationModel, words: Words, signals: Signals): void {
  const action = operation.extensions['x-kubernetes-action'];
  if (action === 'connect') {
    flag(signals, 'code-execution', 'x-kubernetes-action "connect": opens a session into a running workload');
    return;
  }
  const word = [...words.lastSegment, ...words.operationId].find((candidate) => executionWords.has(candidate));
  const writesCode = word === 'script' ? !readMethods.has(operation.method) : Boolean(word);
  if (word && writesCode) {
    flag(signals, 'code-execution', `"${shown(words, word)}" in the ${words.lastSegment.includes(word) ? 'path' : 'operationId'}: runs code or commands`);
    return;
  }
  const databaseQuery = !readMethods.has(operation.method) && words.path.some((w) => w === 'database' || w === 'sql') && words.lastSegment.some((w) => w === 'query' || w === 'raw');
  if (databaseQuery) flag(signals, 'code-execution', 'runs a database query, which can change data');
}

function credentialReadSignals(operation: OperationModel, words: Words, document: Record<string, unknown>, signals: Signals): void {
  const qualified = words.lastSegment.some((word) => harmlessQualifiers.has(word));
  const credential = qualified ? undefined : words.lastSegment.find((word) => credentialWords.has(word));
  if (credential) {
    flag(signals, 'credentials', `"${shown(words, credential)}" in the path: reveals credentials or secrets`);
    return;
  }
  const secretField = responseFieldsOf(document, operation).find(isSecretField);
  if (secretField) flag(signals, 'credentials', `the response carries "${secretField}": reveals a secret`);
}

function writeSignals(
  operation: OperationModel,
  words: Words,
  { requestFields, topLevelFields }: { requestFields: string[]; topLevelFields: string[] },
  signals: Signals,
): void {
  const last = words.lastSegment.at(-1) ?? '';
  const onItem = /\}$/.test(operation.path);
  const hasAmount = requestFields.some((field) => /^amount$/i.test(field));
  if (last === 'transfer' && !hasAmount) {
    flag(signals, 'access-control', '"transfer" in the path: transfers ownership');
  } else if (!onItem && (moneyWords.has(last) || last === 'transfer')) {
    flag(signals, 'money-movement', `"${shown(words, last)}" in the path: moves money`);
  } else if (isMoneyBody(topLevelFields)) {
    flag(signals, 'money-movement', 'the request body has "amount" and "currency": moves money');
  }

  const credential =
    words.path.find((word) => credentialWords.has(word) || word === 'auth') ??
    words.operationId.find((word) => credentialWords.has(word)) ??
    (words.path.some((word) => keyWords.has(word)) && !words.path.includes('kv') ? 'keys' : undefined);
  if (credential) flag(signals, 'credentials', `"${shown(words, credential)}" in the ${words.operationId.includes(credential) && !words.path.includes(credential) ? 'operationId' : 'path'}: issues or changes credentials`);
  else {
    const secretField = requestFields.find(isSecretField);
    if (secretField) flag(signals, 'credentials', `the request body sets "${secretField}": sets a credential`);
  }

  const access = [...words.path, ...words.tags.flat()].find((word, index, all) => accessWords.has(word) && !(word === 'policy' && all[index - 1] === 'escalat'));
  if (access) flag(signals, 'access-control', `"${shown(words, access)}" in the ${words.path.includes(access) ? 'path' : 'tags'}: changes access or ownership`);
  else {
    const memberAt = words.path.findIndex((word) => memberWords.has(word));
    if (memberAt > 0 && words.path.slice(0, memberAt).some((word) => membershipContexts.has(word))) {
      flag(signals, 'access-control', `"${shown(words, words.path[memberAt]!)}" of ${shown(words, words.path.slice(0, memberAt).reverse().find((word) => membershipContexts.has(word))!)}: changes who has access`);
    }
  }

  const endsOnItem = /\}$/.test(operation.path) || words.lastSegment.length === 0;
  const staticWords = words.lastSegment;
  const accountTarget = staticWords.length > 0 && accountWords.has(staticWords.at(-1)!) ? staticWords.at(-1) : undefined;
  const accountPath = operation.path.split('/').filter(Boolean);
  const onAccount = accountPath.length <= 3 && endsOnItem && accountWords.has(stem(stemsOf(accountPath.filter((s) => !s.startsWith('{')).at(-1)).at(-1) ?? ''));
  if (accountTarget === 'setting' || onAccount) {
    flag(signals, 'account-wide', onAccount ? 'writes a whole account, organization or site' : '"settings" in the path: changes account-wide settings');
  }
  const bulk = operation.extensions['x-kubernetes-action'] === 'deletecollection' || [...words.operationId, ...words.path].includes('bulk');
  if (bulk) flag(signals, 'account-wide', 'changes many items at once');
}

function requiredScopes(operation: OperationModel): string[] {
  return [...new Set(operation.security.flatMap((alternative) => alternative.flatMap(({ scopes }) => scopes)))];
}
