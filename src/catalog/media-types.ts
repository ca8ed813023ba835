import type { BodyEncoding } from '../../templates/runtime/definition.js';

/** Media types whose body is text the model can write directly, although they are not `text/*`. */
const textMediaTypes = new Set([
  'application/xml',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json-seq',
  'application/yaml',
  'application/x-yaml',
  'application/graphql',
  'application/sql',
  'application/javascript',
]);

/** How a request body of a media type is sent: JSON, form fields, multipart parts, text, or bytes. */
export function encodingOf(mediaType: string): BodyEncoding {
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  if (type === 'application/json' || type.endsWith('+json') || type === '*/*') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.startsWith('text/') || type.endsWith('+xml') || textMediaTypes.has(type)) return 'text';
  return 'binary';
}

/** Whether a media type carries JSON (`application/json` or a `+json` type). */
export function isJsonMediaType(mediaType: string): boolean {
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  return type === 'application/json' || type.endsWith('+json');
}
