import { toPointer, type Diagnostic } from '../errors.js';
import type { LoadedSpec } from '../load/load-spec.js';
import { asArray, asObject, deref, optionalText, type BuildContext } from './build-context.js';
import { buildOperation } from './build-operation.js';
import type { ApiModel, HttpMethod, OperationModel, SecuritySchemeModel, ServerModel } from './types.js';

const methods: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];

/** The code of a warning that a tool would call the wrong host (operations with their own `servers` now get their own base URL, so the model emits none). */
export const wrongHostCode = 'model-wrong-host';

export type ModelResult = { model: ApiModel; warnings: Diagnostic[] };

/** Turns a loaded Swagger 2.0 or OpenAPI 3.x document into the version-independent `ApiModel`. */
export function buildModel(spec: LoadedSpec): ModelResult {
  const document = spec.document;
  const warnings: Diagnostic[] = [];
  const warn = (pointer: string, message: string, help?: string, code = 'model'): void => {
    warnings.push({ code, file: spec.source, pointer, message, help });
  };
  const context: BuildContext = { spec, document, warn };
  const info = asObject(document.info);
  const operations: OperationModel[] = [];
  const paths = asObject(document.paths);
  for (const [path, rawPathItem] of Object.entries(paths)) {
    const pathPointer = toPointer(['paths', path]);
    const pathItem = asObject(deref(context, rawPathItem));
    const shared = asArray(pathItem.parameters);
    for (const method of methods) {
      const rawOperation = pathItem[method.toLowerCase()];
      if (rawOperation === undefined) continue;
      const pointer = `${pathPointer}/${method.toLowerCase()}`;
      operations.push(buildOperation(context, { path, method, operation: asObject(rawOperation), shared, pointer, pathPointer }));
    }
  }
  const servers = spec.version === '2.0' ? swaggerServers(context) : openApiServers(context, document.servers, '/servers');
  if (spec.version !== '2.0') assignOperationServers(context, operations, servers);
  const model: ApiModel = {
    source: spec.source,
    specVersion: spec.version,
    title: typeof info.title === 'string' && info.title.trim() ? info.title.trim() : 'API',
    version: typeof info.version === 'string' || typeof info.version === 'number' ? String(info.version) : '0.0.0',
    description: optionalText(info.description),
    servers,
    operations,
    securitySchemes: buildSecuritySchemes(context),
    document,
  };
  return { model, warnings };
}

function buildSecuritySchemes(context: BuildContext): Record<string, SecuritySchemeModel> {
  const isSwagger = context.spec.version === '2.0';
  const raw = isSwagger ? asObject(context.document.securityDefinitions) : asObject(asObject(context.document.components).securitySchemes);
  const schemes = new Map<string, SecuritySchemeModel>();
  for (const [name, value] of Object.entries(raw)) {
    const scheme = asObject(deref(context, value));
    const description = optionalText(scheme.description);
    if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query' || scheme.in === 'cookie')) {
      schemes.set(name, { name, type: 'apiKey', in: scheme.in, parameterName: String(scheme.name), description });
    } else if (scheme.type === 'basic') {
      schemes.set(name, { name, type: 'http', scheme: 'basic', description });
    } else if (scheme.type === 'http') {
      const bearerFormat = optionalText(scheme.bearerFormat);
      schemes.set(name, { name, type: 'http', scheme: String(scheme.scheme ?? '').toLowerCase(), ...(bearerFormat ? { bearerFormat } : {}), description });
    } else if (scheme.type === 'oauth2') {
      const flows = isSwagger ? { [String(scheme.flow)]: { authorizationUrl: scheme.authorizationUrl, tokenUrl: scheme.tokenUrl, scopes: scheme.scopes } } : asObject(scheme.flows);
      schemes.set(name, { name, type: 'oauth2', flows, description });
    } else if (scheme.type === 'openIdConnect') {
      schemes.set(name, { name, type: 'openIdConnect', openIdConnectUrl: String(scheme.openIdConnectUrl ?? ''), description });
    } else if (scheme.type === 'mutualTLS') {
      schemes.set(name, { name, type: 'mutualTLS', description });
    } else {
      const where = isSwagger ? ['securityDefinitions', name] : ['components', 'securitySchemes', name];
      context.warn(toPointer(where), `security scheme "${name}" has an unsupported type "${String(scheme.type)}"; it is ignored`);
    }
  }
  // From entries: a scheme named `__proto__` stays an ordinary property.
  return Object.fromEntries(schemes);
}

