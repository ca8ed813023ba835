import type { JsonSchema, JsonValue, ResponseFields } from '../../templates/runtime/definition.js';
import { isSensitiveName } from '../../templates/runtime/audit.js';
import { buildKeepTree, parseFieldSelector, type FieldSelector, type KeepTree } from '../../templates/runtime/response-fields.js';

type Schema = { [key: string]: JsonValue };

/**
 * Reflects a response-field selection in an output schema, as the server applies it to responses: only kept
 * fields stay listed, dropped ones leave the schema, redacted ones become strings (`[REDACTED]`). Arrays and
 * `anyOf`/`oneOf`/`allOf` branches are passed through, as the runtime passes through arrays.
 */
export function selectSchemaFields(schema: JsonSchema, fields: ResponseFields): JsonSchema {
  let result: Schema = schema;
  if (fields.keep && fields.keep.length > 0) result = keepInSchema(result, buildKeepTree(fields.keep.map(parseFieldSelector)));
  for (const selector of (fields.drop ?? []).map(parseFieldSelector)) result = rewriteSchema(result, selector, undefined);
  for (const selector of (fields.redact ?? []).map(parseFieldSelector)) result = rewriteSchema(result, selector, { type: 'string' });
  return result;
}

function keepInSchema(schema: Schema, tree: KeepTree): Schema {
  const result: Schema = { ...schema };
  const properties = schema.properties;
  if (isSchemaMap(properties)) {
    const kept: { [name: string]: JsonValue } = {};
    for (const [name, child] of Object.entries(properties)) {
      const rule = tree.get(name) ?? tree.get('*');
      if (rule === undefined) continue;
      kept[name] = rule === 'all' || !isSchema(child) ? child : keepInSchema(child, rule);
    }
    result.properties = kept;
  }
  return passThrough(result, (child) => keepInSchema(child, tree));
}

function rewriteSchema(schema: Schema, selector: FieldSelector, replacement: Schema | undefined): Schema {
  if (selector.kind === 'pointer' && selector.segments.length === 0) return schema;
  const result: Schema = { ...schema };
  const properties = schema.properties;
  if (isSchemaMap(properties)) {
    const next: { [name: string]: JsonValue } = {};
    for (const [name, child] of Object.entries(properties)) {
      const head = selector.kind === 'name' ? selector.name : selector.segments[0];
      const matches = head === '*' || name === head;
      const last = selector.kind === 'name' || selector.segments.length === 1;
      if (matches && last) {
        if (replacement) next[name] = replacement;
        continue;
      }
      if (!isSchema(child)) next[name] = child;
      else if (selector.kind === 'name') next[name] = rewriteSchema(child, selector, replacement);
      else next[name] = matches ? rewriteSchema(child, { kind: 'pointer', segments: selector.segments.slice(1) }, replacement) : child;
    }
    result.properties = next;
  }
  return passThrough(result, (child) => rewriteSchema(child, selector, replacement));
}

/** Applies a change to the schemas an array's items and a union's branches are made of. */
function passThrough(schema: Schema, change: (child: Schema) => Schema): Schema {
  const result = { ...schema };
  if (isSchema(result.items)) result.items = change(result.items);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const members = result[keyword];
    if (Array.isArray(members)) result[keyword] = members.map((member) => (isSchema(member) ? change(member) : member));
  }
  return result;
}

/**
 * The selectors of a field selection that match no field of a response schema (full, not compact): most
 * likely a typo, which would leave a field the user meant to hide in the results. Parts of the schema that
 * say nothing about their fields (cut short, free-form) match anything.
 */
export function unmatchedSelectors(schema: JsonSchema, fields: ResponseFields): string[] {
  const defs = isSchemaMap(schema.$defs) ? schema.$defs : {};
  const all = [...(fields.keep ?? []), ...(fields.drop ?? []), ...(fields.redact ?? [])];
  return [...new Set(all)].filter((text) => {
    const selector = parseFieldSelector(text);
    return selector.kind === 'name' ? !hasFieldNamed(schema, selector.name, defs, 0) : !hasPath(schema, selector.segments, defs, 0);
  });
}

