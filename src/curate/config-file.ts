import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import type { JsonValue, ResponseFields, ServerMode, ToolAnnotations } from '../../templates/runtime/definition.js';
import type { OutputSchemaPolicy, OutputValidation } from '../catalog/output-policy.js';
import type { ClientProfile } from '../catalog/profiles.js';
import type { OutputSettings } from '../catalog/shape-output.js';
import { builtBeside } from '../built-beside.js';
import { UserError, fromPointer } from '../errors.js';
import { createLineLocator } from '../load/line-locator.js';
import { packageRoot } from '../package-info.js';

/** What toolwright.yaml says about one argument of a tool. */
export type ArgumentSettings = {
  line?: number;
  hidden?: boolean;
  /** Present when the argument is pinned; the pinned value may itself be null. */
  pinned?: { value: JsonValue };
  /** Present when the argument is pinned to an environment variable (`value: { env: NAME }`). */
  pinnedEnv?: string;
  /** `false` keeps a parameter that looks like a credential as an ordinary argument. */
  credential?: false;
  description?: string;
  enum?: JsonValue[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
};

/** The decisions recorded for one operation in `toolwright.yaml`. */
export type OperationEntry = {
  /** The operationId or `METHOD /path` the entry names. */
  ref: string;
  line?: number;
  /** Undefined when the file does not say: listed operations are included unless destructive or admin. */
  include?: boolean;
  reason?: string;
  name?: string;
  title?: string;
  description?: string;
  arguments: Record<string, ArgumentSettings>;
  annotations?: Partial<ToolAnnotations>;
  confirm?: boolean;
  /** In `hybrid` mode, the tool is listed as a tool of its own. */
  core?: boolean;
  outputSchema?: OutputSchemaPolicy;
  /** The most tokens the tool's compact output schema may cost. */
  outputSchemaTokens?: number;
  outputValidation?: OutputValidation;
  responseFields?: ResponseFields;
};

export type ServerSettings = {
  name?: string;
  version?: string;
  envPrefix?: string;
  instructions?: string;
};

/** An upstream credential declared in toolwright.yaml, for specs that lack or misstate theirs. */
export type DeclaredAuth = {
  name: string;
  type: 'bearer' | 'apiKey' | 'basic' | 'oauth2';
  in?: 'header' | 'query' | 'cookie';
  parameterName?: string;
  tokenUrl?: string;
  scopes?: string[];
  /** Operation refs; every operation when absent. */
  operations?: string[];
  replace: boolean;
  line?: number;
};

/** What happens to operations the file does not list. */
export type NewOperationsPolicy = 'exclude' | 'classify';

/** `toolwright.yaml`, parsed and checked; paths in it are resolved against the file's folder. */
export type CurationConfig = {
  file: string;
  spec?: string;
  out?: string;
  server: ServerSettings;
  /** How descriptions are proposed: `maxLength` in characters. */
  descriptions?: { maxLength?: number };
  /** How names are proposed: `clientPrefixLength`, the characters a client puts before each name. */
  names?: { clientPrefixLength?: number };
  /** Undefined when the file does not say. */
  mode?: ServerMode;
  newOperations: NewOperationsPolicy;
  operations: OperationEntry[];
  upstreamAuth?: DeclaredAuth[];
  /** Output schemas, validation and response fields for every tool. */
  output?: OutputSettings;
  /** The clients whose rules the catalog's schemas and names are rewritten for. */
  profiles?: ClientProfile[];
};

/** Where the JSON Schema of toolwright.yaml is published, for editors. */
export const configSchemaUrl = 'https://unpkg.com/toolwright/schema/toolwright.schema.json';

const configSchema = JSON.parse(readFileSync(path.join(packageRoot, 'schema', 'toolwright.schema.json'), 'utf8')) as Record<string, unknown>;
type ConfigCheck = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validateConfig: ConfigCheck | undefined;

/**
 * The schema of toolwright.yaml, compiled at build time into `config-validator.cjs` (beside the built file);
 * compiled here when running from the sources.
 */
function configCheck(): ConfigCheck {
  const built = builtBeside<ConfigCheck>(import.meta.url, './config-validator.cjs');
  if (built) return built;
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new Ajv2020({ allErrors: true, strict: false }).compile(configSchema) as ConfigCheck;
}

/** Reads and checks a `toolwright.yaml`. Every problem names its line. */
export async function readCurationConfig(file: string): Promise<CurationConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError({
      code: 'config-unreadable',
      file,
      message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`,
      help: 'Pass the path of a toolwright.yaml with --config, or run `toolwright init <spec>` to create one.',
    });
  }
  return parseCurationConfig(text, file);
}

type RawArgument = { hidden?: boolean; credential?: false; value?: JsonValue; description?: string; enum?: JsonValue[]; minimum?: number; maximum?: number; maxLength?: number; maxItems?: number };
type RawOperation = Omit<OperationEntry, 'ref' | 'line' | 'arguments'> & { arguments?: Record<string, RawArgument> };
type RawConfig = {
  spec?: string;
  out?: string;
  server?: ServerSettings;
  descriptions?: { maxLength?: number };
  names?: { clientPrefixLength?: number };
  mode?: ServerMode;
  newOperations?: NewOperationsPolicy;
  operations?: Record<string, RawOperation | null> | null;
  upstreamAuth?: Record<string, Omit<DeclaredAuth, 'name' | 'parameterName' | 'replace' | 'line'> & { name?: string; replace?: boolean }>;
  outputSchema?: OutputSchemaPolicy;
  outputSchemaTokens?: number;
  outputValidation?: OutputValidation;
  responseFields?: Omit<ResponseFields, 'keep'>;
  profile?: ClientProfile | ClientProfile[];
};

/** Parses the text of a `toolwright.yaml`, checking it against the file's JSON Schema. */
export function parseCurationConfig(text: string, file: string): CurationConfig {
  const lineCounter = new LineCounter();
  // The parser's own unique-key check compares every key with every other: checked below, in linear time.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    throw new UserError({
      code: 'config-syntax',
      file,
      line: syntaxError.linePos?.[0]?.line,
      message: `invalid YAML: ${syntaxError.message.split('\n')[0]}`,
    });
  }
  const duplicate = findDuplicateKey(document.contents);
  if (duplicate) {
    throw new UserError({
      code: 'config-syntax',
      file,
      line: duplicate.range ? lineCounter.linePos(duplicate.range[0]).line : undefined,
      message: 'invalid YAML: Map keys must be unique',
    });
  }
  const raw = (document.toJS() ?? {}) as unknown;
  const lineOf = createLineLocator(text, { root: document.contents, lineCounter });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError({
      code: 'config-invalid',
      file,
      line: lineOf(''),
      message: 'the file must be a YAML mapping with keys such as `server` and `operations`',
    });
  }
  validateConfig ??= configCheck();
  if (!validateConfig(raw)) {
    const error = pickError(validateConfig.errors ?? []);
    const pointer = error.instancePath;
    const key = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
    throw new UserError({
      code: 'config-invalid',
      file,
      pointer: key ? `${pointer}/${key}` : pointer,
      line: lineOf(key ? `${pointer}/${key}` : pointer) ?? lineOf(pointer),
      ...describeError(error, raw),
    });
  }
  const config = raw as RawConfig;
  const relative = (value: string | undefined): string | undefined =>
    value === undefined || /^https?:\/\//i.test(value) ? value : path.resolve(path.dirname(file), value);
  const operations = Object.entries(config.operations ?? {}).map(([ref, entry]): OperationEntry => {
    const pointer = `/operations/${ref.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const args = Object.entries(entry?.arguments ?? {}).map(([name, settings]) => {
      const { value, ...rest } = settings;
      const argument: ArgumentSettings = { ...rest, line: lineOf(`${pointer}/arguments/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`) };
      const envName = isEnvReference(value) ? value.env : undefined;
      if (envName) argument.pinnedEnv = envName;
      else if ('value' in settings) argument.pinned = { value: value ?? null };
      return [name, argument] as const;
    });
    return {
      ...entry,
      ref: ref.trim(),
      line: lineOf(pointer),
      arguments: Object.fromEntries(args),
    };
  });
  const upstreamAuth = Object.entries(config.upstreamAuth ?? {}).map(([name, declared]): DeclaredAuth => {
    const { name: parameterName, replace, ...rest } = declared;
    return { ...rest, name, ...(parameterName ? { parameterName } : {}), replace: replace ?? false, line: lineOf(`/upstreamAuth/${name}`) };
  });
  return {
    file,
    spec: relative(config.spec),
    out: relative(config.out),
    server: config.server ?? {},
    ...(config.descriptions ? { descriptions: config.descriptions } : {}),
    ...(config.names ? { names: config.names } : {}),
    ...(config.mode ? { mode: config.mode } : {}),
    newOperations: config.newOperations ?? 'exclude',
    operations,
    ...(upstreamAuth.length > 0 ? { upstreamAuth } : {}),
    ...outputSettingsOf(config),
  };
}

/** `{ env: NAME }`: a value read from the environment variable NAME at start-up. */
function isEnvReference(value: unknown): value is { env: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'env' && typeof (value as { env: unknown }).env === 'string' && /^[A-Z_][A-Z0-9_]*$/.test((value as { env: string }).env);
}

/** Output schemas, validation, response fields and client profiles for every tool. */
function outputSettingsOf(config: RawConfig): Pick<CurationConfig, 'output' | 'profiles'> {
  const output: OutputSettings = {
    ...(config.outputSchema ? { outputSchema: config.outputSchema } : {}),
    ...(config.outputSchemaTokens !== undefined ? { outputSchemaTokens: config.outputSchemaTokens } : {}),
    ...(config.outputValidation ? { outputValidation: config.outputValidation } : {}),
    ...(config.responseFields ? { responseFields: config.responseFields } : {}),
  };
  const profiles = config.profile === undefined ? [] : [config.profile].flat();
  return { ...(Object.keys(output).length > 0 ? { output } : {}), ...(profiles.length > 0 ? { profiles } : {}) };
}

/** The first key of a mapping that repeats an earlier key of the same mapping, anywhere in the document. */
function findDuplicateKey(node: unknown): Scalar | undefined {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (isScalar(pair.key)) {
        const key = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(key)) return pair.key;
        seen.add(key);
      }
      const inner = findDuplicateKey(pair.value);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findDuplicateKey(item);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The most useful of Ajv's errors: the deepest one. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const rank = (error: ErrorObject): number => fromPointer(error.instancePath).length;
  return [...errors].sort((a, b) => rank(b) - rank(a))[0]!;
}

