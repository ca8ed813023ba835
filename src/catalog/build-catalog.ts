import type {
  BodyBinding,
  BodyEncoding,
  JsonSchema,
  OutputBinding,
  ParameterBinding,
  ResponseFields,
  SecurityScheme,
  ToolAnnotations,
} from '../../templates/runtime/definition.js';
import type { Decisions, OperationDecision } from '../curate/select.js';
import { annotationsFor, applyArgumentSettings, needsConfirmation, withConfirmation, type ToolInput } from './apply-curation.js';
import type { Diagnostic } from '../errors.js';
import { shortHash, toArgumentName, toWords } from '../model/names.js';
import type { ApiModel, HttpMethod, MediaTypeModel, OperationModel, ParameterModel, SecuritySchemeModel } from '../model/types.js';
import { createSchemaConverter, isPlainObjectSchema, type SchemaConverter, type SchemaDialect } from './json-schema.js';
import { compactOutputSchema } from './output-policy.js';
import { applyProfiles } from './profiles.js';
import { unmatchedSelectors } from './response-fields.js';
import { outputPolicyOf, paginationOf, responseFieldsOf, shapeOutput, type OutputSettings } from './shape-output.js';
import { depthSteps, fitToBudget, schemaBudget } from './fit-budget.js';
import type { CatalogTool, ToolCatalog } from './types.js';
import {
  credentialParametersOf,
  declaredScheme,
  nameOwnServers,
  resolveDeclaredAuth,
  securityFor,
  type UpstreamContext,
} from './upstream-bindings.js';

const locationOrder = ['path', 'query', 'header', 'cookie'] as const;
/** Header parameters that OpenAPI says are ignored: the runtime sets them itself. */
const reservedHeaders = new Set(['accept', 'content-type', 'authorization']);

type CatalogContext = UpstreamContext & {
  dialect: SchemaDialect;
  warnings: Diagnostic[];
  envPrefix: string;
  output?: OutputSettings;
  /**
   * Output schemas already translated, by response schema and depth. Many operations return the same
   * schema, and a translation depends on nothing else; one that warned is not reused (its warnings name
   * the operation's own pointer).
   */
  outputs: Map<unknown, Map<number, BuiltOutput>>;
};

