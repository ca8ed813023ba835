import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';
import { UserError } from '../errors.js';
import { shortHash } from '../model/names.js';
import { shortenName } from '../model/shorten-name.js';
import { cursorNameBudget, geminiKeywords, openAiStrictFormats, openAiStrictKeywords } from './profile-rules.js';
import type { CatalogTool } from './types.js';

/**
 * A client whose rules the catalog is rewritten for: `openai-strict` (strict function calling: every property
 * required, optional ones nullable, `additionalProperties: false` everywhere, only the supported keywords),
 * `gemini` (Gemini's OpenAPI-3.0 schema subset: one type per schema, no `additionalProperties`, `oneOf`,
 * `$ref` or `const`), `cursor` (server and tool name together within 60 characters).
 */
export type ClientProfile = 'default' | 'openai-strict' | 'gemini' | 'cursor';

type Schema = { [key: string]: JsonValue };

/** The fewest characters the cursor profile leaves for a tool's name: fewer cannot keep names readable. */
const minimumNameRoom = 24;

/** Schema locations the runtime must undo: nulls that mean "not sent", and JSON text to parse back. */
type Undo = { nullMeansAbsent: string[]; jsonTextArguments: string[] };

/** Rewrites every tool for the given client profiles, in a fixed order; names stay unique. */
export function applyProfiles({ tools, profiles, serverName, file }: { tools: CatalogTool[]; profiles: ClientProfile[]; serverName: string; file?: string }): CatalogTool[] {
  const chosen = new Set(profiles);
  if (chosen.has('openai-strict') && chosen.has('gemini')) {
    throw new UserError({
      code: 'config-invalid',
      file,
      message: 'the profiles openai-strict and gemini cannot be combined: strict mode requires `additionalProperties: false`, which Gemini refuses',
      help: 'Generate one server per client, each with its own toolwright.yaml profile.',
    });
  }
  let result = tools;
  if (chosen.has('openai-strict')) result = result.map((tool) => rewriteInput(tool, toOpenAiStrict));
  if (chosen.has('gemini')) result = result.map((tool) => renameArguments(rewriteInput(tool, toGemini), geminiArgumentName));
  if (chosen.has('cursor')) {
    const room = cursorNameBudget - serverName.length - 1;
    if (room < minimumNameRoom) {
      throw new UserError({
        code: 'config-invalid',
        file,
        message: `the cursor profile fits the server's name and each tool's name into ${cursorNameBudget} characters, which leaves ${Math.max(room, 0)} for tool names next to the server name "${serverName}"`,
        help: `Set a shorter server.name in toolwright.yaml (at most ${cursorNameBudget - minimumNameRoom - 1} characters).`,
      });
    }
    result = fitNames(result, room);
  }
  return [...result].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function rewriteInput(tool: CatalogTool, rewrite: (schema: Schema, undo: Undo) => Schema): CatalogTool {
  const undo: Undo = { nullMeansAbsent: [...(tool.nullMeansAbsent ?? [])], jsonTextArguments: [...(tool.jsonTextArguments ?? [])] };
  const inputSchema = rewrite(tool.inputSchema, undo);
  return {
    ...tool,
    inputSchema,
    ...(undo.nullMeansAbsent.length > 0 ? { nullMeansAbsent: [...new Set(undo.nullMeansAbsent)].sort() } : {}),
    ...(undo.jsonTextArguments.length > 0 ? { jsonTextArguments: [...new Set(undo.jsonTextArguments)].sort() } : {}),
  };
}

const escape = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

function isSchema(value: JsonValue | undefined): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An object that says nothing about its properties: a map or free-form JSON the strict subsets cannot express. */
function isFreeForm(schema: Schema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const properties = isSchema(schema.properties) ? Object.keys(schema.properties) : [];
  return types.includes('object') && properties.length === 0;
}

/** A schema that allows any JSON value (no type, no branches, no reference). */
function isUntyped(schema: Schema): boolean {
  return !['type', 'anyOf', 'oneOf', 'allOf', '$ref', 'enum', 'const', 'properties'].some((keyword) => keyword in schema);
}

function jsonText(schema: Schema, nullable: boolean): Schema {
  const description = typeof schema.description === 'string' ? `${schema.description} ` : '';
  const what = isUntyped(schema) ? 'a JSON value' : 'a JSON object';
  return { type: nullable ? ['string', 'null'] : 'string', description: `${description}(${what}, written as text)` };
}

function isNullable(schema: Schema): boolean {
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  const branches = schema.anyOf ?? schema.oneOf;
  return Array.isArray(branches) && branches.some((branch) => isSchema(branch) && isNullable(branch));
}

/** Merges the members of an `allOf` into one schema (properties and required united); other keywords from the first that has them. */
function mergeAllOf(schema: Schema): Schema {
  const { allOf, ...rest } = schema;
  if (!Array.isArray(allOf)) return schema;
  const merged: Schema = { ...rest };
  const properties: Schema = isSchema(rest.properties) ? { ...rest.properties } : {};
  const required = new Set(Array.isArray(rest.required) ? rest.required : []);
  for (const member of allOf) {
    if (!isSchema(member)) continue;
    const flat = mergeAllOf(member);
    for (const [key, value] of Object.entries(flat)) {
      if (key === 'properties' && isSchema(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) value.forEach((name) => required.add(name));
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

// OpenAI strict mode ---------------------------------------------------------------------------------------

function toOpenAiStrict(root: Schema, undo: Undo): Schema {
  const rewritten = strictNode(root, '', undo, true);
  if (isSchema(root.$defs)) {
    rewritten.$defs = Object.fromEntries(Object.entries(root.$defs).map(([name, def]) => [name, isSchema(def) ? strictNode(def, `/$defs/${escape(name)}`, undo, false) : def]));
  }
  return rewritten;
}

function strictNode(input: Schema, pointer: string, undo: Undo, isRoot: boolean): Schema {
  const schema = mergeAllOf(input);
  if (!isRoot && (isFreeForm(schema) || isUntyped(schema))) {
    undo.jsonTextArguments.push(pointer);
    return jsonText(schema, isNullable(schema));
  }
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'oneOf') continue;
    if (!openAiStrictKeywords.has(keyword) || keyword === '$defs') continue;
    if (keyword === 'format' && !(typeof value === 'string' && openAiStrictFormats.has(value))) continue;
    result[keyword] = value;
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) {
    result.anyOf = branches.map((branch, index) => (isSchema(branch) ? strictNode(branch, `${pointer}/anyOf/${index}`, undo, false) : branch));
  }
  if (isSchema(schema.items)) result.items = strictNode(schema.items, `${pointer}/items`, undo, false);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') || isSchema(schema.properties)) {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const strictProperties: Schema = {};
    for (const [name, child] of Object.entries(properties)) {
      if (!isSchema(child)) continue;
      const at = `${pointer}/properties/${escape(name)}`;
      const optional = !required.has(name);
      const nullable = isNullable(child);
      const typed = typeof child.type === 'string' || Array.isArray(child.type) || isUntyped(child);
      const wrap = optional && !nullable && !typed;
      const converted = strictNode(child, wrap ? `${at}/anyOf/0` : at, undo, false);
      if (optional && !nullable) {
        undo.nullMeansAbsent.push(at);
        strictProperties[name] = withNull(converted, wrap);
      } else strictProperties[name] = converted;
    }
    result.type = schema.type ?? 'object';
    result.properties = strictProperties;
    result.required = Object.keys(strictProperties);
    result.additionalProperties = false;
    if (isRoot) result.type = 'object';
  }
  return result;
}

function withNull(schema: Schema, wrap: boolean): Schema {
  if (wrap) return { anyOf: [schema, { type: 'null' }] };
  const result: Schema = { ...schema };
  result.type = Array.isArray(schema.type) ? [...schema.type, 'null'] : [schema.type as string, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
  return result;
}

// Gemini --------------------------------------------------------------------------------------------------

const maxInlineDepth = 3;

function toGemini(root: Schema, undo: Undo): Schema {
  const defs = isSchema(root.$defs) ? root.$defs : {};
  return geminiNode(root, '', undo, { defs, refs: 0 });
}

type GeminiContext = { defs: Schema; refs: number };

/** Definitions are inlined (Gemini has no `$ref`); the runtime walks the rewritten schema, so every location is a plain path. */
function geminiNode(input: Schema, pointer: string, undo: Undo, context: GeminiContext): Schema {
  let schema = input;
  let refs = context.refs;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/$defs/')) {
    const def = context.defs[schema.$ref.slice('#/$defs/'.length)];
    if (!isSchema(def) || refs >= maxInlineDepth) return geminiJsonText(schema, pointer, undo);
    schema = def;
    refs += 1;
  }
  schema = mergeAllOf(schema);
  if (pointer !== '' && (isFreeForm(schema) || isUntyped(schema))) return geminiJsonText(schema, pointer, undo);
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (geminiKeywords.has(keyword) && keyword !== 'type' && keyword !== 'enum' && keyword !== 'anyOf') result[keyword] = value;
  }
  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]).filter((type): type is string => typeof type === 'string');
  const nonNull = types.filter((type) => type !== 'null');
  if (types.includes('null')) result.nullable = true;
  if (nonNull.length === 1) result.type = nonNull[0]!;
  const next = { defs: context.defs, refs };
  const branches = schema.anyOf ?? schema.oneOf;
  if (nonNull.length > 1) result.anyOf = nonNull.map((type) => ({ type }));
  else if (Array.isArray(branches)) {
    result.anyOf = branches.map((branch, index) => (isSchema(branch) ? geminiNode(branch, `${pointer}/anyOf/${index}`, undo, next) : branch));
  }
  if (schema.const !== undefined && typeof schema.const === 'string') result.enum = [schema.const];
  if (Array.isArray(schema.enum)) {
    const strings = schema.enum.filter((value): value is string => typeof value === 'string');
    if (strings.length === schema.enum.length && (result.type === 'string' || result.type === undefined)) {
      result.type = 'string';
      result.enum = strings;
    } else if (schema.enum.includes(null)) result.nullable = true;
  }
  if (isSchema(schema.items)) result.items = geminiNode(schema.items, `${pointer}/items`, undo, next);
  if (isSchema(schema.properties)) {
    const properties: Schema = {};
    for (const [name, child] of Object.entries(schema.properties)) {
      if (!isSchema(child)) continue;
      properties[name] = geminiNode(child, `${pointer}/properties/${escape(name)}`, undo, next);
    }
    result.properties = properties;
    if (!result.type) result.type = 'object';
  }
  return result;
}

