import { resolvePointer, toPointer, type Diagnostic } from '../errors.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type {
  ApiModel,
  FieldEncoding,
  HttpMethod,
  MediaTypeModel,
  OperationModel,
  ParameterLocation,
  ParameterModel,
  ParameterStyle,
  RequestBodyModel,
  ResponseModel,
  SecurityRequirement,
  SecuritySchemeModel,
  ServerModel,
} from './types.js';

type Json = Record<string, unknown>;

const methods: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];
const parameterLocations: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
const swaggerSchemaKeywords = [
  'type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'x-nullable',
] as const;

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

type BuildContext = {
  spec: LoadedSpec;
  document: Json;
  warn: (pointer: string, message: string, help?: string, code?: string) => void;
};

type OperationInput = {
  path: string;
  method: HttpMethod;
  operation: Json;
  shared: unknown[];
  pointer: string;
  pathPointer: string;
};

function buildOperation(context: BuildContext, input: OperationInput): OperationModel {
  const { operation, pointer } = input;
  const isSwagger = context.spec.version === '2.0';
  const rawParameters = mergeParameters(context, input);
  const parameters: ParameterModel[] = [];
  const bodyParameters: { parameter: Json; pointer: string }[] = [];
  for (const { parameter, pointer: parameterPointer } of rawParameters) {
    const location = parameter.in;
    if (isSwagger && (location === 'body' || location === 'formData')) {
      bodyParameters.push({ parameter, pointer: parameterPointer });
    } else if (parameterLocations.includes(location as ParameterLocation)) {
      parameters.push(buildParameter(context, parameter, parameterPointer));
    } else {
      context.warn(parameterPointer, `parameter "${String(parameter.name)}" has an unknown location "${String(location)}"; it is left out`);
    }
  }
  const requestBody = isSwagger
    ? swaggerRequestBody(context, operation, bodyParameters)
    : openApiRequestBody(context, operation.requestBody, `${pointer}/requestBody`);
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(operation)) if (key.startsWith('x-')) extensions[key] = value;
  return {
    key: `${input.method} ${input.path}`,
    method: input.method,
    path: input.path,
    operationId: typeof operation.operationId === 'string' && operation.operationId.trim() ? operation.operationId.trim() : undefined,
    summary: optionalText(operation.summary),
    description: optionalText(operation.description),
    tags: asArray(operation.tags).filter((tag): tag is string => typeof tag === 'string'),
    deprecated: operation.deprecated === true,
    parameters,
    requestBody,
    responses: buildResponses(context, operation, pointer),
    security: buildSecurity(operation.security ?? context.document.security),
    extensions,
    pointer,
  };
}

function mergeParameters(context: BuildContext, input: OperationInput): { parameter: Json; pointer: string }[] {
  const merged = new Map<string, { parameter: Json; pointer: string }>();
  const add = (list: unknown[], base: string): void => {
    list.forEach((raw, index) => {
      const parameter = asObject(deref(context, raw));
      merged.set(`${String(parameter.in)}:${String(parameter.name)}`, { parameter, pointer: `${base}/parameters/${index}` });
    });
  };
  add(input.shared, input.pathPointer);
  add(asArray(input.operation.parameters), input.pointer);
  return [...merged.values()];
}

function buildParameter(context: BuildContext, parameter: Json, pointer: string): ParameterModel {
  const location = parameter.in as ParameterLocation;
  const isSwagger = context.spec.version === '2.0';
  let schema: unknown;
  let style: ParameterStyle;
  let explode: boolean;
  if (isSwagger) {
    schema = swaggerParameterSchema(parameter);
    ({ style, explode } = swaggerCollectionStyle(context, parameter, pointer));
  } else {
    schema = parameter.schema ?? firstContentSchema(parameter.content) ?? {};
    style = (typeof parameter.style === 'string' ? parameter.style : defaultStyle(location)) as ParameterStyle;
    explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  }
  return {
    name: String(parameter.name),
    in: location,
    required: location === 'path' || parameter.required === true,
    description: optionalText(parameter.description),
    deprecated: parameter.deprecated === true,
    schema,
    style,
    explode,
    allowReserved: parameter.allowReserved === true,
    pointer,
  };
}