/** Builds the tool catalog: one tool per included operation, with its schemas and HTTP binding. */
export function buildCatalog({ model, decisions, configFile = 'toolwright.yaml' }: { model: ApiModel; decisions: Decisions; configFile?: string }): {
  catalog: ToolCatalog;
  warnings: Diagnostic[];
} {
  const context: CatalogContext = {
    model,
    dialect: dialectOf(model),
    warnings: [],
    outputs: new Map(),
    envPrefix: decisions.server.envPrefix,
    extraSchemes: new Map(),
    ...(decisions.output ? { output: decisions.output } : {}),
    declared: resolveDeclaredAuth(model, decisions.upstreamAuth ?? [], configFile),
    keptArguments: new Map(
      decisions.operations.map((decision) => [
        decision.operation,
        new Set(Object.entries(decision.entry?.arguments ?? {}).flatMap(([name, setting]) => (setting.credential === false ? [name] : []))),
      ]),
    ),
  };
  for (const { auth } of context.declared) context.extraSchemes.set(auth.name, declaredScheme(auth));
  const included = decisions.operations.filter((decision) => decision.included);
  const ownServers = nameOwnServers(included.map((decision) => decision.operation));
  const built = included
    .map((decision) => buildTool(context, decision, configFile))
    .map((tool, index) => {
      const own = ownServers.byOperation.get(included[index]!.operation);
      return own ? { ...tool, http: { ...tool.http, server: own } } : tool;
    });
  const tools = applyProfiles({ tools: built, profiles: decisions.profiles ?? [], serverName: decisions.server.name, file: configFile }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const baseUrls = Object.fromEntries(
    [...ownServers.byName].map(([name, url]) => [name, { env: `${decisions.server.envPrefix}_${name.toUpperCase()}_BASE_URL`, defaultUrl: url }]),
  );
  if (tools.length > 0 && tools.every((tool) => tool.http.security.length === 0)) {
    context.warnings.push({
      code: 'no-upstream-auth',
      file: model.source,
      message: `none of the ${tools.length} tools sends an upstream credential: the spec declares none for them`,
      help: 'If the API or its gateway needs one, declare it under `upstreamAuth` in toolwright.yaml (bearer, apiKey, basic or oauth2).',
    });
  }
  const usedSchemes = new Set(tools.flatMap((tool) => tool.http.security.flat()));
  const schemeEntries: [string, SecurityScheme][] = [];
  for (const name of [...usedSchemes].sort()) {
    const scheme = toRuntimeScheme(context.extraSchemes.get(name) ?? model.securitySchemes[name]!, {
      envPrefix: decisions.server.envPrefix,
      scopes: context.extraSchemes.get(name)?.type === 'oauth2' ? [...(decisions.upstreamAuth?.find((auth) => auth.name === name)?.scopes ?? [])].sort() : scopesOf(decisions, name),
      baseUrl: model.servers.find((server) => /^https?:\/\//i.test(server.url))?.url,
    });
    if (scheme) schemeEntries.push([name, scheme]);
  }
  // Built from entries: a scheme named `__proto__` stays an ordinary property.
  const securitySchemes: Record<string, SecurityScheme> = Object.fromEntries(schemeEntries);
  const defaultBaseUrl = model.servers.find((server) => /^https?:\/\//i.test(server.url))?.url;
  const pinnedVariables = [
    ...new Set(tools.flatMap((tool) => [...tool.http.parameters, ...(tool.http.body?.properties ?? [])].flatMap((binding) => (binding.env ? [binding.env] : [])))),
  ].sort();
  return {
    catalog: {
      api: { title: model.title, version: model.version },
      server: {
        name: decisions.server.name,
        version: decisions.server.version,
        envPrefix: decisions.server.envPrefix,
        ...(decisions.server.instructions ? { instructions: decisions.server.instructions } : {}),
        ...(defaultBaseUrl ? { defaultBaseUrl } : {}),
        securitySchemes,
        ...(Object.keys(baseUrls).length > 0 ? { baseUrls } : {}),
        ...(pinnedVariables.length > 0 ? { pinnedVariables } : {}),
      },
      tools,
    },
    warnings: context.warnings,
  };
}

function dialectOf(model: ApiModel): SchemaDialect {
  return model.specVersion === '2.0' ? 'swagger2' : model.specVersion === '3.0' ? 'openapi30' : 'openapi31';
}

function buildTool(context: CatalogContext, decision: OperationDecision, file: string): CatalogTool {
  const { operation } = decision;
  const built = fitToBudget('input', (maxDepth) => buildInput(context, operation, maxDepth));
  const policy = outputPolicyOf(context.output, decision.entry);
  const output = fitToBudget('output', (maxDepth): BuiltOutput => {
    if (policy === 'none') return { binding: { kind: 'none' }, warnings: [] };
    const full = buildOutput(context, operation, maxDepth);
    if (policy !== 'compact' || !full.schema) return full;
    return { ...full, schema: compactOutputSchema(full.schema, full.binding.kind === 'wrapped' ? full.binding.property : undefined) };
  });
  const warn = (pointer: string, message: string): void => {
    context.warnings.push({ code: 'schema', file: context.model.source, pointer, message: `${decision.name}: ${message}` });
  };
  for (const warning of [...built.warnings, ...output.warnings]) warn(operation.pointer, warning);
  if (built.depth !== depthSteps.input[0]) {
    warn(operation.pointer, `the input schema is large; nested schemas below ${built.depth} levels are left open (${Math.round(built.bytes / 1024)} KB)`);
  }
  const keepOutput = output.schema !== undefined && output.fits;
  if (output.schema !== undefined && !output.fits) {
    warn(operation.pointer, `the output schema is over ${schemaBudget.output / 1024} KB even when cut short; the tool returns text without an output schema`);
  }
  if (decision.entry?.responseFields) {
    for (const selector of unmatchedResponseFields(context, operation, decision.entry.responseFields)) {
      warn(operation.pointer, `responseFields "${selector}" matches no field of the response schema; check its spelling (names and pointers match exactly)`);
    }
  }
  const curated = applyArgumentSettings(built, decision, file);
  const input: ToolInput & { confirmation?: { argument: string } } = needsConfirmation(decision) ? withConfirmation(curated) : curated;
  const shaped = shapeOutput({
    schema: keepOutput ? output.schema : undefined,
    binding: keepOutput ? output.binding : { kind: 'none' },
    fields: responseFieldsOf(context.output, decision.entry),
    pagination: paginationOf(input.parameters),
    validation: decision.entry?.outputValidation ?? context.output?.outputValidation,
  });
  return {
    name: decision.name,
    title: decision.title,
    description: decision.description,
    inputSchema: input.schema,
    ...(shaped.outputSchema ? { outputSchema: shaped.outputSchema } : {}),
    annotations: annotationsFor(decision.risk, operation.method, decision.entry?.annotations),
    http: {
      method: operation.method,
      path: operation.path,
      parameters: input.parameters,
      ...(input.body ? { body: input.body } : {}),
      output: shaped.binding,
      security: securityFor(context, operation),
    },
    ...(input.confirmation ? { confirmation: input.confirmation } : {}),
    ...(shaped.outputValidation ? { outputValidation: shaped.outputValidation } : {}),
    ...(shaped.responseFields ? { responseFields: shaped.responseFields } : {}),
    ...(shaped.pagination ? { pagination: shaped.pagination } : {}),
    risk: {
      class: decision.risk.class,
      ...(decision.risk.sensitivities.length > 0 ? { sensitivities: decision.risk.sensitivities } : {}),
      reasons: decision.risk.reasons,
    },
    source: { method: operation.method, path: operation.path, ...(operation.operationId ? { operationId: operation.operationId } : {}) },
  };
}

type BuiltInput = { schema: JsonSchema; parameters: ParameterBinding[]; body?: BodyBinding; warnings: string[] };

function buildInput(context: CatalogContext, operation: OperationModel, maxDepth: number): BuiltInput {
  const converter = createSchemaConverter({ document: context.model.document, dialect: context.dialect, direction: 'input', maxDepth, shared: true });
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const parameters: ParameterBinding[] = [];
  const claim = (preferred: string, prefix: string): string => {
    let name = preferred;
    if (Object.hasOwn(properties, name)) name = toArgumentName(`${prefix}_${preferred}`);
    if (Object.hasOwn(properties, name)) name = `${name}_${shortHash(`${prefix}:${preferred}`)}`;
    return name;
  };
  const credentialParameters = credentialParametersOf(context, operation);
  const argumentParameters = sortParameters(operation.parameters).filter(
    (parameter) =>
      !(parameter.in === 'header' && reservedHeaders.has(parameter.name.toLowerCase())) &&
      !credentialParameters.has(`${parameter.in}:${parameter.name.toLowerCase()}`),
  );
  // Parameters whose names map to the same argument name: the one spelled exactly so keeps it (then path,
  // query, header, cookie; then the wire name), the others take their location as a prefix. The rule reads
  // only the names, so the result does not depend on the order of parameters in the spec.
  const argumentNames = new Map<ParameterModel, string>();
  const rank = (parameter: ParameterModel): string =>
    `${parameter.name === toArgumentName(parameter.name) ? 0 : 1}${locationOrder.indexOf(parameter.in as (typeof locationOrder)[number])}${parameter.name}`;
  const byCandidate = new Map<string, ParameterModel[]>();
  for (const parameter of argumentParameters) {
    const candidate = toArgumentName(parameter.name);
    byCandidate.set(candidate, [...(byCandidate.get(candidate) ?? []), parameter]);
  }
  for (const [candidate, group] of byCandidate) {
    const [first, ...others] = [...group].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    argumentNames.set(first!, candidate);
    for (const parameter of others) {
      const prefixed = toArgumentName(`${parameter.in}_${candidate}`);
      const taken = byCandidate.has(prefixed) || others.some((other) => other !== parameter && other.in === parameter.in);
      argumentNames.set(parameter, taken ? `${prefixed}_${shortHash(`${parameter.in}:${parameter.name}`)}` : prefixed);
    }
  }
  for (const parameter of argumentParameters) {
    const argument = argumentNames.get(parameter)!;
    properties[argument] = parameterSchema(converter, parameter);
    if (parameter.required) required.push(argument);
    parameters.push({
      argument,
      in: parameter.in,
      name: parameter.name,
      style: parameter.style,
      explode: parameter.explode,
      ...(parameter.allowReserved ? { allowReserved: true } : {}),
    });
  }
  const body = buildBody(context, converter, operation, { properties, required, claim });
  const defs = converter.defs();
  const schema: JsonSchema = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...(defs ? { $defs: defs } : {}),
  };
  return { schema, parameters, ...(body ? { body } : {}), warnings: converter.warnings() };
}

function sortParameters(parameters: ParameterModel[]): ParameterModel[] {
  return locationOrder.flatMap((location) => parameters.filter((parameter) => parameter.in === location));
}

function parameterSchema(converter: SchemaConverter, parameter: ParameterModel): JsonSchema {
  const schema = converter.convert(parameter.schema, `${parameter.pointer}/schema`);
  const extras: JsonSchema = {};
  if (parameter.description && schema.description === undefined) extras.description = parameter.description;
  if (parameter.deprecated && schema.deprecated === undefined) extras.deprecated = true;
  // An empty path value would address a different endpoint (`DELETE /items/` instead of `/items/{id}`).
  if (parameter.in === 'path' && allowsString(schema) && !(typeof schema.minLength === 'number' && schema.minLength >= 1)) extras.minLength = 1;
  return Object.keys(extras).length > 0 ? { ...schema, ...extras } : schema;
}

function allowsString(schema: JsonSchema): boolean {
  return schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));
}

