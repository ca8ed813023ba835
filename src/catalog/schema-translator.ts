import type { JsonSchema } from '../../templates/runtime/definition.js';
import type { SchemaConverterOptions, SchemaDialect, SchemaDirection } from './json-schema.js';
import { cloneJson, compareStrings, isRecord, setKey, unique, type Raw } from './json-values.js';
import { jsonTypes, ordered, type Draft, type Schema } from './schema-keywords.js';
import { isUntypedObject, mergeSchemas, nullableSchema, withHidden, type HiddenNames } from './schema-merge.js';
import { translateOwnKeywords, type SchemaWalker } from './schema-own-keywords.js';
import { decodeToken, followRefs, isCompound, resolvePointer, sanitizeName } from './schema-pointer.js';
import { isTree } from '../load/parse-spec.js';

const defaultMaxDepth: Record<SchemaDirection, number> = { input: 12, output: 4 };

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
  /** The `$ref` targets met inside, this one's included. */
  touched: Set<object>;
  /** A warning was raised inside (or would be, by an expansion reused inside). */
  warned: boolean;
};

type MemoEntry = { schema: Schema; height: number; cut: boolean; budget: number; warned: boolean };

/** An expansion that stands alone, with the targets met inside it (see `sharedExpansions`). */
type SharedEntry = MemoEntry & { touched: Set<object> };

/**
 * Expansions of `$ref` targets that any translation of the same document, direction, dialect and depth limit
 * may reuse: those made while their translation had no `$defs` entry, that raised no warning and refer back
 * to nothing outside themselves.
 * A translation takes one only while it has no `$defs` entry of its own and expands none of the targets the
 * entry met, so it gets what it would have built itself. Documents parsed from YAML, where aliases can make a
 * schema contain itself without a `$ref`, share nothing.
 */
const sharedExpansions = new WeakMap<object, Map<string, Map<object, SharedEntry[]>>>();

/** Property names left out of converted object schemas, for every translation: the keys are the schemas. */
const hiddenNames: HiddenNames = new WeakMap<object, string[]>();

type DefEntry = { name: string; budget: number };

/** Walks the schemas of one tool schema, expanding `$ref`s into inline schemas or `$defs` entries. */
export class Translator implements SchemaWalker {
  readonly document: unknown;
  readonly dialect: SchemaDialect;
  readonly direction: SchemaDirection;
  private readonly maxDepth: number;
  private readonly copy: (schema: JsonSchema) => JsonSchema;
  /** Expansions of `$ref` targets, keyed by the target object (two pointers may reach the same schema). */
  private readonly memo = new Map<object, MemoEntry[]>();
  /** The targets met inside each expansion of `memo`. */
  private readonly touchedBy = new WeakMap<MemoEntry, Set<object>>();
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
  readonly hidden: HiddenNames = hiddenNames;
  /** Expansions this translation shares with others (see `sharedExpansions`), if it may. */
  private readonly shared: Map<object, SharedEntry[]> | undefined;

  constructor(options: SchemaConverterOptions) {
    this.document = options.document;
    this.dialect = options.dialect;
    this.direction = options.direction;
    this.maxDepth = options.maxDepth ?? defaultMaxDepth[options.direction];
    this.copy = options.shared ? (schema) => schema : (schema) => cloneJson(schema) as JsonSchema;
    this.shared = options.shared && isTree(options.document) ? sharedFor(options.document as object, `${this.direction} ${this.dialect} ${this.maxDepth}`) : undefined;
  }

  convert(schema: unknown, where: string): JsonSchema {
    this.stack.length = 0;
    this.active.clear();
    this.activeRaw.clear();
    const converted = this.node(schema, 0, where, true);
    const root: JsonSchema = converted === true ? {} : converted === false ? { not: {} } : converted;
    return this.copy(root);
  }

  defs(): { [name: string]: JsonSchema } | undefined {
    if (this.defSchemas.size === 0) return undefined;
    const defs: { [name: string]: JsonSchema } = {};
    for (const name of [...this.defSchemas.keys()].sort(compareStrings)) {
      const schema = this.defSchemas.get(name)!;
      setKey(defs, name, schema === true ? {} : schema === false ? { not: {} } : this.copy(schema));
    }
    return defs;
  }

