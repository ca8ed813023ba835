import { compareRanks, fieldRank, fieldWeight, isWorthListing, listFields, type FieldFacts } from '../catalog/field-priority.js';
import { resolvePointer } from '../errors.js';
import type { OperationModel } from '../model/types.js';

type RawObject = { [key: string]: unknown };

function isObject(value: unknown): value is RawObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Follows `$ref`s (and single-member `allOf`) to the schema they name; the name is the last segment of the last ref. */
function resolve(schema: unknown, document: unknown): { schema: RawObject; name?: string } | undefined {
  let current = schema;
  let name: string | undefined;
  for (let hops = 0; hops < 16 && isObject(current); hops++) {
    if (typeof current.$ref === 'string' && current.$ref.startsWith('#')) {
      name = decodeURIComponent(current.$ref.split('/').pop() ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
      current = resolvePointer(document, current.$ref.slice(1));
      continue;
    }
    if (Array.isArray(current.allOf) && current.allOf.length === 1 && !current.properties) {
      current = current.allOf[0];
      continue;
    }
    return { schema: current, ...(name ? { name } : {}) };
  }
  return undefined;
}

const envelopeFields = new Set(['success', 'errors', 'messages', 'result_info', 'meta', 'status', 'message', 'error']);

/** The `result` of an envelope such as `{ success, errors, messages, result }`: what the caller wants to hear about. */
function unwrapEnvelope(resolved: { schema: RawObject; name?: string } | undefined, document: unknown): { schema: RawObject; name?: string } | undefined {
  if (!resolved) return undefined;
  const fields = propertyNames(resolved.schema, document);
  if (!fields.includes('result') || !fields.every((field) => field === 'result' || envelopeFields.has(field))) return resolved;
  const result = findProperty(resolved.schema, 'result', document);
  const inner = result === undefined ? undefined : resolve(result, document);
  return inner ?? { schema: {} };
}

/** A property's schema, looked up through `allOf`; the last definition wins, as in most specs that refine a base. */
function findProperty(schema: RawObject, field: string, document: unknown, depth = 0): unknown {
  let found: unknown = isObject(schema.properties) ? schema.properties[field] : undefined;
  if (depth < 4 && Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      const resolved = resolve(part, document);
      const inner = resolved && findProperty(resolved.schema, field, document, depth + 1);
      if (inner !== undefined) found = inner;
    }
  }
  return found;
}

/** Top-level property names of an object schema, through `allOf`. */
function propertyNames(schema: RawObject, document: unknown, depth = 0): string[] {
  const names = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  if (depth < 4 && Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      const resolved = resolve(part, document);
      if (resolved) names.push(...propertyNames(resolved.schema, document, depth + 1));
    }
  }
  return [...new Set(names)];
}

/** `io.k8s.api.core.v1.Namespace` → Namespace; `full-repository` → full repository; `payment_intent` → payment intent. */
function nounOf(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const last = name.split('.').pop()!;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]+/g, ' ').trim();
  if (!words || /^(response|result|body|object|data|schema|inline)\b/i.test(words) || /\d{3}$/.test(words)) return undefined;
  return /^[A-Z][a-z]/.test(last) && !/\s/.test(words) ? last : words.toLowerCase();
}

/**
 * A sentence on what the tool returns, read from its first success response: `Returns the customer: id,
 * email, name, …`, `Returns a list of repositories: id, name, …`, or `Returns no content.`; shortened to fit
 * `room` by listing fewer fields, and left out when even the shortest form does not fit.
 */
export function describeReturns({ operation, document, room, alreadySaid }: { operation: OperationModel; document: unknown; room: number; alreadySaid: boolean }): string {
  const success = operation.responses.filter((response) => /^2/.test(response.status)).sort((a, b) => (a.status < b.status ? -1 : 1))[0];
  if (!success) return '';
  const content = success.contents.find((entry) => /json/i.test(entry.mediaType)) ?? success.contents[0];
  if (!content) return alreadySaid || room < 20 ? '' : 'Returns no content.';
  if (!/json/i.test(content.mediaType)) return alreadySaid || room < 30 || content.mediaType.includes('*') ? '' : `Returns ${content.mediaType} content.`;
  const resolved = unwrapEnvelope(resolve(content.schema, document), document);
  if (!resolved) return '';
  let { schema, name } = resolved;
  let list = false;
  let union = unionOf(schema, document);
  if (!union && schema.type === 'array') {
    const items = resolve(schema.items, document);
    if (!items) return '';
    ({ schema, name } = items);
    union = unionOf(schema, document);
    list = true;
  } else if (!union) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const listField = (listFields as readonly string[]).find((field) => {
      const property = resolve(properties[field], document);
      return property?.schema.type === 'array';
    });
    const arrays = Object.keys(properties).filter((field) => resolve(properties[field], document)?.schema.type === 'array');
    const wrapped = listField ?? (arrays.length === 1 && Object.keys(properties).length <= 3 ? arrays[0] : undefined);
    if (wrapped) {
      const items = resolve(resolve(properties[wrapped], document)!.schema.items, document);
      if (items) {
        ({ schema, name } = { schema: items.schema, name: items.name ?? (listField ? undefined : wrapped) });
        union = unionOf(schema, document);
        list = true;
      }
    }
  }
  if (union) ({ schema, name, list } = { schema: union.first, name: undefined, list: list || union.list });
  const scalar = typeof schema.type === 'string' && schema.type !== 'object' && schema.type !== 'array' ? schema.type : undefined;
  const nouns = union?.nouns ?? [nounOf(name) ?? nounOf(typeof schema.title === 'string' ? schema.title : undefined) ?? scalar].filter((noun): noun is string => noun !== undefined);
  const noun = nouns.length > 0 ? alternatives(list ? nouns.map(plural) : nouns) : undefined;
  const fields = rankFields(schema, document);
  const what = list ? (noun ? `a list of ${noun}` : 'a list') : scalar ? `a ${scalar}` : noun ? `the ${noun}` : 'an object';
  const head = alreadySaid ? (list ? 'Each item has' : 'The result has') : `Returns ${what}`;
  for (let count = Math.min(fields.length, 8); count >= 0; count--) {
    const shown = fields.slice(0, count).join(', ');
    const ending = count < fields.length && count > 0 ? ', …' : '.';
    const sentence = count > 0 ? `${head}${alreadySaid ? ' ' : ': '}${shown}${ending}` : alreadySaid ? '' : `${head}.`;
    if (sentence.length <= room) return sentence;
  }
  return '';
}

