import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';

/**
 * Translates OpenAPI 3.1, OpenAPI 3.0 and Swagger 2.0 schemas into self-contained JSON Schema 2020-12
 * for MCP tool input and output schemas. Pure: it reads the bundled document and never mutates it.
 *
 * @see https://spec.openapis.org/oas/v3.0.3#schema-object
 * @see https://json-schema.org/draft/2020-12/json-schema-validation
 */

/** The schema language of the document: it decides how `nullable`, `exclusiveMinimum` and friends are read. */
export type SchemaDialect = 'swagger2' | 'openapi30' | 'openapi31';

/** Whether a schema describes what the model sends (tool input) or what the API returns (tool output). */
export type SchemaDirection = 'input' | 'output';

export type SchemaConverterOptions = {
  /** The whole bundled document: every $ref is a local JSON pointer into it ('#/components/schemas/Pet', '#/definitions/Pet', or any other '#/...' pointer produced by swagger-parser's bundle()). */
  document: unknown;
  dialect: SchemaDialect;
  direction: SchemaDirection;
  /** Nesting depth beyond which sub-schemas become {} with a description noting they were cut (default: input 12, output 4). */
  maxDepth?: number;
};

/** One converter per tool: convert() each schema that goes into one root schema, then take defs() once for that root. */
export type SchemaConverter = {
  /** Translates one schema; `where` is the JSON pointer of the schema, used in warnings. */
  convert(schema: unknown, where: string): JsonSchema;
  /** The `$defs` to put at the root of the schema the converted pieces end up in (only recursive types), or undefined when there are none. */
  defs(): { [name: string]: JsonSchema } | undefined;
  /** What was lost or repaired on the way, one sentence each, in the order found. */
  warnings(): string[];
};

const defaultMaxDepth: Record<SchemaDirection, number> = { input: 12, output: 4 };

/** Examples whose JSON is longer than this cost more tokens than they are worth. */
const maxExampleLength = 200;

/**
 * The canonical keyword order of every emitted schema: reference, type, annotations, then the assertions
 * grouped by the kind of value they apply to (numbers, strings, arrays, objects), then combinators.
 */
const keywordOrder = [
  '$ref',
  'type',
  'title',
  'description',
  'deprecated',
  'const',
  'enum',
  'format',
  'contentMediaType',
  'contentEncoding',
  'default',
  'examples',
  'multipleOf',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'prefixItems',
  'items',
  'contains',
  'minContains',
  'maxContains',
  'minItems',
  'maxItems',
  'uniqueItems',
  'unevaluatedItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'minProperties',
  'maxProperties',
  'unevaluatedProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
] as const;

const keywordRank = new Map<string, number>(keywordOrder.map((keyword, index) => [keyword, index]));

/**
 * Formats that JSON Schema 2020-12 defines and the generated server's validator (Ajv with ajv-formats) checks;
 * every other format is OpenAPI-specific or custom. `idn-email`, `idn-hostname`, `iri` and `iri-reference`
 * are 2020-12 formats too, but Ajv does not know them and would log a warning for each schema.
 */
const jsonSchemaFormats = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
]);

const jsonTypes = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);

const annotationKeywords = new Set(['title', 'description', 'deprecated', 'default', 'examples']);

/**
 * Value assertions left out of output schemas. A server checks every response against its output schema,
 * and real APIs add enum values, send "" for `format: uri`, omit fields and add new ones: an output schema
 * describes the shape (types, properties, items), it does not police values.
 */
const outputOmitted = new Set([
  'const',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
]);

/** Keywords that only mean something together: allOf members merge only if they agree on the whole group. */
const keywordGroups = [
  ['prefixItems', 'items'],
  ['contains', 'minContains', 'maxContains'],
  ['if', 'then', 'else'],
];

/** Keywords whose value is a map or list (not a schema), which a bundled document may replace by a `$ref`. */
const containerKeywords = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'dependentRequired',
  'required',
  'enum',
  'anyOf',
  'oneOf',
  'prefixItems',
  'examples',
]);

const combinatorKeywords = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

type Raw = { [key: string]: unknown };
type Schema = JsonSchema | boolean;
type Draft = { [key: string]: JsonValue };

