import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { UserError, fromPointer, toPointer, type Diagnostic } from '../errors.js';
import { assertDepth, limitReached, resolveLimits, type LoadLimits } from './limits.js';
import { downloadText, readLocalText } from './read-source.js';
import { createRefPolicy, type RefPolicy } from './ref-policy.js';

export type SpecVersion = '2.0' | '3.0' | '3.1';

/** A parsed, bundled OpenAPI or Swagger document: every `$ref` in it is a local JSON pointer. */
export type LoadedSpec = {
  /** The path or URL the document was read from, as the user gave it. */
  source: string;
  version: SpecVersion;
  document: Record<string, unknown>;
  warnings: Diagnostic[];
};

const maxValidationWarnings = 25;

/** How a spec may be loaded: the resource limits, and the `--allow-ref` prefixes beyond the default `$ref` policy. */
export type LoadOptions = { limits?: LoadLimits; allowRefs?: readonly string[]; onValidate?: () => void };

type LoadContext = { limits: LoadLimits; policy: RefPolicy };

/** Reads, parses, bundles and validates a spec. Invalid but usable documents load with warnings. */
export async function loadSpec(source: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const limits = options.limits ?? resolveLimits();
  const allowRefs = [...(options.allowRefs ?? []), ...(process.env.TOOLWRIGHT_ALLOW_REF ?? '').split(/\s+/).filter(Boolean)];
  const context: LoadContext = { limits, policy: createRefPolicy(entryUrl(source), allowRefs) };
  const text = await readSource(source, limits);
  const parsed = parseText(text, source, limits);
  const version = detectVersion(parsed, source);
  const { document, warnings: bundleWarnings } = await bundleDocument({ source, text, parsed: parsed as Record<string, unknown>, context });
  options.onValidate?.();
  const warnings = await validateDocument(document, source, text);
  return { source, version, document, warnings: [...bundleWarnings, ...warnings] };
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function entryUrl(source: string): string {
  return isUrl(source) ? new URL(source).href : pathToFileURL(path.resolve(source)).href;
}

async function readSource(source: string, limits: LoadLimits): Promise<string> {
  if (isUrl(source)) return downloadText(source, limits);
  try {
    return await readLocalText(source, limits);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError({
      code: 'spec-unreadable',
      file: source,
      message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a spec file' : `cannot read the spec: ${firstLine(error)}`,
      help: 'Pass the path of an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML), or an http(s) URL.',
    });
  }
}

function parseText(text: string, source: string, limits: LoadLimits): unknown {
  const parsed = parseSyntax(text, source, limits);
  assertDepth(parsed, limits, source);
  return parsed;
}

function parseSyntax(text: string, source: string, limits: LoadLimits): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message));
      const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
      throw new UserError({
        code: 'spec-syntax',
        file: source,
        line,
        message: `invalid JSON: ${firstLine(error)}`,
        help: 'Fix the JSON syntax at that line.',
      });
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const problem = document.errors[0];
  if (problem) {
    throw new UserError({
      code: 'spec-syntax',
      file: source,
      line: problem.linePos?.[0]?.line,
      message: `invalid YAML: ${problem.message.split('\n')[0]}`,
      help: 'Fix the YAML syntax at that line.',
    });
  }
  try {
    return document.toJS({ maxAliasCount: limits.maxYamlAliases });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw limitReached('maxYamlAliases', limits, source, 'YAML aliases expand the document too much (a "billion laughs" document looks like this)');
    }
    throw error;
  }
}

function detectVersion(parsed: unknown, source: string): SpecVersion {
  const notASpec = (message: string): UserError =>
    new UserError({
      code: 'spec-not-openapi',
      file: source,
      pointer: '',
      message,
      help: 'Toolwright reads OpenAPI 3.0, 3.1 and Swagger 2.0 documents: the root must have `openapi: 3.x.y` or `swagger: "2.0"`.',
    });
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw notASpec('the document is not a JSON or YAML object');
  }
  const root = parsed as Record<string, unknown>;
  let version: SpecVersion;
  if (root.swagger !== undefined) {
    if (String(root.swagger) !== '2.0') throw notASpec(`unsupported Swagger version "${String(root.swagger)}"`);
    version = '2.0';
  } else if (typeof root.openapi === 'string' && /^3\.0(\.|$)/.test(root.openapi)) {
    version = '3.0';
  } else if (typeof root.openapi === 'string' && /^3\.[1-9](\.|$)/.test(root.openapi)) {
    version = '3.1';
  } else {
    throw notASpec(
      root.openapi === undefined ? 'no `openapi` or `swagger` field at the root' : `unsupported OpenAPI version "${String(root.openapi)}"`,
    );
  }
  const paths = root.paths;
  if (paths !== undefined && (paths === null || typeof paths !== 'object' || Array.isArray(paths))) {
    throw new UserError({
      code: 'spec-no-paths',
      file: source,
      pointer: '/paths',
      message: '`paths` must be an object of path items',
      help: 'Each key of `paths` is a path such as /pets/{id}; each value holds its operations.',
    });
  }
  if (paths === undefined && version !== '3.1') {
    throw new UserError({
      code: 'spec-no-paths',
      file: source,
      pointer: '/paths',
      message: 'the document has no `paths`, so there is nothing to turn into tools',
      help: 'Add the API operations under `paths`.',
    });
  }
  return version;
}