  warnings(): string[] {
    return [...this.warningList];
  }

  warn(message: string): void {
    for (const frame of this.stack) frame.warned = true;
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
  node(raw: unknown, depth: number, at: string, root: boolean, viaRef = false): Schema {
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
    const { own, extra } = translateOwnKeywords(this, raw, depth, at);
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
    const ownSchema = withHidden(this.hidden, ordered(own), own);
    let schema: Schema = members.length === 0 ? ownSchema : mergeSchemas(this.hidden, [ownSchema, ...members]);
    if (this.direction === 'input' && typeof schema === 'object' && isUntypedObject(schema)) {
      schema = withHidden(this.hidden, ordered({ ...schema, type: 'object' }), schema);
    }
    if (raw.nullable === true || raw['x-nullable'] === true) schema = nullableSchema(this.hidden, schema);
    return schema;
  }



  /**
   * The value of a keyword that holds a map or a list of schemas. A bundled document may hold a `$ref` there
   * too (bundle() points repeated external values at their first copy, whatever they are).
   */
  container(value: unknown, at: string): unknown {
    let current = value;
    for (let hops = 0; hops < 32 && isRecord(current) && typeof current.$ref === 'string'; hops++) {
      const pointer = current.$ref;
      current = pointer.startsWith('#') ? resolvePointer(this.document, pointer) : undefined;
      if (current === undefined) this.warn(`${at}: $ref "${pointer}" does not resolve; it was ignored.`);
    }
    return current;
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
    const fits = (entry: MemoEntry) => (entry.cut ? entry.budget === budget : entry.height <= budget);
    const cached =
      this.memo.get(target)?.find(fits) ??
      (this.defsByTarget.size === 0 ? this.shared?.get(target)?.find((entry) => fits(entry) && ![...entry.touched].some((met) => this.active.has(met))) : undefined);
    if (cached) {
      const frame = this.top();
      if (frame) {
        if (cached.cut) frame.cut = true;
        const height = cached.height + depth - frame.depth;
        if (height > frame.height) frame.height = height;
        frame.touched.add(target);
        for (const met of (cached as Partial<SharedEntry>).touched ?? this.touchedBy.get(cached) ?? []) frame.touched.add(met);
      }
      // A fresh expansion would warn again where this one warned.
      if (cached.warned) for (const active of this.stack) active.warned = true;
      return cached.schema;
    }
    const frame: Frame = { pointer, index: this.stack.length, depth, dependsOn: Infinity, height: 0, cut: false, touched: new Set([target]), warned: false };
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
      for (const met of frame.touched) parent.touched.add(met);
      if (frame.warned) parent.warned = true;
    }
    if (frame.defName !== undefined) {
      this.defSchemas.set(frame.defName, schema);
      const entries = this.defsByTarget.get(target) ?? [];
      entries.push({ name: frame.defName, budget });
      this.defsByTarget.set(target, entries);
      return this.defRef(frame.defName, root);
    }
    if (frame.dependsOn >= frame.index) {
      const entry: MemoEntry = { schema, height: frame.height, cut: frame.cut, budget, warned: frame.warned };
      const entries = this.memo.get(target) ?? [];
      entries.push(entry);
      this.memo.set(target, entries);
      this.touchedBy.set(entry, frame.touched);
      if (this.shared && !frame.warned && this.defsByTarget.size === 0) {
        const sharedEntries = this.shared.get(target) ?? [];
        sharedEntries.push({ ...entry, touched: frame.touched });
        this.shared.set(target, sharedEntries);
      }
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

}

function sharedFor(document: object, key: string): Map<object, SharedEntry[]> {
  const byKey = sharedExpansions.get(document) ?? new Map<string, Map<object, SharedEntry[]>>();
  sharedExpansions.set(document, byKey);
  const shared = byKey.get(key) ?? new Map<object, SharedEntry[]>();
  byKey.set(key, shared);
  return shared;
}