/** A `$ref` being expanded. */
type Frame = {
  /** The pointer it was reached by (the `$defs` name comes from it). */
  pointer: string;
  index: number;
  depth: number;
  /** The lowest stack index of a frame this expansion refers back to (Infinity if none). */
  dependsOn: number;
  /** The deepest compound sub-schema met, relative to `depth`. */
  height: number;
  /** Some sub-schema was cut at the depth limit. */
  cut: boolean;
  /** Set when a sub-schema refers back to this frame: the expansion becomes a `$defs` entry. */
  defName?: string;
};

type MemoEntry = { schema: Schema; height: number; cut: boolean; budget: number };

type DefEntry = { name: string; budget: number };

/** Creates a converter for the schemas of one tool schema (all parameters and the body, or the output). */
export function createSchemaConverter(options: SchemaConverterOptions): SchemaConverter {
  const translator = new Translator(options);
  return {
    convert: (schema, where) => translator.convert(schema, where),
    defs: () => translator.defs(),
    warnings: () => translator.warnings(),
  };
}

/**
 * True when a converted schema is a plain object schema whose properties can be lifted into a parent
 * object: `type: 'object'`, `properties`, and nothing whose meaning depends on staying together
 * (no `$ref`, combinators, pattern or schema-valued additional properties).
 */
export function isPlainObjectSchema(schema: JsonSchema): boolean {
  if (schema.type !== 'object' || !isRecord(schema.properties)) return false;
  if (combinatorKeywords.some((keyword) => keyword in schema)) return false;
  if (isRecord(schema.additionalProperties)) return false;
  return !['patternProperties', 'propertyNames', 'dependentSchemas', 'dependentRequired', 'unevaluatedProperties'].some(
    (keyword) => keyword in schema,
  );
}

class Translator {
  private readonly document: unknown;
  private readonly dialect: SchemaDialect;
  private readonly direction: SchemaDirection;
  private readonly maxDepth: number;
  /** Expansions of `$ref` targets, keyed by the target object (two pointers may reach the same schema). */
  private readonly memo = new Map<object, MemoEntry[]>();
  private readonly stack: Frame[] = [];
  /** The `$ref` targets being expanded. */
  private readonly active = new Map<object, Frame>();
  /** Schemas being converted, with the stack height they were entered at (to catch YAML alias cycles). */
  private readonly activeRaw = new Map<object, number>();
  private readonly defSchemas = new Map<string, Schema>();
  private readonly defsByTarget = new Map<object, DefEntry[]>();
  private readonly usedNames = new Set<string>();
  private readonly warningList: string[] = [];
  private readonly warningSet = new Set<string>();
  /** Property names a converted object schema left out (readOnly in inputs, writeOnly in outputs). */
  private readonly hidden = new WeakMap<object, string[]>();

  constructor(options: SchemaConverterOptions) {
    this.document = options.document;
    this.dialect = options.dialect;
    this.direction = options.direction;
    this.maxDepth = options.maxDepth ?? defaultMaxDepth[options.direction];
  }

  convert(schema: unknown, where: string): JsonSchema {
    this.stack.length = 0;
    this.active.clear();
    this.activeRaw.clear();
    const converted = this.node(schema, 0, where, true);
    const root: JsonSchema = converted === true ? {} : converted === false ? { not: {} } : converted;
    return cloneJson(root) as JsonSchema;
  }

  defs(): { [name: string]: JsonSchema } | undefined {
    if (this.defSchemas.size === 0) return undefined;
    const defs: { [name: string]: JsonSchema } = {};
    for (const name of [...this.defSchemas.keys()].sort(compareStrings)) {
      const schema = this.defSchemas.get(name)!;
      setKey(defs, name, schema === true ? {} : schema === false ? { not: {} } : (cloneJson(schema) as JsonSchema));
    }
    return defs;
  }

  warnings(): string[] {
    return [...this.warningList];
  }