/**
 * Where the documents that external `$ref`s point at are kept in a bundled spec: one entry per file, keyed by
 * its path relative to the spec (or its URL), holding the file's contents with every `$ref` made local.
 */
export const bundledFilesKey = 'x-toolwright-bundled';

/** Keywords whose value is literal data, so a `$ref` inside it is not a reference (OpenAPI 3.1, JSON Schema). */
const dataKeywords = new Set(['default', 'example', 'const', 'enum', 'value', 'externalValue']);

/**
 * Maps whose keys are names chosen by the author (a property may be called `default` or `x-id`), not keywords.
 * `examples` is one too when it is a map (Example Objects); as an array it is literal data.
 */
const nameMaps = new Set([
  'paths', 'webhooks', 'callbacks', 'definitions', 'parameters', 'responses', 'securityDefinitions', 'schemas',
  'requestBodies', 'headers', 'securitySchemes', 'links', 'pathItems', 'properties', 'patternProperties',
  '$defs', 'dependentSchemas', 'variables', 'content', 'encoding', 'examples', 'mapping', 'scopes',
]);

type SpecFile = {
  /** Absolute URL (`file:` or `http(s):`). */
  url: string;
  /** How the user or the `$ref` named the file, for messages. */
  label: string;
  text: string;
  document: unknown;
};

type FoundRef = { holder: Record<string, unknown>; file: SpecFile; target: SpecFile; fragment: string; segments: string[] };

/**
 * Bundles a spec and the files its `$ref`s name into one document whose every `$ref` is a local JSON pointer.
 * Each external file is copied once under {@link bundledFilesKey}, and references into it are rewritten, so
 * that nothing is lost or re-pointed (json-schema-ref-parser's `bundle()` leaves some references dangling
 * in multi-file specs). `$ref`s inside literal values (`default`, `example`, `enum`, extensions) are data
 * and left alone. A file that cannot be read or parsed stops the load; a pointer that leads nowhere is a
 * warning, and the reference is treated as an empty schema.
 */