function resolveRef(node: JsonValue | undefined, defs: { [name: string]: JsonValue }): JsonValue | undefined {
  return isSchema(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/$defs/') ? defs[node.$ref.slice('#/$defs/'.length)] : node;
}

/** Sub-schemas a value of this schema may also be described by: array items and union branches. */
function alternativesOf(node: Schema): JsonValue[] {
  return [node.items, ...(['anyOf', 'oneOf', 'allOf'] as const).flatMap((keyword) => (Array.isArray(node[keyword]) ? (node[keyword] as JsonValue[]) : []))].filter(
    (value): value is JsonValue => value !== undefined,
  );
}

/** An object (or anything) whose fields the schema does not list: it may hold any field. */
function saysNothing(node: Schema): boolean {
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? ['object'] : [node.type];
  return types.includes('object') && !isSchemaMap(node.properties) && alternativesOf(node).length === 0 && node.$ref === undefined;
}

function hasFieldNamed(value: JsonValue | undefined, name: string, defs: { [name: string]: JsonValue }, depth: number): boolean {
  const node = resolveRef(value, defs);
  if (depth > 12 || !isSchema(node)) return false;
  if (isSchemaMap(node.properties) && name in node.properties) return true;
  const children = [...(isSchemaMap(node.properties) ? Object.values(node.properties) : []), ...alternativesOf(node)];
  return children.some((child) => hasFieldNamed(child, name, defs, depth + 1)) || (depth === 0 && saysNothing(node));
}

function hasPath(value: JsonValue | undefined, segments: string[], defs: { [name: string]: JsonValue }, depth: number): boolean {
  const node = resolveRef(value, defs);
  if (segments.length === 0) return true;
  if (depth > 12 || !isSchema(node)) return false;
  if (saysNothing(node)) return true;
  const [head, ...rest] = segments as [string, ...string[]];
  const properties = isSchemaMap(node.properties) ? node.properties : {};
  const direct = head === '*' ? Object.values(properties) : head in properties ? [properties[head]!] : [];
  if (direct.some((child) => hasPath(child, rest, defs, depth + 1))) return true;
  return alternativesOf(node).some((child) => hasPath(child, segments, defs, depth + 1));
}

/** Words that, at the end of a field's name, say it is about a secret rather than the secret itself. */
const describingWords = new Set(['type', 'types', 'count', 'url', 'uri', 'expires', 'expiry', 'expiration', 'at', 'id', 'name', 'hint', 'set', 'enabled', 'required', 'length', 'scopes', 'scope', 'last4', 'prefix', 'method', 'endpoint']);

/**
 * Response fields worth redacting: those named like secrets, tokens, passwords and keys anywhere in the
 * output schema (`token`, `client_secret`, `private_key`, `password`), but not fields that only describe
 * one (`token_type`, `password_set`). Sorted names, ready for `responseFields.redact` in toolwright.yaml.
 */
export function proposeRedactions(outputSchema: JsonSchema | undefined): string[] {
  const names = new Set<string>();
  const visit = (node: JsonValue | undefined, depth: number): void => {
    if (depth > 12 || !isSchema(node)) return;
    if (isSchemaMap(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (isSecretField(name)) names.add(name);
        visit(child, depth + 1);
      }
    }
    visit(node.items, depth + 1);
    if (isSchemaMap(node.$defs)) for (const def of Object.values(node.$defs)) visit(def, depth + 1);
    for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
      const members = node[keyword];
      if (Array.isArray(members)) for (const member of members) visit(member, depth + 1);
    }
  };
  visit(outputSchema, 0);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isSecretField(name: string): boolean {
  if (!isSensitiveName(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1) ?? '';
  if (describingWords.has(last) || /^(is|has)$/.test(words[0] ?? '')) return false;
  return words.some((word) => /^(secret|secrets|password|passwd|passphrase|token|tokens|apikey|credential|credentials|key|signature|otp|cvv|cvc|ssn|pin)$/.test(word));
}

function isSchema(value: JsonValue | undefined): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSchemaMap(value: JsonValue | undefined): value is { [name: string]: JsonValue } {
  return isSchema(value);
}