/**
 * The server of a Swagger 2.0 document: `schemes` (https preferred), `host` and `basePath`. Without a host,
 * the host that served the document (when it was read from a URL), as the Swagger 2.0 spec says.
 * @see https://swagger.io/specification/v2/#swagger-object
 */
function swaggerServers(context: BuildContext): ServerModel[] {
  const { document } = context;
  const source = isUrl(context.spec.source) ? new URL(context.spec.source) : undefined;
  const host = typeof document.host === 'string' && document.host.trim() ? document.host.trim() : source?.host;
  if (!host) return [];
  const schemes = asArray(document.schemes).filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase());
  const scheme = schemes.includes('https') ? 'https' : schemes.includes('http') ? 'http' : (source?.protocol.slice(0, -1) ?? 'https');
  const basePath = typeof document.basePath === 'string' ? document.basePath.trim().replace(/\/+$/, '') : '';
  const url = `${scheme}://${host}${basePath && !basePath.startsWith('/') ? '/' : ''}${basePath}`;
  if (!isUsableUrl(url)) {
    context.warn('/host', `host ${JSON.stringify(host)} and basePath ${JSON.stringify(basePath)} do not make a valid URL; no server is used`, 'Fix `host` and `basePath` in the spec.');
    return [];
  }
  return [{ url }];
}

/**
 * The servers of an OpenAPI 3 document, with every variable replaced by its default (or, when the spec
 * gives none, its first enum value). A relative URL is resolved against the document's URL when it was read
 * from one. A server whose URL still has a variable, or stays relative, cannot be called and is left out
 * with a warning.
 * @see https://spec.openapis.org/oas/v3.1.0#server-object
 */
function openApiServers(context: BuildContext, raw: unknown, pointer: string): ServerModel[] {
  return asArray(raw).flatMap((value, index) => {
    const server = asObject(value);
    const where = `${pointer}/${index}`;
    if (typeof server.url !== 'string') return [];
    const variables = asObject(server.variables);
    const unresolved: string[] = [];
    let url = server.url.trim().replace(/\{([^}]+)\}/g, (match, name: string) => {
      const variable = asObject(variables[name]);
      const fallback = variable.default ?? asArray(variable.enum)[0];
      if (typeof fallback === 'string' || typeof fallback === 'number') return String(fallback);
      unresolved.push(name);
      return match;
    });
    if (unresolved.length > 0) {
      context.warn(where, `server "${server.url}" has no default for ${unresolved.map((name) => `{${name}}`).join(', ')}; it is not used`, 'Give every server variable a `default`.');
      return [];
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && isUrl(context.spec.source)) url = new URL(url, context.spec.source).href.replace(/\/$/, '');
    if (!isUsableUrl(url)) {
      context.warn(where, `server ${JSON.stringify(server.url)} is not a valid URL; it is not used`, 'Fix the server URL in the spec.');
      return [];
    }
    return [{ url, description: optionalText(server.description) }];
  });
}

/** Records the servers of operations that declare their own: their tools get a base URL of their own. */
function assignOperationServers(context: BuildContext, operations: OperationModel[], documentServers: ServerModel[]): void {
  const paths = asObject(context.document.paths);
  const base = JSON.stringify(documentServers.map((server) => server.url));
  for (const operation of operations) {
    const pathItem = asObject(deref(context, paths[operation.path]));
    const operationServers = asObject(pathItem[operation.method.toLowerCase()]).servers;
    const own = operationServers ?? pathItem.servers;
    if (own === undefined) continue;
    const where = operationServers !== undefined ? operation.pointer : operation.pointer.slice(0, operation.pointer.lastIndexOf('/'));
    const servers = openApiServers(context, own, `${where}/servers`);
    if (servers.length === 0 || JSON.stringify(servers.map((server) => server.url)) === base) continue;
    operation.servers = servers;
  }
}

/** A server URL without whitespace or control characters that parses (relative ones are kept as they are). */
function isUsableUrl(url: string): boolean {
  if (url === '' || /[\s\u0000-\u001f\u007f\u2028\u2029]/.test(url)) return false;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return true;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}
