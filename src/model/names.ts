import { createHash } from 'node:crypto';
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
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The snake_case tool name proposed for an operation, before collisions are resolved. */
export function proposeToolName(operation: OperationModel): string {
  const words = operation.operationId
    ? toWords(operation.operationId)
    : [operation.method.toLowerCase(), ...toWords(operation.path.replace(/[{}]/g, ' '))];
  const name = words.join('_') || operation.method.toLowerCase();
  return fitToolName(name, operation.key);
}

/** Cuts a name to the length clients accept, keeping it unique with a hash of `identity`. */
export function fitToolName(name: string, identity: string): string {
  if (name.length <= maxToolNameLength) return name;
  const suffix = `_${shortHash(identity)}`;
  const room = maxToolNameLength - suffix.length;
  const cut = name.slice(0, room);
  const atWord = cut.lastIndexOf('_');
  return (atWord > room / 2 ? cut.slice(0, atWord) : cut) + suffix;
}

/**
 * Gives every operation a unique tool name. Names that collide all get a suffix derived from the
 * operation's method and path, so the result does not depend on the order of operations in the spec.
 */
export function resolveToolNames(entries: { key: string; name: string }[]): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const { key, name } of entries) byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), key]);
  const resolved = new Map<string, string>();
  for (const { key, name } of entries) {
    const clashes = (byName.get(name.toLowerCase())?.length ?? 0) > 1;
    resolved.set(key, clashes ? withSuffix(name, shortHash(key)) : name);
  }
  return resolved;
}

function withSuffix(name: string, suffix: string): string {
  const room = maxToolNameLength - suffix.length - 1;
  return `${name.slice(0, room)}_${suffix}`;
}

/** Turns a wire name such as `filter[status]` or `X-Request-ID` into a valid argument name. */
export function toArgumentName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return (cleaned || 'value').slice(0, 64);
}