type ArgumentSink = {
  properties: Record<string, JsonSchema>;
  required: string[];
  claim: (preferred: string, prefix: string) => string;
};

function buildBody(context: CatalogContext, converter: SchemaConverter, operation: OperationModel, sink: ArgumentSink): BodyBinding | undefined {
  const requestBody = operation.requestBody;
  if (!requestBody) return undefined;
  if (operation.method === 'GET' || operation.method === 'HEAD') {
    // fetch() refuses a body on GET and HEAD, so a tool that sent one would fail on every call. Specs that
    // declare an optional, empty body on every GET (Stripe) lose nothing, and get no warning.
    const declared = requestBody.contents[0];
    const probe = declared && createSchemaConverter({ document: context.model.document, dialect: context.dialect, direction: 'input', maxDepth: 1 });
    const shape = probe ? probe.convert(declared.schema, declared.pointer) : {};
    const empty = Object.keys(shape).length === 0 || (isPlainObjectSchema(shape) && Object.keys(shape.properties as object).length === 0);
    if (empty && !requestBody.required) return undefined;
    context.warnings.push({
      code: 'body',
      file: context.model.source,
      pointer: requestBody.contents[0]?.pointer ?? operation.pointer,
      message: `${operation.key}: a ${operation.method} request cannot carry a body over fetch; the request body is left out of the tool`,
      help: 'If the API also accepts the body with POST, include that operation instead.',
    });
    return undefined;
  }
  const content = pickRequestContent(requestBody.contents);
  if (!content) {
    context.warnings.push({
      code: 'body',
      file: context.model.source,
      pointer: operation.pointer,
      message: `${operation.key}: the request body declares no media type; it is left out`,
    });
    return undefined;
  }
  const encoding = encodingOf(content.mediaType);
  const schema = wireBodySchema(encoding, content.mediaType, converter.convert(content.schema, content.pointer));
  const base = {
    mediaType: content.mediaType,
    encoding,
    required: requestBody.required,
    ...(encoding === 'form' && content.encoding ? { fields: content.encoding } : {}),
  };
  const liftable =
    (encoding === 'json' || encoding === 'form' || encoding === 'multipart') &&
    isPlainObjectSchema(schema) &&
    Object.keys(schema.properties as object).every((name) => toArgumentName(name) === name && !Object.hasOwn(sink.properties, name));
  if (liftable) {
    const bodyProperties = schema.properties as Record<string, JsonSchema>;
    const bodyRequired = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    for (const [name, propertySchema] of Object.entries(bodyProperties)) {
      sink.properties[name] = propertySchema;
      if (requestBody.required && bodyRequired.includes(name)) sink.required.push(name);
    }
    return { ...base, properties: Object.keys(bodyProperties).map((name) => ({ argument: name, name })) };
  }
  const argument = sink.claim('body', 'request');
  sink.properties[argument] =
    requestBody.description && schema.description === undefined ? { ...schema, description: requestBody.description } : schema;
  if (requestBody.required) sink.required.push(argument);
  return { ...base, argument };
}