async function bundleDocument({ source, text, parsed, context }: { source: string; text: string; parsed: Record<string, unknown>; context: LoadContext }): Promise<{
  document: Record<string, unknown>;
  warnings: Diagnostic[];
}> {
  const entry: SpecFile = { url: entryUrl(source), label: source, text, document: parsed };
  const files = new Map<string, SpecFile>([[entry.url, entry]]);
  const refs: FoundRef[] = [];
  const queue: SpecFile[] = [entry];
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const { holder, segments } of findRefs(file.document)) {
      const ref = holder.$ref as string;
      const hash = ref.indexOf('#');
      const location = hash === -1 ? ref : ref.slice(0, hash);
      const fragment = hash === -1 ? '' : ref.slice(hash + 1);
      let target = file;
      if (location !== '') {
        let url: URL;
        try {
          url = new URL(location, file.url);
        } catch {
          const pointer = toPointer(segments);
          throw new UserError({
            code: 'spec-unresolvable',
            file: file.label,
            pointer,
            line: lineOf(file, `${pointer}/$ref`) ?? lineOf(file, pointer),
            message: `cannot resolve $ref "${ref}": not a valid file path or URL`,
            help: 'A $ref is a JSON pointer ("#/components/schemas/Pet"), a relative file path ("pet.yaml#/Pet") or a URL.',
          });
        }
        url.hash = '';
        let loaded = files.get(url.href);
        if (!loaded) {
          refuseRef(url, { file, pointer: toPointer(segments), ref }, context.policy);
          loaded = await readReferencedFile(url, { file, pointer: toPointer(segments), ref }, context);
          files.set(url.href, loaded);
          queue.push(loaded);
        }
        target = loaded;
      }
      refs.push({ holder, file, target, fragment, segments });
    }
  }
  const document = entry.document as Record<string, unknown>;
  const keys = new Map<SpecFile, string>();
  const entryFolder = new URL('.', entry.url);
  for (const file of [...files.values()].slice(1)) {
    const url = new URL(file.url);
    const key =
      url.protocol === 'file:' && entryFolder.protocol === 'file:'
        ? path.relative(fileURLToPath(entryFolder), fileURLToPath(url)).split(path.sep).join('/')
        : url.origin === entryFolder.origin && url.pathname.startsWith(entryFolder.pathname)
          ? url.pathname.slice(entryFolder.pathname.length) + url.search
          : url.href;
    keys.set(file, key);
  }
  const warnings: Diagnostic[] = [];
  const warn = (file: SpecFile, pointer: string, message: string, help: string): void => {
    warnings.push({ code: 'spec-ref', file: file.label, pointer: pointerIn(file, pointer, keys), line: lineOf(file, `${pointer}/$ref`) ?? lineOf(file, pointer), message, help });
  };
  const prefix = (file: SpecFile): string => (file === entry ? '#' : `#${toPointer([bundledFilesKey, keys.get(file)!])}`);
  const anchors = new Set<FoundRef>();
  for (const found of refs) {
    if (found.fragment !== '' && !found.fragment.startsWith('/')) {
      anchors.add(found);
      continue;
    }
    found.holder.$ref = prefix(found.target) + found.fragment;
  }
  if (keys.size > 0) {
    const bundled: Record<string, unknown> = {};
    for (const [file, key] of [...keys].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) bundled[key] = file.document;
    document[bundledFilesKey] = bundled;
  }
  let dangling = 0;
  const help = 'Fix the reference in the spec; Toolwright treats it as an empty schema (any value) meanwhile.';
  for (const found of refs) {
    const pointer = toPointer(found.segments);
    const original = found.holder.$ref as string;
    const isAnchor = anchors.has(found);
    if (!isAnchor && resolveRef(document, original) !== undefined) continue;
    dangling++;
    if (dangling <= maxValidationWarnings) {
      warn(
        found.file,
        pointer,
        isAnchor
          ? `$ref "${original}" uses a plain-name fragment, which Toolwright cannot resolve; it is treated as an empty schema`
          : `$ref "${displayRef(original, keys)}" points at nothing; it is treated as an empty schema`,
        help,
      );
    }
    delete found.holder.$ref;
  }
  if (dangling > maxValidationWarnings) {
    warnings.push({ code: 'spec-ref', file: source, message: `${dangling - maxValidationWarnings} more $refs point at nothing`, help });
  }
  return { document, warnings };
}

/** Every object holding a string `$ref` that is a reference (not inside literal data), with its path. */
function findRefs(root: unknown): { holder: Record<string, unknown>; segments: string[] }[] {
  const found: { holder: Record<string, unknown>; segments: string[] }[] = [];
  walkSpec(root, {
    ref: (holder, segments) => found.push({ holder, segments }),
    data: () => {},
  });
  return found;
}

/**
 * Walks a spec's objects: `ref` for every object with a string `$ref` outside literal data, `data` for
 * every literal value (`default`, `example`, `enum`, extensions, ...), which is not walked further.
 */
function walkSpec(
  root: unknown,
  visit: { ref: (holder: Record<string, unknown>, segments: string[]) => void; data: (value: unknown) => void },
): void {
  const seen = new Set<object>();
  const walk = (node: unknown, segments: string[], namesHere: boolean): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...segments, String(index)], false));
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') visit.ref(record, segments);
    for (const [key, value] of Object.entries(record)) {
      if (segments.length === 0 && key === bundledFilesKey) {
        walk(value, [key], true);
        continue;
      }
      if (!namesHere && (dataKeywords.has(key) || key.startsWith('x-') || (key === 'examples' && Array.isArray(value)))) {
        visit.data(value);
        continue;
      }
      walk(value, [...segments, key], !namesHere && nameMaps.has(key) && !Array.isArray(value));
    }
  };
  walk(root, [], false);
}

/** Renames `$ref` in objects inside literal data, where validators would otherwise try to resolve it. */
function withoutDataRefs(document: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(document);
  const strip = (value: unknown, seen: Set<object>): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (!Array.isArray(value) && typeof record.$ref === 'string') {
      record['literal $ref'] = record.$ref;
      delete record.$ref;
    }
    for (const item of Object.values(value)) strip(item, seen);
  };
  const seen = new Set<object>();
  walkSpec(copy, { ref: () => {}, data: (value) => strip(value, seen) });
  return copy;
}