function describeError(error: ErrorObject, raw: unknown): { message: string; help?: string } {
  const segments = fromPointer(error.instancePath);
  const where = describeLocation(segments);
  const field = segments.at(-1);
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = allowedKeys(segments);
      return {
        message: `unknown key "${String(error.params.additionalProperty)}" in ${where}`,
        help: allowed ? `Allowed keys: ${allowed.join(', ')}.` : undefined,
      };
    }
    case 'type':
      return { message: `"${field}" in ${describeLocation(segments.slice(0, -1))} must be ${article(String(error.params.type))}` };
    case 'pattern':
      if (segments.includes('responseFields')) {
        return {
          message: `response field "${String(valueAt(raw, segments))}" in ${describeLocation(segments.slice(0, -2))} is neither a field name nor a JSON pointer`,
          help: 'Write a name, matched at any depth (token), or a JSON pointer from the response body (/owner/login).',
        };
      }
      if (field === 'name') {
        return { message: `tool name "${String(valueAt(raw, segments))}" is not valid`, help: 'Use 1 to 64 letters, digits, "_" or "-".' };
      }
      if (field === 'envPrefix') {
        return {
          message: `envPrefix "${String(valueAt(raw, segments))}" is not a valid environment variable prefix`,
          help: 'Use capital letters, digits and underscores, starting with a letter, e.g. PETSTORE.',
        };
      }
      return { message: `"${field}" in ${describeLocation(segments.slice(0, -1))} must match ${String(error.params.pattern)}` };
    case 'enum':
      return { message: `"${field}" must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'const':
      return { message: `"${field}" in ${describeLocation(segments.slice(0, -1))} can only be ${JSON.stringify(error.params.allowedValue)}`, help: 'Remove the key to keep the argument.' };
    default:
      return { message: `${where}: ${error.message ?? 'is not valid'}` };
  }
}

function describeLocation(segments: string[]): string {
  if (segments.length === 0) return 'the top level';
  if (segments[0] === 'operations' && segments.length >= 2) {
    const operation = `operation "${segments[1]}"`;
    if (segments[2] === 'arguments' && segments[3] !== undefined) return `argument "${segments[3]}" of ${operation}`;
    if (segments[2] === 'annotations') return `the annotations of ${operation}`;
    return operation;
  }
  return `\`${segments.join('.')}\``;
}

