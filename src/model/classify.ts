import { toWords } from './names.js';
import type { OperationModel } from './types.js';

/** How much harm a wrong call can do: the basis for default selection, annotations and confirmation. */
export type RiskClass = 'read' | 'write' | 'destructive' | 'admin';

export type Risk = {
  class: RiskClass;
  /** The operation deletes, revokes or overwrites something: destructive tools need confirmation. */
  destructive: boolean;
  /** Why, one short phrase per signal, most important first. */
  reasons: string[];
};

export const riskClasses: readonly RiskClass[] = ['read', 'write', 'destructive', 'admin'];

const destructiveWords = new Set([
  'delete', 'deletes', 'deleted', 'remove', 'removes', 'purge', 'destroy', 'revoke', 'reset', 'wipe',
  'terminate', 'erase', 'truncate', 'bulk', 'cancel', 'void', 'kick',
]);
const adminWords = new Set(['admin', 'admins', 'administration', 'administrator', 'internal', 'management', 'system', 'debug', 'superuser', 'sudo']);
/** Path words that make a write an administrative act: it changes who may do what, or credentials. */
const accessWords = new Set([
  'permissions', 'permission', 'secrets', 'secret', 'roles', 'role', 'keys', 'credentials', 'tokens',
  'members', 'memberships', 'collaborators', 'policies', 'policy', 'rbac', 'acl', 'acls',
]);
const readMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

function firstMatch(words: string[], vocabulary: Set<string>): string | undefined {
  return words.find((word) => vocabulary.has(word));
}

/**
 * Classifies an operation from everything the spec says about it: its method; the words of its
 * operationId, summary and path; admin-like path segments and tags; `x-internal`; the OAuth scopes it
 * requires; deprecation.
 */
export function classifyOperation(operation: OperationModel): Risk {
  const reasons: string[] = [];
  let admin = false;
  let destructive = false;
  const writes = !readMethods.has(operation.method);

  const pathWords = operation.path
    .split(/[/.]/)
    .filter((segment) => segment && !segment.startsWith('{'))
    .flatMap(toWords);
  const adminSegment = firstMatch(pathWords, adminWords);
  if (adminSegment) {
    admin = true;
    reasons.push(`"${adminSegment}" in the path`);
  }
  const accessSegment = writes ? firstMatch(pathWords, accessWords) : undefined;
  if (accessSegment) {
    admin = true;
    reasons.push(`"${accessSegment}" in the path: changes access or credentials`);
  }
  const adminTag = operation.tags.find((tag) => firstMatch(toWords(tag), adminWords));
  if (adminTag) {
    admin = true;
    reasons.push(`tagged "${adminTag}"`);
  }
  if (operation.extensions['x-internal'] === true) {
    admin = true;
    reasons.push('marked x-internal');
  }
  for (const scope of requiredScopes(operation)) {
    const words = toWords(scope);
    if (words.some((word) => adminWords.has(word) || word === 'manage')) {
      admin = true;
      reasons.push(`needs the "${scope}" scope`);
      break;
    }
  }

  if (operation.method === 'DELETE') {
    destructive = true;
    reasons.push('DELETE method');
  } else if (writes) {
    const sources: [string, string | undefined][] = [
      ['operationId', operation.operationId],
      ['summary', operation.summary],
      ['path', pathWords.join(' ')],
    ];
    for (const [source, text] of sources) {
      const word = text ? firstMatch(toWords(text), destructiveWords) : undefined;
      if (word) {
        destructive = true;
        reasons.push(`"${word}" in the ${source}`);
        break;
      }
    }
    if (operation.method === 'PUT' && !destructive) reasons.push('PUT replaces data');
  }
  if (!destructive && writes && operation.method !== 'PUT') reasons.push(`${operation.method} changes data`);
  if (!writes) reasons.push(`${operation.method} only reads`);
  if (operation.deprecated) reasons.push('deprecated');

  const riskClass: RiskClass = admin ? 'admin' : destructive ? 'destructive' : writes ? 'write' : 'read';
  return { class: riskClass, destructive, reasons };
}

function requiredScopes(operation: OperationModel): string[] {
  return [...new Set(operation.security.flatMap((alternative) => alternative.flatMap(({ scopes }) => scopes)))];
}
