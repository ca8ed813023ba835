import type { JsonValue } from '../../templates/runtime/definition.js';
import { describeField } from '../curate/describe.js';
import type { SchemaDialect, SchemaDirection } from './json-schema.js';
import { isEmptySchema, isRecord, setKey, toJson, unique, type Raw } from './json-values.js';
import {
  containerKeywords,
  jsonSchemaFormats,
  jsonTypes,
  maxExampleLength,
  ordered,
  outputOmitted,
  type Draft,
  type Schema,
} from './schema-keywords.js';
import { withHidden, type HiddenNames } from './schema-merge.js';
import { toUnicodePattern } from './schema-pattern.js';
import { decodeToken, escapeToken, hasFlag } from './schema-pointer.js';

/** What translating one schema's keywords needs from the translator that walks the document. */
export type SchemaWalker = {
  readonly document: unknown;
  readonly dialect: SchemaDialect;
  readonly direction: SchemaDirection;
  readonly hidden: HiddenNames;
  /** Translates a sub-schema at a nesting depth; `root` as for the schema it belongs to. */
  node(raw: unknown, depth: number, at: string, root: boolean): Schema;
  /** The value of a keyword that holds a map or list, with any `$ref` in its place followed. */
  container(value: unknown, at: string): unknown;
  warn(message: string): void;
};

/** Converts the keywords a schema states itself: everything but `$ref`, `allOf` and nullability. */
export function translateOwnKeywords(walker: SchemaWalker, raw: Raw, depth: number, at: string): { own: Draft; extra: Schema[] } {
  const own: Draft = {};
  const extra: Schema[] = [];
  const output = walker.direction === 'output';
  const examples: JsonValue[] = [];
  let example: JsonValue | undefined;
  let isFile = false;
  let hiddenNames: string[] | undefined;
  for (const key of Object.keys(raw)) {
    if (output && outputOmitted.has(key)) continue;
    const value = containerKeywords.has(key) ? walker.container(raw[key], `${at}/${key}`) : raw[key];
    switch (key) {
      case 'type': {
        const type = translateType(walker, value, at);
        if (type.isFile) isFile = true;
        if (type.value !== undefined) own.type = type.value;
        break;
      }
      case 'format':
        if (typeof value !== 'string') break;
        if (value === 'byte' || value === 'binary') {
          if (typeof raw.contentEncoding !== 'string') own.contentEncoding = 'base64';
        } else if (jsonSchemaFormats.has(value) && !output) {
          own.format = value;
        }
        break;
      case 'pattern':
        if (typeof value === 'string') {
          const pattern = toUnicodePattern(value);
          if (pattern === undefined) walker.warn(`${at}: pattern ${JSON.stringify(value)} is not a valid regular expression in JSON Schema (ECMA-262, Unicode mode); it was dropped.`);
          else own.pattern = pattern;
        }
        break;
      case 'description':
        if (typeof value === 'string') own.description = describeField(value);
        break;
      case 'title':
      case 'contentMediaType':
      case 'contentEncoding':
        if (typeof value === 'string') own[key] = value;
        break;
      case 'deprecated':
        if (value === true) own.deprecated = true;
        break;
      case 'uniqueItems':
        if (value === true) own.uniqueItems = true;
        break;
      case 'default':
      case 'const': {
        const json = toJson(value);
        if (json !== undefined) own[key] = json;
        break;
      }
      case 'enum':
        if (Array.isArray(value) && value.length > 0) own.enum = value.map((item) => toJson(item) ?? null);
        else if (Array.isArray(value)) walker.warn(`${at}: enum is empty, so no value could match; it was dropped.`);
        break;
      case 'example':
        example = toJson(value);
        break;
      case 'examples':
        if (Array.isArray(value)) {
          for (const item of value) {
            const json = toJson(item);
            if (json !== undefined) examples.push(json);
          }
        }
        break;
      case 'multipleOf':
      case 'minimum':
      case 'maximum':
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties':
      case 'minContains':
      case 'maxContains':
        if (typeof value === 'number' && Number.isFinite(value)) own[key] = value;
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (typeof value === 'number' && Number.isFinite(value)) own[key] = value;
        else if (value === true && typeof raw[bound] === 'number') own[key] = raw[bound] as number;
        break;
      }
      case 'required':
        if (Array.isArray(value)) own.required = unique(value.filter((name): name is string => typeof name === 'string'));
        break;
      case 'dependentRequired':
        if (isRecord(value)) {
          const map: Draft = {};
          for (const [name, names] of Object.entries(value)) {
            if (Array.isArray(names)) setKey(map, name, names.filter((item): item is string => typeof item === 'string'));
          }
          own.dependentRequired = map;
        }
        break;
      case 'properties':
        if (isRecord(value)) {
          const hiddenFlag = output ? 'writeOnly' : 'readOnly';
          const properties: Draft = {};
          for (const [name, child] of Object.entries(value)) {
            if (hasFlag(child, hiddenFlag, walker.document)) {
              (hiddenNames ??= []).push(name);
              continue;
            }
            setKey(properties, name, walker.node(child, depth + 1, `${at}/properties/${escapeToken(name)}`, false));
          }
          own.properties = properties;
        }
        break;
      case 'patternProperties':
      case 'dependentSchemas':
        if (isRecord(value)) {
          const map: Draft = {};
          const childDepth = key === 'patternProperties' ? depth + 1 : depth;
          for (const [name, child] of Object.entries(value)) {
            const where = `${at}/${key}/${escapeToken(name)}`;
            const mapKey = key === 'patternProperties' ? toUnicodePattern(name) : name;
            if (mapKey === undefined) {
              walker.warn(`${where}: ${JSON.stringify(name)} is not a valid regular expression in JSON Schema (ECMA-262, Unicode mode); the entry was dropped.`);
              continue;
            }
            setKey(map, mapKey, walker.node(child, childDepth, where, false));
          }
          own[key] = map;
        }
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties':
      case 'unevaluatedItems': {
        if (value === false && output) break;
        if (value === true) break;
        const child = walker.node(value, depth + 1, `${at}/${key}`, false);
        if (child !== true && !isEmptySchema(child)) own[key] = child;
        break;
      }
      case 'items':
        if (Array.isArray(value)) {
          own.prefixItems = value.map((item, index) => walker.node(item, depth + 1, `${at}/items/${index}`, false));
          if (raw.additionalItems !== undefined && raw.additionalItems !== true) {
            own.items = walker.node(raw.additionalItems, depth + 1, `${at}/additionalItems`, false);
          }
        } else {
          own.items = walker.node(value, depth + 1, `${at}/items`, false);
        }
        break;
      case 'prefixItems':
        if (Array.isArray(value)) own.prefixItems = value.map((item, index) => walker.node(item, depth + 1, `${at}/prefixItems/${index}`, false));
        break;
      case 'contains':
      case 'propertyNames':
        own[key] = walker.node(value, key === 'contains' ? depth + 1 : depth, `${at}/${key}`, false);
        break;
      case 'not':
      case 'if':
      case 'then':
      case 'else':
        own[key] = walker.node(value, depth, `${at}/${key}`, false);
        break;
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(value)) break;
        let branches = value.map((branch, index) => walker.node(branch, depth, `${at}/${key}/${index}`, false));
        if (!output) {
          branches = pinDiscriminator(walker, raw, value, branches);
          own[key] = branches;
          break;
        }
        if (branches.some((branch) => branch === true || isEmptySchema(branch))) break;
        branches = unique(branches);
        if (branches.length === 1) extra.push(branches[0]!);
        else if (own.anyOf === undefined) own.anyOf = branches;
        else extra.push({ anyOf: branches });
        break;
      }
      default:
        break;
    }
  }
  if (raw.format === 'int-or-string' && own.type === 'string') own.type = ['integer', 'string'];
  if (isFile) {
    own.contentEncoding = 'base64';
    own.description = typeof own.description === 'string' ? `${own.description} (base64-encoded file contents)` : 'Base64-encoded file contents.';
  }
  if (own.exclusiveMinimum !== undefined && raw.exclusiveMinimum === true) delete own.minimum;
  if (own.exclusiveMaximum !== undefined && raw.exclusiveMaximum === true) delete own.maximum;
  if (example !== undefined) examples.push(example);
  const kept = unique(examples).filter((example) => JSON.stringify(example).length <= maxExampleLength);
  if (kept.length > 0) own.examples = kept;
  if (hiddenNames && Array.isArray(own.required)) {
    const names = new Set(hiddenNames);
    own.required = (own.required as string[]).filter((name) => !names.has(name));
    if ((own.required as string[]).length === 0) delete own.required;
  }
  if (hiddenNames) walker.hidden.set(own, hiddenNames);
  return { own, extra };
}