function allowedKeys(segments: string[]): string[] | undefined {
  const defs = configSchema.$defs as Record<string, { properties: Record<string, unknown> }>;
  const properties = configSchema.properties as Record<string, { properties?: Record<string, unknown> }>;
  let schemaProperties: Record<string, unknown> | undefined;
  if (segments.length === 0) schemaProperties = properties;
  else if (segments.length === 1) schemaProperties = properties[segments[0]!]?.properties;
  else if (segments[0] === 'operations' && segments.length === 2) schemaProperties = defs.operation!.properties;
  else if (segments[2] === 'arguments' && segments.length === 4) schemaProperties = defs.argument!.properties;
  else if (segments[2] === 'annotations') schemaProperties = (defs.operation!.properties.annotations as { properties: Record<string, unknown> }).properties;
  return schemaProperties ? Object.keys(schemaProperties) : undefined;
}

function valueAt(raw: unknown, segments: string[]): unknown {
  return segments.reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], raw);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A curation config that includes exactly the given operations, by `METHOD /path`, with their defaults. */
export function configIncluding(operations: { key: string }[], file = 'toolwright.yaml'): CurationConfig {
  return {
    file,
    server: {},
    newOperations: 'exclude',
    operations: operations.map((operation) => ({ ref: operation.key, include: true, arguments: {} })),
  };
}