type RefSite = { file: SpecFile; pointer: string; ref: string };

/** Stops the load when the policy does not let the spec read what a `$ref` names. */
function refuseRef(url: URL, from: RefSite, policy: RefPolicy): void {
  const reason = policy.refuse(url);
  if (!reason) return;
  throw new UserError({
    code: 'spec-ref-refused',
    file: from.file.label,
    pointer: from.pointer,
    line: lineOf(from.file, `${from.pointer}/$ref`) ?? lineOf(from.file, from.pointer),
    message: `$ref "${from.ref}" is not followed: ${reason}`,
    help: `If that location is trusted, allow it with --allow-ref ${policy.suggestion(url)} (repeatable).`,
  });
}

async function readReferencedFile(url: URL, from: RefSite, { limits, policy }: LoadContext): Promise<SpecFile> {
  const label = url.protocol === 'file:' ? path.relative(process.cwd(), fileURLToPath(url)) || fileURLToPath(url) : url.href;
  let text: string;
  try {
    text = url.protocol === 'file:' ? await readLocalText(fileURLToPath(url), limits) : await downloadText(url.href, limits, policy);
  } catch (error) {
    if (error instanceof UserError && error.diagnostic.code === 'spec-limit') throw error;
    const reason = error instanceof UserError ? error.message : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : firstLine(error);
    throw new UserError({
      code: 'spec-unresolvable',
      file: from.file.label,
      pointer: from.pointer,
      line: lineOf(from.file, `${from.pointer}/$ref`) ?? lineOf(from.file, from.pointer),
      message: `cannot resolve $ref "${from.ref}": ${label}: ${reason}`,
      help: 'Check that every file a $ref names exists, relative to the file that contains the $ref.',
    });
  }
  return { url: url.href, label, text, document: parseText(text, label, limits) };
}