  private warn(message: string): void {
    if (this.warningSet.has(message)) return;
    this.warningSet.add(message);
    this.warningList.push(message);
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /**
   * Converts any schema position; `root` is true for the schema convert() was given, its `$ref` target and
   * its allOf members; `viaRef` when `raw` is the target of the `$ref` on top of the stack.
   */
  private node(raw: unknown, depth: number, at: string, root: boolean, viaRef = false): Schema {
    if (typeof raw === 'boolean') return raw;
    if (!isRecord(raw)) {
      this.warn(`${at}: a schema must be an object; it was replaced by an empty schema.`);
      return {};
    }
    if (isCompound(raw, this.document)) {
      const frame = this.top();
      if (depth > this.maxDepth) {
        if (frame) frame.cut = true;
        return this.cutSchema(raw);
      }
      if (frame && depth - frame.depth > frame.height) frame.height = depth - frame.depth;
    }
    if (!viaRef) {
      const frame = this.active.get(raw);
      if (frame) return this.backReference(frame, depth, at);
    }
    const level = this.stack.length;
    const previous = this.activeRaw.get(raw);
    if (previous === level) {
      this.warn(`${at}: the schema contains itself (a YAML alias cycle); the inner copy was replaced by an empty schema.`);
      return {};
    }
    this.activeRaw.set(raw, level);
    try {
      return this.schemaObject(raw, depth, at, root);
    } finally {
      if (previous === undefined) this.activeRaw.delete(raw);
      else this.activeRaw.set(raw, previous);
    }
  }

  /** A reference to a schema that is being expanded further up: a `$defs` entry, unless no data nests in between. */
  private backReference(activeFrame: Frame, depth: number, at: string): Schema {
    const frame = this.top();
    if (frame && activeFrame.index < frame.dependsOn) frame.dependsOn = activeFrame.index;
    if (activeFrame.depth === depth) {
      // A cycle that nests no data (A = allOf/anyOf [A, ...]) would make validators loop forever.
      this.warn(`${at}: $ref "${activeFrame.pointer}" refers back to itself without nesting; it was replaced by an empty schema.`);
      return {};
    }
    activeFrame.defName ??= this.allocateName(activeFrame.pointer);
    return { $ref: `#/$defs/${activeFrame.defName}` };
  }

  private schemaObject(raw: Raw, depth: number, at: string, root: boolean): Schema {
    const { own, extra } = this.ownKeywords(raw, depth, at);
    const members: Schema[] = [];
    if (typeof raw.$ref === 'string') {
      members.push(this.ref(raw.$ref, depth, at, root));
    } else if (raw.$ref !== undefined) {
      this.warn(`${at}: $ref must be a string; it was ignored.`);
    }
    const allOf = raw.allOf === undefined ? undefined : this.container(raw.allOf, `${at}/allOf`);
    if (Array.isArray(allOf)) {
      allOf.forEach((member, index) => members.push(this.node(member, depth, `${at}/allOf/${index}`, root)));
    }
    members.push(...extra);
    const ownSchema = this.withHidden(ordered(own), own);
    let schema: Schema = members.length === 0 ? ownSchema : this.merge([ownSchema, ...members]);
    if (this.direction === 'input' && typeof schema === 'object' && isUntypedObject(schema)) {
      schema = this.withHidden(ordered({ ...schema, type: 'object' }), schema);
    }
    if (raw.nullable === true || raw['x-nullable'] === true) schema = this.nullable(schema);
    return schema;
  }

  private withHidden(schema: JsonSchema, from: object): JsonSchema {
    const names = this.hidden.get(from);
    if (names) this.hidden.set(schema, names);
    return schema;
  }

  /** Converts the keywords a schema states itself: everything but `$ref`, `allOf` and nullability. */
  private ownKeywords(raw: Raw, depth: number, at: string): { own: Draft; extra: Schema[] } {
    const own: Draft = {};
    const extra: Schema[] = [];
    const output = this.direction === 'output';
    const examples: JsonValue[] = [];
    let example: JsonValue | undefined;
    let isFile = false;
    let hiddenNames: string[] | undefined;
    for (const key of Object.keys(raw)) {
      if (output && outputOmitted.has(key)) continue;
      const value = containerKeywords.has(key) ? this.container(raw[key], `${at}/${key}`) : raw[key];
      switch (key) {
        case 'type': {
          const type = this.type(value, at);
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
            if (pattern === undefined) this.warn(`${at}: pattern ${JSON.stringify(value)} is not a valid regular expression in JSON Schema (ECMA-262, Unicode mode); it was dropped.`);
            else own.pattern = pattern;
          }
          break;
        case 'title':
        case 'description':
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
          else if (Array.isArray(value)) this.warn(`${at}: enum is empty, so no value could match; it was dropped.`);
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
              if (hasFlag(child, hiddenFlag, this.document)) {
                (hiddenNames ??= []).push(name);
                continue;
              }
              setKey(properties, name, this.node(child, depth + 1, `${at}/properties/${escapeToken(name)}`, false));
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
                this.warn(`${where}: ${JSON.stringify(name)} is not a valid regular expression in JSON Schema (ECMA-262, Unicode mode); the entry was dropped.`);
                continue;
              }
              setKey(map, mapKey, this.node(child, childDepth, where, false));
            }
            own[key] = map;
          }
          break;
        case 'additionalProperties':
        case 'unevaluatedProperties':
        case 'unevaluatedItems': {
          if (value === false && output) break;
          if (value === true) break;
          const child = this.node(value, depth + 1, `${at}/${key}`, false);
          if (child !== true && !isEmptySchema(child)) own[key] = child;
          break;
        }
        case 'items':
          if (Array.isArray(value)) {
            own.prefixItems = value.map((item, index) => this.node(item, depth + 1, `${at}/items/${index}`, false));
            if (raw.additionalItems !== undefined && raw.additionalItems !== true) {
              own.items = this.node(raw.additionalItems, depth + 1, `${at}/additionalItems`, false);
            }
          } else {
            own.items = this.node(value, depth + 1, `${at}/items`, false);
          }
          break;
        case 'prefixItems':
          if (Array.isArray(value)) own.prefixItems = value.map((item, index) => this.node(item, depth + 1, `${at}/prefixItems/${index}`, false));
          break;
        case 'contains':
        case 'propertyNames':
          own[key] = this.node(value, key === 'contains' ? depth + 1 : depth, `${at}/${key}`, false);
          break;
        case 'not':
        case 'if':
        case 'then':
        case 'else':
          own[key] = this.node(value, depth, `${at}/${key}`, false);
          break;
        case 'anyOf':
        case 'oneOf': {
          if (!Array.isArray(value)) break;
          let branches = value.map((branch, index) => this.node(branch, depth, `${at}/${key}/${index}`, false));
          if (!output) {
            branches = this.pinDiscriminator(raw, value, branches);
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
    if (hiddenNames) this.hidden.set(own, hiddenNames);
    return { own, extra };
  }

  /**
   * The value of a keyword that holds a map or a list of schemas. A bundled document may hold a `$ref` there
   * too (bundle() points repeated external values at their first copy, whatever they are).
   */
  private container(value: unknown, at: string): unknown {
    let current = value;
    for (let hops = 0; hops < 32 && isRecord(current) && typeof current.$ref === 'string'; hops++) {
      const pointer = current.$ref;
      current = pointer.startsWith('#') ? resolvePointer(this.document, pointer) : undefined;
      if (current === undefined) this.warn(`${at}: $ref "${pointer}" does not resolve; it was ignored.`);
    }
    return current;
  }

  private type(value: unknown, at: string): { value?: JsonValue; isFile: boolean } {
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
        this.warn(`${at}: type ${JSON.stringify(name)} is not a JSON Schema type; it was dropped.`);
      }
    }
    const distinct = unique(types);
    if (distinct.length === 0) return { isFile };
    return { value: distinct.length === 1 ? distinct[0]! : distinct, isFile };
  }

