/**
 * Which response fields are worth a model's attention first: the ones that identify and summarise a record.
 * A tool's description names the first few, and its compact output schema keeps fields in this order until
 * its token budget is spent, so both tell the model the same field names.
 */

/** Fields that identify and describe a record, in the order they are worth listing. */
export const leadingFields = [
  'id', 'name', 'title', 'login', 'email', 'key', 'slug', 'number', 'full_name', 'display_name', 'status', 'state', 'type',
  'amount', 'currency', 'description', 'created', 'created_at', 'updated_at',
] as const;

/** The leading fields that identify a record (the rest of {@link leadingFields} summarise it). */
const identifyingCount = leadingFields.indexOf('amount');

/** Links to other API calls, bookkeeping and free-form bags: rarely what a model needs from a result. */
const rarelyUseful = /^(object|livemode|node_id|metadata|_links|links|etag|kind|api_version|apiVersion|_expandable)$|(?<!^html)_url$|^url$/;

/** Property names that hold the records of a list response. */
export const listFields = ['data', 'items', 'results', 'result', 'records', 'entries', 'values'] as const;

/** Whether a field is bookkeeping rather than content (`object`, `livemode`, `*_url`, `metadata`, …). */
export function isRarelyUseful(name: string): boolean {
  return rarelyUseful.test(name);
}

/** What is known about a field of a response when ranking it. */
export type FieldFacts = {
  name: string;
  /** Position among its siblings in the schema. */
  index: number;
  required: boolean;
  /** The field may be null (a required field that may be null is often empty). */
  nullable: boolean;
  deprecated: boolean;
  /** `scalar` when the field can hold a string, number or boolean (an id or an expanded object counts). */
  kind: 'scalar' | 'object' | 'array' | 'any';
  /** The tool's description names the field. */
  mentioned: boolean;
};

/** Whether a field earns a place in a compact schema: not bookkeeping (see {@link isRarelyUseful}), not deprecated. */
export function isWorthListing(field: Pick<FieldFacts, 'name' | 'deprecated'>): boolean {
  return !field.deprecated && !isRarelyUseful(field.name);
}

/**
 * What a field weighs in a compact schema, for ranking: the characters of its entry (`"name":{"type":…}`), a
 * stand-in for its tokens that needs no tokenizer, so descriptions and schemas rank fields alike and cheaply.
 */
export function fieldWeight(name: string, types: string[]): number {
  // The length of `{"<name>":{"type":<types>}}`, without building it.
  return JSON.stringify(name).length + JSON.stringify(types.length === 1 ? types[0] : types).length + '{:{"type":}}'.length;
}

/**
 * A field's rank, lower first: identifying fields, then those the description names, summary fields (in
 * the order of {@link leadingFields}), required scalars that are never null, other scalars and required
 * structures, other structures, and last bookkeeping and deprecated fields. Within the later groups, lighter
 * fields (`weight`, see {@link fieldWeight}: short names and simple types) come first, so more of them fit a
 * budget; then the schema's order.
 */
export function fieldRank(field: FieldFacts, weight = 0): [number, number, number, number] {
  const leading = (leadingFields as readonly string[]).indexOf(field.name);
  const order = leading < 0 ? leadingFields.length : leading;
  if (!isWorthListing(field)) return [5, order, weight, field.index];
  if (leading >= 0 && leading < identifyingCount) return [0, order, 0, field.index];
  if (field.mentioned) return [1, -1, 0, field.index];
  if (leading >= 0) return [1, order, 0, field.index];
  if (field.kind === 'scalar') return [field.required && !field.nullable ? 2 : 3, order, weight, field.index];
  return [field.required ? 3 : 4, order, weight, field.index];
}

/** Compares two ranks as {@link fieldRank} returns them. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] !== b[index]) return a[index]! - b[index]!;
  }
  return a.length - b.length;
}
