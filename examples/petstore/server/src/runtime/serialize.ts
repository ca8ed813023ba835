import type { FieldEncoding, ParameterBinding } from './definition.js';

type Encode = (text: string) => string;
type Entry = [string, string];

/**
 * Percent-encodes everything except RFC 3986 unreserved characters, so a value can never add a path
 * segment, query parameter or fragment.
 */
export function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Like {@link encodeStrict} but leaves reserved characters that cannot end a query value (`allowReserved`). */
function encodeReserved(text: string): string {
  return encodeStrict(text).replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B|5B|5D)/g, (escape) => decodeURIComponent(escape));
}

const keep: Encode = (text) => text;

/** The text form of a primitive: strings as they are, numbers and booleans as JSON, null as empty; nested values as JSON. */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Arrays become their items, objects their entries, everything else a single value; empty collections count as undefined. */
function classify(value: unknown): { kind: 'undefined' } | { kind: 'scalar'; text: string } | { kind: 'array'; items: string[] } | { kind: 'object'; entries: Entry[] } {
  if (value === null || value === undefined) return { kind: 'undefined' };
  if (Array.isArray(value)) return value.length === 0 ? { kind: 'undefined' } : { kind: 'array', items: value.map(scalarText) };
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]): Entry => [key, scalarText(item)]);
    return entries.length === 0 ? { kind: 'undefined' } : { kind: 'object', entries };
  }
  return { kind: 'scalar', text: scalarText(value) };
}

/**
 * Serializes a path parameter value per its style (`simple`, `label` or `matrix`), percent-encoded.
 * @see https://spec.openapis.org/oas/v3.1.1#style-examples
 */
export function serializePathParameter(binding: ParameterBinding, value: unknown): string {
  const { style, explode } = binding;
  const name = encodeStrict(binding.name);
  const v = classify(value);
  if (style === 'matrix') {
    if (v.kind === 'undefined') return `;${name}`;
    if (v.kind === 'scalar') return v.text === '' ? `;${name}` : `;${name}=${encodeStrict(v.text)}`;
    if (v.kind === 'array') {
      return explode ? v.items.map((item) => `;${name}=${encodeStrict(item)}`).join('') : `;${name}=${v.items.map(encodeStrict).join(',')}`;
    }
    return explode ? v.entries.map(([key, item]) => `;${encodeStrict(key)}=${encodeStrict(item)}`).join('') : `;${name}=${flatten(v.entries, encodeStrict).join(',')}`;
  }
  const prefix = style === 'label' ? '.' : '';
  const separator = style === 'label' && explode ? '.' : ',';
  if (v.kind === 'undefined') return prefix;
  if (v.kind === 'scalar') return prefix + encodeStrict(v.text);
  if (v.kind === 'array') return prefix + v.items.map(encodeStrict).join(separator);
  return prefix + (explode ? pairs(v.entries, encodeStrict).join(separator) : flatten(v.entries, encodeStrict).join(','));
}

/**
 * Serializes a query parameter into `name=value` pairs, percent-encoded, per its style (`form`,
 * `spaceDelimited`, `pipeDelimited` or `deepObject`) and `explode`.
 * @see https://spec.openapis.org/oas/v3.1.1#style-examples
 */
export function serializeQueryParameter(binding: ParameterBinding, value: unknown): string[] {
  const { style, explode } = binding;
  const encode = binding.allowReserved ? encodeReserved : encodeStrict;
  const name = encodeStrict(binding.name);
  if (style === 'deepObject' && value !== null && typeof value === 'object' && !Array.isArray(value)) return deepObjectPairs(binding.name, value, encode);
  const v = classify(value);
  if (v.kind === 'undefined') return [`${name}=`];
  if (v.kind === 'scalar') return [`${name}=${encode(v.text)}`];
  const delimiter = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '%7C' : ',';
  if (v.kind === 'array') return explode ? v.items.map((item) => `${name}=${encode(item)}`) : [`${name}=${v.items.map(encode).join(delimiter)}`];
  return explode && style === 'form' ? pairs(v.entries, encode) : [`${name}=${flatten(v.entries, encode).join(delimiter)}`];
}

/** Serializes a header parameter (`simple` style); the value is not percent-encoded. */
export function serializeHeaderParameter(binding: ParameterBinding, value: unknown): string {
  const v = classify(value);
  if (v.kind === 'undefined') return '';
  if (v.kind === 'scalar') return v.text;
  if (v.kind === 'array') return v.items.join(',');
  return (binding.explode ? pairs(v.entries, keep) : flatten(v.entries, keep)).join(',');
}

/** Serializes a cookie parameter (`form` style) into `name=value` pairs for one `Cookie` header. */
export function serializeCookieParameter(binding: ParameterBinding, value: unknown): string[] {
  const name = encodeStrict(binding.name);
  const v = classify(value);
  if (v.kind === 'undefined') return [`${name}=`];
  if (v.kind === 'scalar') return [`${name}=${encodeStrict(v.text)}`];
  if (v.kind === 'array') {
    return binding.explode ? v.items.map((item) => `${name}=${encodeStrict(item)}`) : [`${name}=${v.items.map(encodeStrict).join(',')}`];
  }
  return binding.explode ? pairs(v.entries, encodeStrict) : [`${name}=${flatten(v.entries, encodeStrict).join(',')}`];
}

/**
 * Flattens a value into form fields with bracketed names (`a[b][c]`); array items repeat their name.
 * Used by `deepObject` query parameters and `application/x-www-form-urlencoded` bodies.
 */
export function formFields(name: string, value: unknown): Entry[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      item !== null && typeof item === 'object' ? formFields(`${name}[${index}]`, item) : formFields(name, item),
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => formFields(`${name}[${key}]`, item));
  }
  return [[name, scalarText(value)]];
}

/**
 * The fields of one property of a form body, serialized as its Encoding Object says: arrays repeated,
 * joined with `,`, ` ` or `|`, or sent as `name[]`; objects as separate fields or `name[key]`. Without
 * an encoding, {@link formFields}.
 */
export function encodedFormFields(name: string, value: unknown, encoding: FieldEncoding | undefined): Entry[] {
  if (!encoding || value === undefined) return formFields(name, value);
  const isScalar = (item: unknown) => item === null || typeof item !== 'object';
  if (Array.isArray(value) && value.every(isScalar)) {
    if (encoding.style === 'deepObject') return value.map((item): Entry => [`${name}[]`, scalarText(item)]);
    if (encoding.style === 'form' && encoding.explode) return value.map((item): Entry => [name, scalarText(item)]);
    const separator = encoding.style === 'spaceDelimited' ? ' ' : encoding.style === 'pipeDelimited' ? '|' : ',';
    return [[name, value.map(scalarText).join(separator)]];
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && encoding.style === 'form' && Object.values(value).every(isScalar)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (encoding.explode) return entries.map(([key, item]): Entry => [key, scalarText(item)]);
    return [[name, entries.flatMap(([key, item]) => [key, scalarText(item)]).join(',')]];
  }
  return formFields(name, value);
}

function deepObjectPairs(name: string, value: object, encode: Encode): string[] {
  return Object.entries(value).flatMap(([key, item]) =>
    formFields(`${name}[${key}]`, item).map(([field, text]) => `${encodeStrict(field)}=${encode(text)}`),
  );
}

function pairs(entries: Entry[], encode: Encode): string[] {
  return entries.map(([key, item]) => `${encode(key)}=${encode(item)}`);
}

function flatten(entries: Entry[], encode: Encode): string[] {
  return entries.flatMap(([key, item]) => [encode(key), encode(item)]);
}
