import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { exampleFor } from './examples.js';

type AjvError = { keyword: string; instancePath: string; schemaPath: string; params: { [key: string]: unknown } };
type AjvFunction = { (data: unknown): boolean; errors?: AjvError[] | null };
type AjvEngine = { compile(schema: unknown): AjvFunction; getSchema(id: string): AjvFunction | undefined; opts: { ownProperties?: boolean } };

const maxMessages = 5;
const sdkValidator = new AjvJsonSchemaValidator();
/** The SDK's own lazily built Ajv2020 engine (draft 2020-12, all errors, formats); not part of its typed surface. */
const engine = (sdkValidator as unknown as { ajv?: AjvEngine }).ajv;
// Only own properties count: an optional argument named like an Object.prototype member (`toString`) is absent
// unless the caller sent it. Set before anything is compiled, since Ajv reads it when generating code.
if (engine) engine.opts.ownProperties = true;
const cache = new WeakMap<object, JsonSchemaValidator<unknown>>();
const checks = new WeakMap<object, AjvFunction>();

/**
 * The JSON Schema validator for tool arguments and structured output: the SDK's 2020-12 engine with messages
 * that name the field and the constraint, e.g. `limit: must be <= 100 (got 500)`.
 */
export const schemaValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    if (!engine || typeof schema !== 'object') return sdkValidator.getValidator<T>(schema);
    let validator = cache.get(schema);
    if (!validator) {
      validator = compileValidator(engine, schema);
      cache.set(schema, validator);
    }
    return validator as JsonSchemaValidator<T>;
  },
};

/** Validates a value (such as structured output) against a schema; returns the error message, without examples, or undefined when it conforms. */
export function findSchemaError(schema: object, value: unknown): string | undefined {
  if (!engine) {
    const result = sdkValidator.getValidator(schema as JsonSchemaType)(value);
    return result.valid ? undefined : result.errorMessage;
  }
  const check = compiledCheck(engine, schema);
  return check(value) ? undefined : describeErrors(check.errors ?? [], schema, value, false);
}

/** The JSON pointers (into the value) of every place where a value does not conform to a schema; empty when it conforms. */
export function findMismatchPaths(schema: object, value: unknown): string[] {
  if (!engine) return sdkValidator.getValidator(schema as JsonSchemaType)(value).valid ? [] : [''];
  const check = compiledCheck(engine, schema);
  return check(value) ? [] : [...new Set((check.errors ?? []).map((error) => error.instancePath))];
}

function compiledCheck(ajv: AjvEngine, schema: object): AjvFunction {
  let check = checks.get(schema);
  if (!check) {
    const id = (schema as { $id?: unknown }).$id;
    check = (typeof id === 'string' && ajv.getSchema(id)) || ajv.compile(schema);
    checks.set(schema, check);
  }
  return check;
}

function compileValidator(ajv: AjvEngine, schema: JsonSchemaType & object): JsonSchemaValidator<unknown> {
  const check = compiledCheck(ajv, schema);
  return (input) =>
    check(input)
      ? { valid: true, data: input, errorMessage: undefined }
      : { valid: false, data: undefined, errorMessage: describeErrors(check.errors ?? [], schema, input, true) };
}

/** Turns Ajv errors into one message per problem, each naming the field; errors inside an `anyOf`/`oneOf` fold into that branch's message. */
function describeErrors(errors: AjvError[], schema: object, input: unknown, withExamples: boolean): string {
  const branches = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  const insideBranch = (error: AjvError) =>
    branches.some((branch) => branch !== error && error.schemaPath.startsWith(`${branch.schemaPath}/`));
  const messages: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || insideBranch(error)) continue;
    const message = describeError(error, errors, schema, input) + (withExamples ? exampleHint(error, schema) : '');
    if (!messages.includes(message)) messages.push(message);
  }
  if (messages.length === 0) messages.push('arguments: do not match the schema');
  const extra = messages.length - maxMessages;
  return messages.slice(0, maxMessages).join('; ') + (extra > 0 ? `; and ${extra} more` : '');
}