  /** Pins each `$ref` branch of a discriminated oneOf/anyOf to its discriminator value with `const`. */
  private pinDiscriminator(raw: Raw, rawBranches: unknown[], branches: Schema[]): Schema[] {
    const discriminator = raw.discriminator;
    const propertyName = typeof discriminator === 'string' ? discriminator : isRecord(discriminator) ? discriminator.propertyName : undefined;
    if (typeof propertyName !== 'string' || propertyName === '') return branches;
    const mapping = isRecord(discriminator) && isRecord(discriminator.mapping) ? discriminator.mapping : {};
    const componentsBase = this.dialect === 'swagger2' ? '#/definitions/' : '#/components/schemas/';
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
      return this.withHidden(ordered({ ...branch, properties, required }), branch);
    });
  }

  /** Makes a converted schema also accept null. */
  private nullable(schema: Schema): Schema {
    if (schema === true) return true;
    if (schema === false) return { type: 'null' };
    const constrained = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'const'].some((keyword) => keyword in schema);
    if (!constrained && schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? [...schema.type] : [schema.type];
      if (!types.includes('null')) types.push('null');
      const next: Draft = { ...schema, type: types };
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) next.enum = [...schema.enum, null];
      return this.withHidden(ordered(next), schema);
    }
    if (!constrained && Array.isArray(schema.enum)) {
      return this.withHidden(ordered({ ...schema, enum: schema.enum.includes(null) ? schema.enum : [...schema.enum, null] }), schema);
    }
    if (!constrained) return schema;
    const annotations: Draft = {};
    const inner: Draft = {};
    for (const [key, value] of Object.entries(schema)) {
      if (annotationKeywords.has(key)) annotations[key] = value;
      else inner[key] = value;
    }
    const innerKeys = Object.keys(inner);
    if (innerKeys.length === 1 && (innerKeys[0] === 'anyOf' || innerKeys[0] === 'oneOf') && Array.isArray(inner[innerKeys[0]])) {
      const key = innerKeys[0];
      const branches = inner[key] as JsonValue[];
      const hasNull = branches.some((branch) => isRecord(branch) && branch.type === 'null' && Object.keys(branch).length === 1);
      return ordered({ ...annotations, [key]: hasNull ? branches : [...branches, { type: 'null' }] });
    }
    return ordered({ ...annotations, anyOf: [ordered(inner), { type: 'null' }] });
  }

  /** Expands a `$ref`: inline, or a `#/$defs/...` reference when it refers back to itself. */
  private ref(pointer: string, depth: number, at: string, root: boolean): Schema {
    if (!pointer.startsWith('#')) {
      this.warn(`${at}: $ref "${pointer}" points outside the document; it was replaced by an empty schema.`);
      return {};
    }
    const target = resolvePointer(this.document, pointer);
    if (target === undefined) {
      this.warn(`${at}: $ref "${pointer}" does not resolve; it was replaced by an empty schema.`);
      return {};
    }
    if (!isRecord(target)) return this.node(target, depth, pointer, root);
    const activeFrame = this.active.get(target);
    if (activeFrame) return this.backReference(activeFrame, depth, at);
    const budget = this.maxDepth - depth;
    // Away from the root any existing entry will do: a second, deeper copy of a recursive type costs more
    // tokens than the detail it adds. The root gets an entry at least as deep as its own budget.
    const def = this.defsByTarget.get(target)?.find((entry) => !root || entry.budget >= budget);
    if (def) return this.defRef(def.name, root);
    const cached = this.memo.get(target)?.find((entry) => (entry.cut ? entry.budget === budget : entry.height <= budget));
    if (cached) {
      const frame = this.top();
      if (frame) {
        if (cached.cut) frame.cut = true;
        const height = cached.height + depth - frame.depth;
        if (height > frame.height) frame.height = height;
      }
      return cached.schema;
    }
    const frame: Frame = { pointer, index: this.stack.length, depth, dependsOn: Infinity, height: 0, cut: false };
    this.stack.push(frame);
    this.active.set(target, frame);
    let schema: Schema;
    try {
      schema = this.node(target, depth, pointer, root, true);
    } finally {
      this.stack.pop();
      this.active.delete(target);
    }
    const parent = this.top();
    if (parent) {
      if (frame.dependsOn < parent.dependsOn) parent.dependsOn = frame.dependsOn;
      if (frame.cut) parent.cut = true;
      const height = frame.height + frame.depth - parent.depth;
      if (height > parent.height) parent.height = height;
    }
    if (frame.defName !== undefined) {
      this.defSchemas.set(frame.defName, schema);
      const entries = this.defsByTarget.get(target) ?? [];
      entries.push({ name: frame.defName, budget });
      this.defsByTarget.set(target, entries);
      return this.defRef(frame.defName, root);
    }
    if (frame.dependsOn >= frame.index) {
      const entries = this.memo.get(target) ?? [];
      entries.push({ schema, height: frame.height, cut: frame.cut, budget });
      this.memo.set(target, entries);
    }
    return schema;
  }

  /**
   * A reference to a `$defs` entry. At the root it also states `type: 'object'` when the entry does, so that
   * the root still reads as an object schema without a second copy of the recursive type.
   */
  private defRef(name: string, root: boolean): JsonSchema {
    const def = this.defSchemas.get(name);
    return root && typeof def === 'object' && def.type === 'object' ? { $ref: `#/$defs/${name}`, type: 'object' } : { $ref: `#/$defs/${name}` };
  }

  /** A `$defs` name from the pointer's last segment (after its last dot), sanitized and made unique. */
  private allocateName(pointer: string): string {
    const segment = decodeToken(pointer.slice(pointer.lastIndexOf('/') + 1));
    const full = sanitizeName(segment);
    const short = segment.includes('.') ? sanitizeName(segment.slice(segment.lastIndexOf('.') + 1)) : full;
    const candidates = [short, full].filter((name) => name !== '' && name !== '_');
    if (candidates.length === 0) candidates.push('Schema');
    let name = candidates.find((candidate) => !this.usedNames.has(candidate));
    for (let suffix = 2; name === undefined; suffix++) {
      const candidate = `${candidates[0]}_${suffix}`;
      if (!this.usedNames.has(candidate)) name = candidate;
    }
    this.usedNames.add(name);
    return name;
  }

  /** What is left of a compound schema nested deeper than the limit: its type and description, with a note. */
  private cutSchema(raw: Raw): JsonSchema {
    const target = followRefs(raw, this.document);
    const note = `nested schema omitted: more than ${this.maxDepth} level${this.maxDepth === 1 ? '' : 's'} deep`;
    const description = typeof raw.description === 'string' ? raw.description : typeof target.description === 'string' ? target.description : undefined;
    const schema: Draft = { description: description ? `${description} (${note})` : `${note.charAt(0).toUpperCase()}${note.slice(1)}.` };
    const typeSource = raw.type !== undefined ? raw : target;
    const names = (Array.isArray(typeSource.type) ? typeSource.type : [typeSource.type]).map((name) => (name === 'file' ? 'string' : name));
    const types = unique(names.filter((name): name is string => typeof name === 'string' && jsonTypes.has(name)));
    const nullable = [raw, target].some((source) => source.nullable === true || source['x-nullable'] === true);
    if (nullable && types.length > 0 && !types.includes('null')) types.push('null');
    if (types.length > 0) schema.type = types.length === 1 ? types[0]! : types;
    return ordered(schema);
  }

  /**
   * Merges allOf members (the first is the schema's own keywords, whose annotations win) into one schema.
   * Members that conflict with what was merged so far stay in `allOf`.
   */
  private merge(members: Schema[]): Schema {
    const present = members.filter((member) => member !== true && !isEmptySchema(member));
    if (present.some((member) => member === false)) return false;
    const objects = present as JsonSchema[];
    const hiddenNames = unique(members.flatMap((member) => (typeof member === 'object' ? (this.hidden.get(member) ?? []) : [])));
    if (objects.length === 0) return {};
    if (objects.length === 1 && hiddenNames.length === 0) return objects[0]!;
    const merged: Draft = {};
    const leftovers: JsonSchema[] = [];
    for (const member of objects) {
      if (Object.keys(merged).length === 0) {
        Object.assign(merged, member);
        continue;
      }
      if (!canMerge(merged, member)) {
        leftovers.push(member);
        continue;
      }
      for (const [key, value] of Object.entries(member)) {
        const current = merged[key];
        if (current === undefined) {
          merged[key] = value;
        } else if (key === 'type') {
          merged.type = intersectTypes(current, value)!;
        } else if (key === 'required') {
          merged.required = unique([...(current as string[]), ...(value as string[])]);
        } else if (key === 'allOf') {
          merged.allOf = [...(current as JsonValue[]), ...(value as JsonValue[])];
        } else if (key === 'properties') {
          const properties: Draft = { ...(current as Draft) };
          for (const [name, schema] of Object.entries(value as Draft)) {
            const existing = properties[name];
            setKey(properties, name, existing === undefined || deepEqual(existing, schema) ? schema : this.merge([existing as Schema, schema as Schema]));
          }
          merged.properties = properties;
        }
      }
    }
    if (leftovers.length > 0) merged.allOf = [...(Array.isArray(merged.allOf) ? merged.allOf : []), ...leftovers];
    if (hiddenNames.length > 0 && Array.isArray(merged.required)) {
      const names = new Set(hiddenNames);
      merged.required = (merged.required as string[]).filter((name) => !names.has(name));
      if (merged.required.length === 0) delete merged.required;
    }
    const schema = ordered(merged);
    if (hiddenNames.length > 0) this.hidden.set(schema, hiddenNames);
    return schema;
  }
}