/**
 * The argument schema of a body that is sent as it is: text bodies (XML, NDJSON, YAML, ...) are a string the
 * model writes, whatever the spec says their structure is; other non-JSON bodies are bytes, given base64-encoded.
 */
function wireBodySchema(encoding: BodyEncoding, mediaType: string, schema: JsonSchema): JsonSchema {
  const description = typeof schema.description === 'string' ? `${schema.description} ` : '';
  if (encoding === 'text' && schema.type !== 'string') {
    return { type: 'string', description: `${description}(the request body, written as ${mediaType})` };
  }
  if (encoding === 'binary' && !(schema.type === 'string' && schema.contentEncoding === 'base64')) {
    return { type: 'string', description: `${description}(the request body as ${mediaType}, base64-encoded)`, contentEncoding: 'base64' };
  }
  return schema;
}

/** Media types whose body is text the model can write directly, although they are not `text/*`. */
const textMediaTypes = new Set([
  'application/xml',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json-seq',
  'application/yaml',
  'application/x-yaml',
  'application/graphql',
  'application/sql',
  'application/javascript',
]);

function pickRequestContent(contents: MediaTypeModel[]): MediaTypeModel | undefined {
  const rank = (mediaType: string): number => {
    const encoding = encodingOf(mediaType);
    return ['json', 'form', 'multipart', 'text', 'binary'].indexOf(encoding);
  };
  return [...contents].sort((a, b) => rank(a.mediaType) - rank(b.mediaType))[0];
}

