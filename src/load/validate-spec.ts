import { createRequire } from 'node:module';
import { builtBeside } from '../built-beside.js';
import { firstLine, type Diagnostic } from '../errors.js';
import { createLineLocator } from './line-locator.js';
import { bundledFilesKey, resolveRef, withoutDataRefs } from './spec-refs.js';

/** How many warnings one kind of problem reports before it sums up the rest in one line. */
export const maxValidationWarnings = 25;

type AjvDetail = { instancePath?: string; message?: string; params?: Record<string, unknown> };

/** Validates a bundled document against its OpenAPI schema; what does not validate becomes warnings, with lines. */
export async function validateDocument(document: Record<string, unknown>, source: string, text: string): Promise<Diagnostic[]> {
  try {
    if (bundledFilesKey in document) {
      // Other files' contents sit under an extension key, where the OpenAPI schema does not look: validate
      // a dereferenced copy so that they are checked where they are used.
      const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
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
  return builtBeside<SchemaCheck>(import.meta.url, `./openapi-validator-${version}.cjs`);
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