function canMerge(merged: Draft, member: JsonSchema): boolean {
  for (const [key, value] of Object.entries(member)) {
    if (annotationKeywords.has(key) || key === 'required' || key === 'allOf') continue;
    const current = merged[key];
    if (key === 'type') {
      if (current !== undefined && intersectTypes(current, value) === undefined) return false;
      continue;
    }
    if (key === 'properties') continue;
    if (current !== undefined && !deepEqual(current, value)) return false;
  }
  for (const group of keywordGroups) {
    const inMember = group.some((key) => member[key] !== undefined);
    const inMerged = group.some((key) => merged[key] !== undefined);
    if (inMember && inMerged && group.some((key) => !deepEqual(member[key], merged[key]))) return false;
  }
  return true;
}

/** An input schema with properties but no type: OpenAPI documents mean an object (Swagger specs often omit the type). */
function isUntypedObject(schema: JsonSchema): boolean {
  return (
    schema.type === undefined &&
    isRecord(schema.properties) &&
    !['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'enum', 'const'].some((keyword) => keyword in schema)
  );
}

function intersectTypes(a: JsonValue, b: JsonValue): JsonValue | undefined {
  const left = (Array.isArray(a) ? a : [a]) as string[];
  const right = (Array.isArray(b) ? b : [b]) as string[];
  const result: string[] = [];
  for (const type of left) {
    if (right.includes(type)) result.push(type);
    else if (type === 'number' && right.includes('integer')) result.push('integer');
    else if (type === 'integer' && right.includes('number')) result.push('integer');
  }
  const distinct = unique(result);
  if (distinct.length === 0) return undefined;
  return distinct.length === 1 ? distinct[0]! : distinct;
}

/** True when a raw schema nests other schemas (directly or through `$ref`s), so the depth limit can cut it. */
function isCompound(raw: Raw, document: unknown): boolean {
  const target = followRefs(raw, document);
  for (const source of target === raw ? [raw] : [raw, target]) {
    if (
      source.properties !== undefined ||
      source.items !== undefined ||
      source.prefixItems !== undefined ||
      source.patternProperties !== undefined ||
      isRecord(source.additionalProperties) ||
      source.allOf !== undefined ||
      source.anyOf !== undefined ||
      source.oneOf !== undefined ||
      source.not !== undefined ||
      source.if !== undefined ||
      source.dependentSchemas !== undefined
    ) {
      return true;
    }
  }
  return false;
}

/** The schema at the end of a chain of `$ref`s (the schema itself when it has none or the chain breaks). */
function followRefs(raw: Raw, document: unknown): Raw {
  let current = raw;
  for (let hops = 0; hops < 32 && typeof current.$ref === 'string'; hops++) {
    const next = resolvePointer(document, current.$ref);
    if (!isRecord(next)) break;
    current = next;
  }
  return current;
}

/** True when a raw schema is marked readOnly/writeOnly, directly, through `$ref`s or through an allOf member. */
function hasFlag(raw: unknown, flag: 'readOnly' | 'writeOnly', document: unknown, seen = new Set<unknown>()): boolean {
  if (!isRecord(raw) || seen.has(raw)) return false;
  if (raw[flag] === true) return true;
  seen.add(raw);
  if (typeof raw.$ref === 'string' && hasFlag(resolvePointer(document, raw.$ref), flag, document, seen)) return true;
  return Array.isArray(raw.allOf) && raw.allOf.some((member) => hasFlag(member, flag, document, seen));
}

/**
 * A regular expression as JSON Schema validators read it (ECMA-262 with the `u` flag, as Ajv compiles it).
 * Patterns written for other engines often escape characters that need no escape (`\:`, `\-` outside a
 * class) or use a literal `{`; those are rewritten to mean the same in Unicode mode. Undefined when the
 * pattern still does not compile (inline flags such as `(?i)`, possessive quantifiers, ...).
 */
export function toUnicodePattern(pattern: string): string | undefined {
  if (compilesAsUnicode(pattern)) return pattern;
  const repaired = repairPattern(pattern);
  return compilesAsUnicode(repaired) ? repaired : undefined;
}

function compilesAsUnicode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const syntaxCharacters = new Set('^$\\.*+?()[]{}|/');

function repairPattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      const next = pattern[index + 1];
      index++;
      if (next === undefined) out += '\\\\';
      else if (/[A-Za-z0-9]/.test(next) || syntaxCharacters.has(next) || (inClass && next === '-')) out += `\\${next}`;
      else out += next;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      if (pattern[index + 1] === '^') out += pattern[++index];
      if (pattern[index + 1] === ']') {
        out += '\\]';
        index++;
      }
      continue;
    }
    if (char === '{') {
      const quantifier = /^\{\d+(,\d*)?\}/.exec(pattern.slice(index));
      if (quantifier && out !== '' && !/[(|]$/.test(out)) {
        out += quantifier[0];
        index += quantifier[0].length - 1;
      } else out += '\\{';
      continue;
    }
    out += char === '}' || char === ']' ? `\\${char}` : char;
  }
  return out;
}