function encodingOf(mediaType: string): BodyEncoding {
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  if (type === 'application/json' || type.endsWith('+json') || type === '*/*') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.startsWith('text/') || type.endsWith('+xml') || textMediaTypes.has(type)) return 'text';
  return 'binary';
}

function isJsonMediaType(mediaType: string): boolean {
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  return type === 'application/json' || type.endsWith('+json');
}

type BuiltOutput = { schema?: JsonSchema; binding: OutputBinding; warnings: string[] };

function buildOutput(context: CatalogContext, operation: OperationModel, maxDepth: number): BuiltOutput {
  const success = operation.responses
    .filter((response) => /^2(\d\d|XX)$/i.test(response.status))
    .sort((a, b) => (a.status < b.status ? -1 : 1))
    .find((response) => response.contents.some((content) => isJsonMediaType(content.mediaType)));
  const content = success?.contents.find((candidate) => isJsonMediaType(candidate.mediaType));
  if (!content) return { binding: { kind: 'none' }, warnings: [] };
  const key = outputKey(content.schema);
  const cached = context.outputs.get(key)?.get(maxDepth);
  if (cached) return { ...cached, binding: { ...cached.binding } };
  const built = translateOutput(context, content, maxDepth);
  if (key !== undefined && built.warnings.length === 0) {
    const byDepth = context.outputs.get(key) ?? new Map<number, BuiltOutput>();
    byDepth.set(maxDepth, built);
    context.outputs.set(key, byDepth);
  }
  return built;
}