function geminiJsonText(schema: Schema, pointer: string, undo: Undo): Schema {
  undo.jsonTextArguments.push(pointer);
  const text = jsonText(schema, false);
  return { type: 'string', description: text.description!, ...(isNullable(schema) ? { nullable: true } : {}) };
}

/** Gemini's parameter names: a letter or `_`, then letters, digits and `_` (`zone.name` → `zone_name`). */
function geminiArgumentName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return (/^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`).slice(0, 64);
}

/**
 * Renames a tool's arguments everywhere they are named (schema, bindings, confirmation, pagination and the
 * schema locations the runtime undoes); a name that would clash gets a numbered suffix.
 */
function renameArguments(tool: CatalogTool, rename: (name: string) => string): CatalogTool {
  const properties = isSchema(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
  const names = Object.keys(properties);
  if (names.every((name) => rename(name) === name)) return tool;
  const mapping = new Map<string, string>();
  const taken = new Set(names.filter((name) => rename(name) === name));
  for (const name of names) {
    if (rename(name) === name) {
      mapping.set(name, name);
      continue;
    }
    let candidate = rename(name);
    for (let index = 2; taken.has(candidate); index++) candidate = `${rename(name).slice(0, 60)}_${index}`;
    taken.add(candidate);
    mapping.set(name, candidate);
  }
  const to = (name: string): string => mapping.get(name) ?? name;
  const pointer = (at: string): string => at.replace(/^\/properties\/([^/]+)/, (_, name: string) => `/properties/${escape(to(name.replace(/~1/g, '/').replace(/~0/g, '~')))}`);
  const { http } = tool;
  const body = http.body
    ? {
        ...http.body,
        ...(http.body.argument ? { argument: to(http.body.argument) } : {}),
        ...(http.body.properties ? { properties: http.body.properties.map((property) => ({ ...property, argument: to(property.argument) })) } : {}),
      }
    : undefined;
  const required = Array.isArray(tool.inputSchema.required) ? tool.inputSchema.required.map((name) => to(String(name))) : undefined;
  return {
    ...tool,
    inputSchema: {
      ...tool.inputSchema,
      properties: Object.fromEntries(Object.entries(properties).map(([name, schema]) => [to(name), schema])),
      ...(required ? { required } : {}),
    },
    http: { ...http, parameters: http.parameters.map((binding) => ({ ...binding, argument: to(binding.argument) })), ...(body ? { body } : {}) },
    ...(tool.confirmation ? { confirmation: { argument: to(tool.confirmation.argument) } } : {}),
    ...(tool.pagination ? { pagination: Object.fromEntries(Object.entries(tool.pagination).map(([kind, value]) => [kind, typeof value === 'string' ? to(value) : value])) } : {}),
    ...(tool.nullMeansAbsent ? { nullMeansAbsent: tool.nullMeansAbsent.map(pointer).sort() } : {}),
    ...(tool.jsonTextArguments ? { jsonTextArguments: tool.jsonTextArguments.map(pointer).sort() } : {}),
  };
}

// Cursor --------------------------------------------------------------------------------------------------

/** Shortens names to the budget, keeping them unique (a short hash of the operation settles a clash). */
function fitNames(tools: CatalogTool[], max: number): CatalogTool[] {
  const taken = new Set<string>();
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((tool) => {
    let name = tool.name.length <= max ? tool.name : shortenName(tool.name, max) || `op_${shortHash(tool.name)}`;
    if (taken.has(name.toLowerCase())) {
      const suffix = shortHash(`${tool.source.method} ${tool.source.path}`);
      name = `${shortenName(tool.name, max - suffix.length - 1)}_${suffix}`;
    }
    taken.add(name.toLowerCase());
    return name === tool.name ? tool : { ...tool, name };
  });
}