/** `a`, `a or b`, `a, b or c`. */
function alternatives(nouns: string[]): string {
  return nouns.length <= 2 ? nouns.join(' or ') : `${nouns.slice(0, -1).join(', ')} or ${nouns[nouns.length - 1]}`;
}

function plural(noun: string): string {
  if (/s$/.test(noun)) return noun;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(x|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/**
 * The named alternatives of a `oneOf`/`anyOf` schema, as nouns (`customer` or `deleted customer`; for
 * alternatives that are lists, the nouns of their items), with the first alternative's (item) schema; an
 * empty object among them is left aside. Undefined unless every other alternative is named.
 */
function unionOf(schema: RawObject, document: unknown): { nouns: string[]; first: RawObject; list: boolean } | undefined {
  const members = schema.oneOf ?? schema.anyOf;
  if (!Array.isArray(members) || members.length < 2 || members.length > 4 || isObject(schema.properties)) return undefined;
  const resolved = members.map((member) => resolve(member, document));
  if (resolved.some((member) => member === undefined)) return undefined;
  const isEmptyObject = (member: RawObject) => member.type === 'object' && (!isObject(member.properties) || Object.keys(member.properties).length === 0) && !member.allOf;
  const kept = (resolved as { schema: RawObject; name?: string }[]).filter((member) => !isEmptyObject(member.schema));
  const list = kept.length > 0 && kept.every((member) => member.schema.type === 'array');
  const alternatives = list ? kept.map((member) => resolve(member.schema.items, document)) : kept;
  const nouns = alternatives.map((member) => member && member.schema.type !== 'array' ? nounOf(member.name ?? (typeof member.schema.title === 'string' ? member.schema.title : undefined)) : undefined);
  if (alternatives.length === 0 || nouns.some((noun) => noun === undefined)) return undefined;
  return { nouns: [...new Set(nouns as string[])], first: alternatives[0]!.schema, list };
}

/** The JSON types a raw property schema allows (through `$ref`, `nullable` and `anyOf`/`oneOf`/`allOf`). */
function typesOf(schema: unknown, document: unknown, depth = 0): string[] {
  const resolved = resolve(schema, document)?.schema;
  if (!resolved || depth > 4) return [];
  const types = new Set<string>([resolved.type ?? []].flat().filter((type): type is string => typeof type === 'string'));
  if (resolved.nullable === true) types.add('null');
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const members = resolved[keyword];
    if (types.size === 0 && Array.isArray(members)) for (const member of members) for (const type of typesOf(member, document, depth + 1)) types.add(type);
  }
  if (types.size === 0 && isObject(resolved.properties)) types.add('object');
  return [...types];
}

/** Names that `required` lists, through `allOf`. */
function requiredNames(schema: RawObject, document: unknown, depth = 0): Set<string> {
  const names = new Set<string>(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : []);
  if (depth < 4 && Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      const resolved = resolve(part, document);
      if (resolved) for (const name of requiredNames(resolved.schema, document, depth + 1)) names.add(name);
    }
  }
  return names;
}

/**
 * The fields worth naming, best first: ranked as a compact output schema keeps them (see `fieldRank`), so the
 * description names the fields the schema keeps first.
 * Bookkeeping fields are named only when there is nothing else.
 */
function rankFields(schema: RawObject, document: unknown): string[] {
  let ranked = rankedFields.get(schema);
  if (!ranked) rankedFields.set(schema, (ranked = rankFieldsOnce(schema, document)));
  return ranked;
}

/** Fields ranked so far, by response schema: many operations return the same one. */
const rankedFields = new WeakMap<RawObject, string[]>();

function rankFieldsOnce(schema: RawObject, document: unknown): string[] {
  const required = requiredNames(schema, document);
  const names = propertyNames(schema, document);
  const ranked = names.flatMap((name, index) => {
    const property = resolve(findProperty(schema, name, document), document)?.schema ?? {};
    const types = typesOf(property, document);
    const kind: FieldFacts['kind'] = types.some((type) => ['string', 'integer', 'number', 'boolean'].includes(type))
      ? 'scalar'
      : types.includes('array') ? 'array' : types.includes('object') ? 'object' : 'any';
    const facts: FieldFacts = { name, index, required: required.has(name), nullable: types.includes('null'), deprecated: property.deprecated === true, kind, mentioned: false };
    if (!isWorthListing(facts)) return [];
    return [{ name, rank: fieldRank(facts, fieldWeight(name, types)) }];
  });
  return ranked.length > 0 ? ranked.sort((a, b) => compareRanks(a.rank, b.rank)).map((field) => field.name) : names;
}
