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
    let text = '[\n';
    for (const item of value) text += `${inner}${toLiteral(item, inner)},\n`;
    return `${text}${indent}]`;
  }
  let text = '';
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) text += `${inner}${propertyKey(key)}: ${toLiteral(item, inner)},\n`;
  }
  return text === '' ? '{}' : `{\n${text}${indent}}`;
}

/** Keys written so far: a catalog repeats the same few hundred keys many thousand times. */
const propertyKeys = new Map<string, string>();

function propertyKey(key: string): string {
  let written = propertyKeys.get(key);
  if (written === undefined) {
    written = key === '__proto__' ? '["__proto__"]' : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
    propertyKeys.set(key, written);
  }
  return written;
}

/** Makes spec text safe inside a comment: no line breaks, no comment terminator. */
export function toCommentText(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/\*\//g, '*\\/');
}