const pointerCache = new WeakMap<object, Map<string, unknown>>();
/** Pointers being resolved, to stop a pointer that walks through a `$ref` back to itself. */
const resolving = new Set<string>();

/** Resolves a local JSON pointer ('#/a/b', RFC 6901 with URI fragment percent-encoding) in a document. */
function resolvePointer(document: unknown, pointer: string): unknown {
  const cache = typeof document === 'object' && document !== null ? pointerCache.get(document) : undefined;
  if (cache?.has(pointer)) return cache.get(pointer);
  let value: unknown = undefined;
  if (pointer === '#' || pointer === '#/') {
    value = document;
  } else if (pointer.startsWith('#/') && !resolving.has(pointer)) {
    resolving.add(pointer);
    try {
      value = document;
      for (const token of pointer.slice(2).split('/')) {
        const key = decodeToken(token);
        // Like json-schema-ref-parser (whose bundle() writes such pointers), a pointer walks through `$ref`s.
        if (isRecord(value) && typeof value.$ref === 'string' && !Object.prototype.hasOwnProperty.call(value, key)) {
          value = resolvePointer(document, value.$ref);
        }
        if (Array.isArray(value) && /^(0|[1-9]\d*)$/.test(key)) value = value[Number(key)];
        else if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, key)) value = value[key];
        else {
          value = undefined;
          break;
        }
      }
    } finally {
      resolving.delete(pointer);
    }
  }
  if (typeof document === 'object' && document !== null) {
    const map = cache ?? new Map<string, unknown>();
    map.set(pointer, value);
    if (!cache) pointerCache.set(document, map);
  }
  return value;
}