/** What makes two response schemas translate alike: the schema object, or the target of a bare `$ref`. */
function outputKey(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object') return undefined;
  const keys = Object.keys(schema);
  const ref = (schema as { $ref?: unknown }).$ref;
  return keys.length === 1 && typeof ref === 'string' ? `$ref:${ref}` : schema;
}

function translateOutput(context: CatalogContext, content: MediaTypeModel, maxDepth: number): BuiltOutput {
  const converter = createSchemaConverter({ document: context.model.document, dialect: context.dialect, direction: 'output', maxDepth, shared: true });
  const schema = converter.convert(content.schema, content.pointer);
  const defs = converter.defs();
  const warnings = converter.warnings();
  if (schema.type === 'object') {
    return { schema: defs ? { ...schema, $defs: defs } : schema, binding: { kind: 'object' }, warnings };
  }
  return {
    schema: { type: 'object', properties: { result: schema }, ...(defs ? { $defs: defs } : {}) },
    binding: { kind: 'wrapped', property: 'result' },
    warnings,
  };
}

/** A tool's own field selectors that match nothing in its full response schema (for a wrapped response, in the wrapped value). */
function unmatchedResponseFields(context: CatalogContext, operation: OperationModel, fields: ResponseFields): string[] {
  const { schema, binding } = buildOutput(context, operation, depthSteps.output[0]);
  if (!schema) return [];
  const body = binding.kind === 'wrapped' ? (schema.properties as Record<string, JsonSchema>)[binding.property] : schema;
  return body ? unmatchedSelectors({ ...body, ...(schema.$defs ? { $defs: schema.$defs } : {}) }, fields) : [];
}

/** The scopes the included operations require from a scheme, sorted. */
function scopesOf(decisions: Decisions, scheme: string): string[] {
  const scopes = decisions.operations
    .filter((decision) => decision.included)
    .flatMap((decision) => decision.operation.security.flat())
    .filter((requirement) => requirement.scheme === scheme)
    .flatMap((requirement) => requirement.scopes);
  return [...new Set(scopes)].sort();
}

function toRuntimeScheme(
  scheme: SecuritySchemeModel,
  { envPrefix, scopes, baseUrl }: { envPrefix: string; scopes: string[]; baseUrl: string | undefined },
): SecurityScheme | undefined {
  const base = `${envPrefix}_${toWords(scheme.name).join('_').toUpperCase()}`;
  switch (scheme.type) {
    case 'apiKey':
      return { type: 'apiKey', in: scheme.in, name: scheme.parameterName, env: base };
    case 'http':
      if (scheme.scheme === 'basic') return { type: 'basic', usernameEnv: `${base}_USERNAME`, passwordEnv: `${base}_PASSWORD` };
      return { type: 'bearer', env: `${base}_TOKEN` };
    case 'oauth2':
    case 'openIdConnect': {
      const flow = scheme.type === 'oauth2' ? ((scheme.flows.clientCredentials ?? scheme.flows.application) as { tokenUrl?: unknown } | undefined) : undefined;
      const tokenUrl = typeof flow?.tokenUrl === 'string' ? absoluteUrl(flow.tokenUrl, baseUrl) : undefined;
      return {
        type: 'bearer',
        env: `${base}_TOKEN`,
        clientCredentials: {
          clientIdEnv: `${base}_CLIENT_ID`,
          clientSecretEnv: `${base}_CLIENT_SECRET`,
          tokenUrlEnv: `${base}_TOKEN_URL`,
          scopesEnv: `${base}_SCOPES`,
          ...(tokenUrl ? { tokenUrl } : {}),
          ...(scheme.type === 'openIdConnect' && scheme.openIdConnectUrl ? { discoveryUrl: absoluteUrl(scheme.openIdConnectUrl, baseUrl) } : {}),
          scopes,
        },
      };
    }
    default:
      return undefined;
  }
}

function absoluteUrl(url: string, baseUrl: string | undefined): string | undefined {
  try {
    return new URL(url, baseUrl).toString();
  } catch {
    return undefined;
  }
}
