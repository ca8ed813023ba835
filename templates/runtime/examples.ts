type Schema = { [keyword: string]: unknown };

const formatExamples: { [format: string]: string } = {
  date: '2024-01-31',
  'date-time': '2024-01-31T12:00:00Z',
  time: '12:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
};

/**
 * A value that satisfies a schema, for error messages: its own `examples`, `default`, `const` or first `enum`
 * value, otherwise one built from its type and bounds; undefined when none can be built with confidence.
 */
export function exampleFor(schema: unknown, depth = 0): { value: unknown } | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || depth > 3) return undefined;
  const s = schema as Schema;
  if (Array.isArray(s.examples) && s.examples.length > 0) return { value: s.examples[0] };
  if ('default' in s && s.default !== null) return { value: s.default };
  if ('const' in s) return { value: s.const };
  if (Array.isArray(s.enum) && s.enum.length > 0) return { value: s.enum[0] };
  for (const keyword of ['anyOf', 'oneOf']) {
    const branches = s[keyword];
    if (Array.isArray(branches)) {
      for (const branch of branches) {
        const found = exampleFor(branch, depth + 1);
        if (found && found.value !== null) return found;
      }
    }
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const type = types.find((candidate) => candidate !== 'null');
  switch (type) {
    case 'integer':
    case 'number':
      return numberExample(s, type === 'integer');
    case 'boolean':
      return { value: true };
    case 'string':
      return stringExample(s);
    case 'array': {
      const item = exampleFor(s.items, depth + 1);
      const count = typeof s.minItems === 'number' ? s.minItems : 1;
      return item && count <= 3 ? { value: Array.from({ length: Math.max(count, 1) }, () => item.value) } : undefined;
    }
    case 'object': {
      const properties = (s.properties ?? {}) as { [name: string]: unknown };
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      const value: { [name: string]: unknown } = {};
      for (const name of required) {
        const found = exampleFor(properties[name], depth + 1);
        if (!found) return undefined;
        value[name] = found.value;
      }
      return { value };
    }
    default:
      return undefined;
  }
}

function numberExample(s: Schema, integer: boolean): { value: number } | undefined {
  const step = typeof s.multipleOf === 'number' ? s.multipleOf : integer ? 1 : 0.5;
  let low = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + step : 1;
  const high = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - step : undefined;
  low = Math.ceil(low / step) * step;
  if (high !== undefined && low > high) return undefined;
  return { value: integer ? Math.ceil(low) : Number(low.toPrecision(12)) };
}

function stringExample(s: Schema): { value: string } | undefined {
  if (typeof s.pattern === 'string') return undefined;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  if (typeof s.format === 'string') {
    const value = formatExamples[s.format];
    return value !== undefined && value.length >= min && value.length <= max ? { value } : undefined;
  }
  const value = 'text'.padEnd(min, 'x').slice(0, Math.max(min, Math.min(4, max)));
  return value.length >= min && value.length <= max ? { value } : undefined;
}