function describeError(error: AjvError, all: AjvError[], schema: object, input: unknown): string {
  const atRoot = error.instancePath === '';
  const field = atRoot ? 'arguments' : fieldName(error.instancePath);
  const value = resolvePointer(input, pointerSegments(error.instancePath));
  const got = ` (got ${show(value)})`;
  const p = error.params;
  const at = (text: string) => `${field}: ${text}`;
  switch (error.keyword) {
    case 'required':
      return atRoot
        ? `missing required argument "${String(p.missingProperty)}"`
        : at(`missing required property "${String(p.missingProperty)}"`);
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      const parent = schemaAt(schema, error.schemaPath, 1) as { properties?: object } | undefined;
      const allowed = Object.keys(parent?.properties ?? {});
      const list = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : atRoot ? 'this tool takes no arguments' : 'no properties allowed';
      return atRoot ? `unknown argument "${name}" (${list})` : at(`unknown property "${name}" (${list})`);
    }
    case 'type':
      return at(`must be ${describeTypes(String(p.type).split(','))}${got}`);
    case 'anyOf':
    case 'oneOf': {
      const branchTypes = all.filter((other) => other.keyword === 'type' && other.schemaPath.startsWith(`${error.schemaPath}/`));
      if (error.keyword === 'oneOf' && Array.isArray(p.passingSchemas)) return at(`matches more than one of the allowed forms${got}`);
      const branchSchemas = schemaAt(schema, error.schemaPath);
      if (branchTypes.length > 0 && Array.isArray(branchSchemas) && branchTypes.length === branchSchemas.length) {
        return at(`must be ${describeTypes(branchTypes.flatMap((other) => String(other.params.type).split(',')))}${got}`);
      }
      return at(`does not match any of the allowed forms${got}`);
    }
    case 'enum': {
      const values = p.allowedValues as unknown[];
      const more = values.length > 10 ? `, ... (${values.length - 10} more)` : '';
      return at(`must be one of ${values.slice(0, 10).map(show).join(', ')}${more}${got}`);
    }
    case 'const':
      return at(`must be ${show(p.allowedValue)}${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`must be ${String(p.comparison)} ${String(p.limit)}${got}`);
    case 'multipleOf':
      return at(`must be a multiple of ${String(p.multipleOf)}${got}`);
    case 'minLength':
      return at(`must be at least ${String(p.limit)} characters long${got}`);
    case 'maxLength':
      return at(`must be at most ${String(p.limit)} characters long${got}`);
    case 'pattern':
      return at(`must match the pattern ${String(p.pattern)}${got}`);
    case 'format':
      return at(`must be a valid ${String(p.format)}${got}`);
    case 'minItems':
      return at(`must have at least ${String(p.limit)} items`);
    case 'maxItems':
    case 'items':
      return at(`must have at most ${String(p.limit)} items`);
    case 'uniqueItems':
      return at(`must not contain duplicates (items ${String(p.i)} and ${String(p.j)} are equal)`);
    case 'minProperties':
      return at(`must have at least ${String(p.limit)} properties`);
    case 'maxProperties':
      return at(`must have at most ${String(p.limit)} properties`);
    case 'dependentRequired':
    case 'dependencies':
      return at(`missing property "${String(p.missingProperty)}" (required when "${String(p.property)}" is present)`);
    case 'not':
      return at(`is not allowed in this form${got}`);
    case 'false schema':
      return atRoot ? 'arguments are not allowed' : at('is not allowed');
    default:
      return at(`does not satisfy "${error.keyword}"${got}`);
  }
}

const exampleKeywords = new Set([
  'required',
  'type',
  'anyOf',
  'oneOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
]);

/** `, e.g. 7`: a value the failing field accepts, checked against the field's own schema; empty when none is known. */
function exampleHint(error: AjvError, schema: object): string {
  if (!exampleKeywords.has(error.keyword)) return '';
  const parent = schemaAt(schema, error.schemaPath, 1) as { properties?: { [name: string]: unknown } } | undefined;
  const field = error.keyword === 'required' ? parent?.properties?.[String(error.params.missingProperty)] : parent;
  const example = exampleFor(field);
  if (!example || !engine || field === null || typeof field !== 'object') return '';
  try {
    return compiledCheck(engine, field)(example.value) ? `, e.g. ${show(example.value)}` : '';
  } catch {
    return '';
  }
}

function describeTypes(types: string[]): string {
  const names: { [type: string]: string } = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'a boolean (true or false)',
    object: 'an object',
    array: 'an array',
    null: 'null',
  };
  const unique = [...new Set(types)].map((type) => names[type] ?? type);
  return unique.length > 1 ? `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}` : (unique[0] ?? 'valid');
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fieldName(instancePath: string): string {
  return pointerSegments(instancePath)
    .map((segment, index) => (index === 0 ? segment : /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}

function resolvePointer(value: unknown, segments: string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as { [key: string]: unknown })[segment];
  }
  return current;
}

/** The schema node at an Ajv `schemaPath` (a URI fragment such as `#/properties/a%20b/type`), optionally `up` levels higher. */
function schemaAt(schema: object, schemaPath: string, up = 0): unknown {
  let segments: string[];
  try {
    segments = pointerSegments(decodeURIComponent(schemaPath.replace(/^#/, '')));
  } catch {
    return undefined;
  }
  return resolvePointer(schema, segments.slice(0, segments.length - up));
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