function decodeToken(token: string): string {
  let decoded = token;
  if (decoded.includes('%')) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      // A stray '%' is taken literally.
    }
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapeToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptySchema(schema: unknown): boolean {
  return isRecord(schema) && Object.keys(schema).length === 0;
}

/** Sets a key even when it is `__proto__`, which plain assignment would turn into a prototype change. */
function setKey(target: { [key: string]: unknown }, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function ordered(draft: Draft): JsonSchema {
  const keys = Object.keys(draft).sort((a, b) => (keywordRank.get(a) ?? keywordOrder.length) - (keywordRank.get(b) ?? keywordOrder.length));
  const schema: JsonSchema = {};
  for (const key of keys) schema[key] = draft[key]!;
  return schema;
}

/** A plain JSON copy: no shared objects, no undefined, Dates as ISO strings. */
function cloneJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item));
  if (isRecord(value)) {
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) setKey(copy, key, cloneJson(item));
    }
    return copy;
  }
  return value as JsonValue;
}

/** Turns a value from the parsed document into JSON (undefined for what JSON cannot hold). */
function toJson(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (isRecord(value)) {
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      const json = toJson(item);
      if (json !== undefined) setKey(copy, key, json);
    }
    return copy;
  }
  return undefined;
}

function unique<T>(values: T[]): T[] {
  const result: T[] = [];
  for (const value of values) {
    if (!result.some((existing) => deepEqual(existing, value))) result.push(value);
  }
  return result;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => deepEqual(item, other[index]));
  }
  const left = a as Raw;
  const right = b as Raw;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && deepEqual(left[key], right[key]));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
