import { readFile } from 'node:fs/promises';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { UserError, fromPointer, type Diagnostic } from '../errors.js';

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
const fetchTimeoutMs = 30_000;

/** Reads, parses, bundles and validates a spec. Invalid but usable documents load with warnings. */
export async function loadSpec(source: string): Promise<LoadedSpec> {
  const text = await readSource(source);
  const parsed = parseText(text, source);
  const version = detectVersion(parsed, source);
  let document: Record<string, unknown>;
  try {
    document = (await SwaggerParser.bundle(bundleBase(source), parsed as never, {})) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new UserError({
      code: 'spec-unresolvable',
      file: source,
      message: `cannot resolve a $ref: ${firstLine(error)}`,
      help: 'Check that every external file a $ref names exists, relative to the spec, and that its JSON pointer is right.',
    });
  }
  const warnings = await validateDocument(document, source, text);
  return { source, version, document, warnings };
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function bundleBase(source: string): string {
  return isUrl(source) ? source : path.resolve(source);
}

async function readSource(source: string): Promise<string> {
  if (isUrl(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(fetchTimeoutMs) });
    } catch (error) {
      throw new UserError({
        code: 'spec-unreachable',
        file: source,
        message: `cannot download the spec: ${firstLine(error)}`,
        help: 'Check the URL and your network, or download the file and pass its path.',
      });
    }
    if (!response.ok) {
      throw new UserError({
        code: 'spec-unreachable',
        file: source,
        message: `cannot download the spec: HTTP ${response.status} ${response.statusText}`,
        help: 'Check the URL, or download the file and pass its path.',
      });
    }
    return response.text();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError({
      code: 'spec-unreadable',
      file: source,
      message: code === 'ENOENT' ? 'no such file' : `cannot read the spec: ${firstLine(error)}`,
      help: 'Pass the path of an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML), or an http(s) URL.',
    });
  }
}

function parseText(text: string, source: string): unknown {
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
  return document.toJS({ maxAliasCount: -1 });
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

type AjvDetail = { instancePath?: string; message?: string; params?: Record<string, unknown> };

async function validateDocument(document: Record<string, unknown>, source: string, text: string): Promise<Diagnostic[]> {
  try {
    await SwaggerParser.validate(structuredClone(document) as never, { dereference: { circular: 'ignore' } } as never);
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

/**
 * Returns a function that finds the 1-based line of a JSON pointer in YAML or JSON text: the line of
 * the key for a member of a mapping, else the line where the value starts.
 */
export function createLineLocator(text: string): (pointer: string) => number | undefined {
  let root: YamlNode | null | undefined;
  const lineCounter = new LineCounter();
  return (pointer) => {
    if (root === undefined) {
      root = parseDocument(text, { lineCounter, uniqueKeys: false }).contents;
    }
    let node: unknown = root;
    let anchor: unknown = root;
    for (const segment of fromPointer(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
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