function defaultStyle(location: ParameterLocation): ParameterStyle {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

function swaggerParameterSchema(parameter: Json): Json {
  const schema: Json = {};
  for (const keyword of swaggerSchemaKeywords) {
    if (parameter[keyword] !== undefined) schema[keyword] = parameter[keyword];
  }
  if (typeof parameter.description === 'string') schema.description = parameter.description;
  return schema;
}

function swaggerCollectionStyle(context: BuildContext, parameter: Json, pointer: string): { style: ParameterStyle; explode: boolean } {
  const location = parameter.in as ParameterLocation;
  const format = typeof parameter.collectionFormat === 'string' ? parameter.collectionFormat : 'csv';
  if (location !== 'query' || format === 'csv') return { style: defaultStyle(location), explode: false };
  if (format === 'multi') return { style: 'form', explode: true };
  if (format === 'ssv') return { style: 'spaceDelimited', explode: false };
  if (format === 'pipes') return { style: 'pipeDelimited', explode: false };
  context.warn(pointer, `collectionFormat "${format}" is not supported; values are sent comma-separated`);
  return { style: 'form', explode: false };
}

function firstContentSchema(content: unknown): unknown {
  const first = Object.values(asObject(content))[0];
  return first === undefined ? undefined : asObject(first).schema;
}

function openApiRequestBody(context: BuildContext, raw: unknown, pointer: string): RequestBodyModel | undefined {
  if (raw === undefined) return undefined;
  const body = asObject(deref(context, raw));
  return {
    required: body.required === true,
    description: optionalText(body.description),
    contents: mediaTypes(body.content, `${pointer}/content`),
  };
}

function swaggerRequestBody(
  context: BuildContext,
  operation: Json,
  bodyParameters: { parameter: Json; pointer: string }[],
): RequestBodyModel | undefined {
  if (bodyParameters.length === 0) return undefined;
  const consumes = asArray(operation.consumes ?? context.document.consumes).filter((m): m is string => typeof m === 'string');
  const body = bodyParameters.find(({ parameter }) => parameter.in === 'body');
  if (body) {
    const mediaTypesDeclared = consumes.length > 0 ? consumes : ['application/json'];
    return {
      required: body.parameter.required === true,
      description: optionalText(body.parameter.description),
      contents: mediaTypesDeclared.map((mediaType) => ({ mediaType, schema: body.parameter.schema ?? {}, pointer: `${body.pointer}/schema` })),
    };
  }
  const properties: Json = {};
  const required: string[] = [];
  let hasFile = false;
  for (const { parameter } of bodyParameters) {
    const name = String(parameter.name);
    properties[name] = swaggerParameterSchema(parameter);
    if (parameter.type === 'file') hasFile = true;
    if (parameter.required === true) required.push(name);
  }
  const mediaType =
    hasFile || consumes.includes('multipart/form-data') && !consumes.includes('application/x-www-form-urlencoded')
      ? 'multipart/form-data'
      : 'application/x-www-form-urlencoded';
  const schema: Json = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  return {
    required: required.length > 0,
    contents: [{ mediaType, schema, pointer: bodyParameters[0]!.pointer }],
  };
}

function buildResponses(context: BuildContext, operation: Json, pointer: string): ResponseModel[] {
  const produces = asArray(operation.produces ?? context.document.produces).filter((m): m is string => typeof m === 'string');
  return Object.entries(asObject(operation.responses)).map(([status, raw]) => {
    const response = asObject(deref(context, raw));
    const responsePointer = `${pointer}${toPointer(['responses', status])}`;
    let contents: MediaTypeModel[];
    if (context.spec.version === '2.0') {
      contents =
        response.schema === undefined
          ? []
          : (produces.length > 0 ? produces : ['application/json']).map((mediaType) => ({
              mediaType,
              schema: response.schema,
              pointer: `${responsePointer}/schema`,
            }));
    } else {
      contents = mediaTypes(response.content, `${responsePointer}/content`);
    }
    return { status, description: optionalText(response.description), contents };
  });
}

function mediaTypes(content: unknown, pointer: string): MediaTypeModel[] {
  return Object.entries(asObject(content)).map(([mediaType, value]) => {
    const encoding = fieldEncodings(asObject(value).encoding);
    return {
      mediaType,
      schema: asObject(value).schema ?? {},
      pointer: `${pointer}${toPointer([mediaType, 'schema'])}`,
      ...(encoding ? { encoding } : {}),
    };
  });
}

const fieldStyles = new Set(['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);

/** The style and explode of each form field that the Encoding Object sets; defaults are form and explode. */
function fieldEncodings(raw: unknown): Record<string, FieldEncoding> | undefined {
  const entries = Object.entries(asObject(raw)).flatMap(([property, value]): [string, FieldEncoding][] => {
    const encoding = asObject(value);
    if (encoding.style === undefined && encoding.explode === undefined) return [];
    const style = fieldStyles.has(String(encoding.style)) ? (encoding.style as FieldEncoding['style']) : 'form';
    return [[property, { style, explode: typeof encoding.explode === 'boolean' ? encoding.explode : style === 'form' }]];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function buildSecurity(raw: unknown): SecurityRequirement[] {
  return asArray(raw).map((requirement) =>
    Object.entries(asObject(requirement)).map(([scheme, scopes]) => ({
      scheme,
      scopes: asArray(scopes).filter((scope): scope is string => typeof scope === 'string'),
    })),
  );
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

/** Follows `$ref` chains to the object they point at; a dangling reference yields `{}`. */
function deref(context: BuildContext, value: unknown): unknown {
  let current = value;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && typeof (current as Json).$ref === 'string') {
    const ref = (current as Json).$ref as string;
    if (seen.has(ref) || !ref.startsWith('#')) return {};
    seen.add(ref);
    const target = resolvePointer(context.document, ref);
    if (target === undefined) {
      context.warn(ref.slice(1), `$ref "${ref}" points at nothing; it is treated as empty`, 'Fix the reference in the spec.');
      return {};
    }
    current = target;
  }
  return current;
}

function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
