/**
 * Writes a JSON value as a TypeScript expression. Strings go through `JSON.stringify`, so spec text can
 * never end a literal early; `__proto__` keys are written as computed keys so they stay own properties.
 */
export function toLiteral(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => item === null || typeof item !== 'object')) {
      const inline = `[${value.map((item) => toLiteral(item, inner)).join(', ')}]`;
      if (inline.length <= 80) return inline;
    }
    return `[\n${value.map((item) => inner + toLiteral(item, inner)).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item]) => `${inner}${propertyKey(key)}: ${toLiteral(item, inner)}`);
  return `{\n${lines.join(',\n')},\n${indent}}`;
}

function propertyKey(key: string): string {
  if (key === '__proto__') return '["__proto__"]';
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

/** Makes spec text safe inside a comment: no line breaks, no comment terminator. */
export function toCommentText(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/\*\//g, '*\\/');
}