/** Resolves a local `$ref` in the bundled document; a pointer may walk through `$ref`s, as json-schema-ref-parser allows. */
function resolveRef(document: unknown, ref: string, depth = 0): unknown {
  if (!ref.startsWith('#') || depth > 32) return undefined;
  let node: unknown = document;
  for (const segment of fromPointer(ref)) {
    for (let hops = 0; hops < 32 && isObject(node) && typeof node.$ref === 'string' && !Object.hasOwn(node, segment); hops++) {
      node = resolveRef(document, node.$ref, depth + 1);
    }
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A pointer inside a file, as a pointer into the bundled document when the file was bundled. */
function pointerIn(file: SpecFile, pointer: string, keys: Map<SpecFile, string>): string {
  const key = keys.get(file);
  return key === undefined ? pointer : `${toPointer([bundledFilesKey, key])}${pointer}`;
}

/** A rewritten `$ref`, shown as the file and pointer it named. */
function displayRef(ref: string, keys: Map<SpecFile, string>): string {
  const bundledPrefix = `#${toPointer([bundledFilesKey])}/`;
  if (!ref.startsWith(bundledPrefix)) return ref;
  const [key, ...rest] = ref.slice(bundledPrefix.length).split('/');
  return `${(key ?? '').replace(/~1/g, '/').replace(/~0/g, '~')}#/${rest.join('/')}`;
}

const locators = new WeakMap<SpecFile, (pointer: string) => number | undefined>();

function lineOf(file: SpecFile, pointer: string): number | undefined {
  let locate = locators.get(file);
  if (!locate) {
    locate = createLineLocator(file.text);
    locators.set(file, locate);
  }
  return locate(pointer);
}

type AjvDetail = { instancePath?: string; message?: string; params?: Record<string, unknown> };

async function validateDocument(document: Record<string, unknown>, source: string, text: string): Promise<Diagnostic[]> {
  try {
    if (bundledFilesKey in document) {
      // Other files' contents sit under an extension key, where the OpenAPI schema does not look: validate
      // a dereferenced copy so that they are checked where they are used.
      await SwaggerParser.validate(withoutDataRefs(document) as never, { dereference: { circular: 'ignore' } } as never);
    } else {
      validateInPlace(document);
    }
    return [];
  } catch (error) {
    const details = (error as { details?: AjvDetail[] }).details;
    if (!Array.isArray(details) || details.length === 0) {
      return [{ code: 'spec-invalid', file: source, message: `the spec does not validate: ${firstLine(error)}` }];
    }
    const byPointer = new Map<string, AjvDetail>();
    for (const detail of details) {
      const pointer = detail.instancePath ?? '';
      if (!byPointer.has(pointer)) byPointer.set(pointer, detail);
    }
    const locate = createLineLocator(text);
    const warnings: Diagnostic[] = [];
    for (const [pointer, detail] of byPointer) {
      if (warnings.length === maxValidationWarnings) {
        warnings.push({
          code: 'spec-invalid',
          file: source,
          message: `${byPointer.size - maxValidationWarnings} more places do not validate against the OpenAPI schema`,
        });
        break;
      }
      const extra = detail.params?.additionalProperty ?? detail.params?.missingProperty;
      warnings.push({
        code: 'spec-invalid',
        file: source,
        pointer,
        line: locate(pointer),
        message: `does not validate against the OpenAPI schema: ${detail.message ?? 'invalid'}${extra ? ` (${String(extra)})` : ''}`,
        help: 'Toolwright still uses the document; fix the spec to silence this warning.',
      });
    }
    return warnings;
  }
}

const requireFromHere = createRequire(import.meta.url);

type SchemaCheck = ((document: unknown) => boolean) & { errors?: AjvDetail[] | null };

/**
 * Validates a single-file document as it is, without dereferencing or copying it: the OpenAPI schema allows a
 * Reference Object wherever a `$ref` may stand, so every component is checked once, at its own pointer, and
 * `$ref`s inside literal data are data. Swagger 2.0 documents then get swagger-parser's extra checks (path
 * parameters, body parameters, duplicate operationIds), read through a view that follows `$ref`s on access.
 */
function validateInPlace(document: Record<string, unknown>): void {
  const version = document.swagger !== undefined ? '2.0' : String(document.openapi).startsWith('3.1') ? '3.1' : '3.0';
  const check = precompiledCheck(version);
  if (!check) {
    const validateSchema = requireFromHere('@apidevtools/swagger-parser/lib/validators/schema.js') as (api: unknown) => void;
    validateSchema(document);
  } else if (!check(document)) {
    throw Object.assign(new SyntaxError('Swagger schema validation failed.'), { details: check.errors ?? [] });
  }
  if (version === '2.0') {
    const validateSpec = requireFromHere('@apidevtools/swagger-parser/lib/validators/spec.js') as (api: unknown) => void;
    validateSpec(dereferencedView(document));
  }
}

/**
 * The OpenAPI schema of a version compiled at build time into `openapi-validator-<version>.cjs` (beside the
 * built file), with swagger-parser's settings; undefined where there is none (running from the sources).
 */
function precompiledCheck(version: '2.0' | '3.0' | '3.1'): SchemaCheck | undefined {
  try {
    return requireFromHere(`./openapi-validator-${version}.cjs`) as SchemaCheck;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** A read-only view of the document in which every object holding a resolvable `$ref` reads as its target. */
function dereferencedView(document: Record<string, unknown>): unknown {
  const views = new WeakMap<object, object>();
  const view = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let target = value as Record<string, unknown>;
    for (let hops = 0; hops < 32 && typeof target.$ref === 'string'; hops++) {
      const resolved = resolveRef(document, target.$ref);
      if (resolved === null || typeof resolved !== 'object') break;
      target = resolved as Record<string, unknown>;
    }
    let proxy = views.get(target);
    if (!proxy) {
      proxy = new Proxy(target, { get: (object, key, receiver) => view(Reflect.get(object, key, receiver)) });
      views.set(target, proxy);
    }
    return proxy;
  };
  return view(document);
}

/**
 * Returns a function that finds the 1-based line of a JSON pointer in YAML or JSON text: the line of
 * the key for a member of a mapping, else the line where the value starts. A caller that has parsed the
 * text already passes its document and line counter, so that the text is not parsed a second time.
 */
export function createLineLocator(text: string, parsed?: { root: YamlNode | null; lineCounter: LineCounter }): (pointer: string) => number | undefined {
  let root: YamlNode | null | undefined = parsed?.root;
  const lineCounter = parsed?.lineCounter ?? new LineCounter();
  const keyIndex = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const name = isScalar(item.key) ? String(item.key.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, item);
      }
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  return (pointer) => {
    if (root === undefined) {
      root = parseDocument(text, { lineCounter, uniqueKeys: false }).contents;
    }
    let node: unknown = root;
    let anchor: unknown = root;
    for (const segment of fromPointer(pointer)) {
      if (isMap(node)) {
        const pair = pairOf(node, segment);
        node = pair?.value;
        anchor = pair?.key;
      } else if (isSeq(node)) {
        node = anchor = node.items[Number(segment)];
      } else {
        return undefined;
      }
    }
    const range = (anchor as YamlNode | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
