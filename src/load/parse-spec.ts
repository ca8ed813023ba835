import { createRequire } from 'node:module';
import { UserError, firstLine } from '../errors.js';
import { assertDepth, limitReached, type LoadLimits } from './limits.js';

/** The OpenAPI or Swagger versions Toolwright reads. */
export type SpecVersion = '2.0' | '3.0' | '3.1';

/** Documents parsed from JSON: trees, in which no object is met twice (YAML aliases share objects). */
const trees = new WeakSet<object>();

/** Whether a parsed document is a tree (see `trees`): walks of it need not watch for objects met before. */
export function isTree(document: unknown): boolean {
  return document !== null && typeof document === 'object' && trees.has(document);
}

/** Parses JSON or YAML spec text into plain data, within the nesting and alias limits. */
export function parseText(text: string, source: string, limits: LoadLimits): unknown {
  const json = isJsonText(text);
  const parsed = parseSyntax(text, source, limits, json);
  assertDepth(parsed, limits, source, { tree: json });
  if (json && parsed !== null && typeof parsed === 'object') trees.add(parsed);
  return parsed;
}

function isJsonText(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

function parseSyntax(text: string, source: string, limits: LoadLimits, json: boolean): unknown {
  if (json) {
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
  // The YAML parser loads only for YAML text: most large specs are JSON.
  const { LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const problem = document.errors[0];
  if (problem) {
    throw new UserError({
      code: 'spec-syntax',
      file: source,
      line: problem.linePos?.[0]?.line,
      message: `invalid YAML: ${firstLine(problem)}`,
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

/** The OpenAPI or Swagger version of a parsed document; anything else, or a document without usable `paths`, stops the load. */
export function detectVersion(parsed: unknown, source: string): SpecVersion {
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