function translateType(walker: SchemaWalker, value: unknown, at: string): { value?: JsonValue; isFile: boolean } {
  const names = Array.isArray(value) ? value : [value];
  const types: string[] = [];
  let isFile = false;
  for (const name of names) {
    if (name === 'file') {
      isFile = true;
      types.push('string');
    } else if (typeof name === 'string' && jsonTypes.has(name)) {
      types.push(name);
    } else {
      walker.warn(`${at}: type ${JSON.stringify(name)} is not a JSON Schema type; it was dropped.`);
    }
  }
  const distinct = unique(types);
  if (distinct.length === 0) return { isFile };
  return { value: distinct.length === 1 ? distinct[0]! : distinct, isFile };
}

/** Pins each `$ref` branch of a discriminated oneOf/anyOf to its discriminator value with `const`. */
function pinDiscriminator(walker: SchemaWalker, raw: Raw, rawBranches: unknown[], branches: Schema[]): Schema[] {
  const discriminator = raw.discriminator;
  const propertyName = typeof discriminator === 'string' ? discriminator : isRecord(discriminator) ? discriminator.propertyName : undefined;
  if (typeof propertyName !== 'string' || propertyName === '') return branches;
  const mapping = isRecord(discriminator) && isRecord(discriminator.mapping) ? discriminator.mapping : {};
  const componentsBase = walker.dialect === 'swagger2' ? '#/definitions/' : '#/components/schemas/';
  return branches.map((branch, index) => {
    const rawBranch = rawBranches[index];
    if (!isRecord(rawBranch) || typeof rawBranch.$ref !== 'string' || typeof branch === 'boolean') return branch;
    const pointer = rawBranch.$ref;
    const values = Object.entries(mapping)
      .filter(([, target]) => typeof target === 'string' && (target.startsWith('#') ? target : `${componentsBase}${target}`) === pointer)
      .map(([value]) => value);
    if (values.length === 0) values.push(decodeToken(pointer.slice(pointer.lastIndexOf('/') + 1)));
    const properties: Draft = isRecord(branch.properties) ? { ...(branch.properties as Draft) } : {};
    const existing = properties[propertyName];
    const pin: Draft = values.length === 1 ? { const: values[0]! } : { enum: values };
    const base: Draft = isRecord(existing) ? { ...(existing as Draft) } : {};
    delete base.enum;
    delete base.const;
    setKey(properties, propertyName, ordered({ ...base, ...pin }));
    const required = unique([...(Array.isArray(branch.required) ? (branch.required as string[]) : []), propertyName]);
    return withHidden(walker.hidden, ordered({ ...branch, properties, required }), branch);
  });
}
