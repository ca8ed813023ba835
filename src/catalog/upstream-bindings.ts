import type { SecurityScheme } from '../../templates/runtime/definition.js';
import type { DeclaredAuth } from '../curate/config-file.js';
import { normalizeKey, type Decisions } from '../curate/select.js';
import { UserError, type Diagnostic } from '../errors.js';
import { proposeCredentialParameters } from '../model/credential-parameters.js';
import { shortHash, toArgumentName, toWords } from '../model/names.js';
import type { ApiModel, OperationModel, SecuritySchemeModel } from '../model/types.js';

/** What the upstream bindings of a catalog depend on: the model, declared auth and the schemes made for it. */
export type UpstreamContext = {
  model: ApiModel;
  /** Schemes made for credential parameters and declared auth, by name, as the model's schemes are. */
  extraSchemes: Map<string, SecuritySchemeModel>;
  declared: { auth: DeclaredAuth; operations?: Set<string> }[];
  /** Per operation, the arguments toolwright.yaml keeps although they look like credentials (`credential: false`). */
  keptArguments: Map<OperationModel, Set<string>>;
};

/**
 * Names the servers that operations declare for themselves, from their host (`https://uploads.github.com`
 * → `uploads_github`), then their path, then a hash where two would still share a name. The names depend
 * only on the URLs, never on the order of operations.
 */
export function nameOwnServers(operations: OperationModel[]): { byOperation: Map<OperationModel, string>; byName: Map<string, string> } {
  const urls = [...new Set(operations.flatMap((operation) => ownServerUrl(operation) ?? []))].sort();
  const hostName = (url: URL): string => {
    const labels = url.hostname.split('.');
    const words = toWords(labels.length > 1 && !/^\d+$/.test(labels.at(-1)!) ? labels.slice(0, -1).join(' ') : url.hostname);
    return words.join('_') || 'server';
  };
  const candidates = new Map<string, string>();
  for (const url of urls) {
    const parsed = new URL(url);
    candidates.set(url, hostName(parsed));
  }
  const byName = new Map<string, string>();
  const nameOf = new Map<string, string>();
  for (const url of urls) {
    let name = candidates.get(url)!;
    if ([...candidates].some(([other, candidate]) => other !== url && candidate === name)) {
      const pathWords = toWords(new URL(url).pathname);
      name = [name, ...pathWords].join('_');
    }
    if (byName.has(name)) name = `${name}_${shortHash(url)}`;
    byName.set(name, url);
    nameOf.set(url, name);
  }
  const byOperation = new Map<OperationModel, string>();
  for (const operation of operations) {
    const url = ownServerUrl(operation);
    if (url) byOperation.set(operation, nameOf.get(url)!);
  }
  return { byOperation, byName };
}

/** The first absolute http(s) server the operation declares for itself. */
function ownServerUrl(operation: OperationModel): string | undefined {
  return operation.servers?.find((server) => /^https?:\/\//i.test(server.url))?.url;
}

function supportedScheme(scheme: SecuritySchemeModel | undefined): boolean {
  if (!scheme) return false;
  if (scheme.type === 'http') return scheme.scheme === 'bearer' || scheme.scheme === 'basic';
  return scheme.type === 'apiKey' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
}

/**
 * The security alternatives of a tool: the spec's, with declared auth added to (or replacing) them, and
 * with the schemes made for credential parameters required in every alternative.
 */
export function securityFor(context: UpstreamContext, operation: OperationModel): string[][] {
  const { model } = context;
  let alternatives = operation.security
    .filter((alternative) => alternative.every(({ scheme }) => supportedScheme(model.securitySchemes[scheme])))
    .map((alternative) => alternative.map(({ scheme }) => scheme));
  for (const { auth, operations } of context.declared) {
    if (operations && !operations.has(operation.key)) continue;
    alternatives = auth.replace || alternatives.length === 0 ? [[auth.name]] : alternatives.map((alternative) => [...alternative, auth.name]);
  }
  const parameterSchemes = parameterSchemesOf(context, operation);
  if (parameterSchemes.length === 0) return alternatives;
  return alternatives.length === 0 ? [parameterSchemes] : alternatives.map((alternative) => [...alternative, ...parameterSchemes]);
}

/** Schemes for the operation's credential parameters not already covered by an apiKey scheme, registered in the context. */
function parameterSchemesOf(context: UpstreamContext, operation: OperationModel): string[] {
  const covered = specCredentialParameters(context.model, operation);
  return credentialParametersIn(context, operation)
    .filter(({ parameter }) => !covered.has(`${parameter.in}:${parameter.name.toLowerCase()}`))
    .map(({ parameter }) => {
      const name = `${parameter.in}:${parameter.name}`;
      if (!context.extraSchemes.has(name)) {
        const taken = [...context.extraSchemes.values(), ...Object.values(context.model.securitySchemes)].some((scheme) => scheme.name === parameter.name);
        context.extraSchemes.set(name, {
          name: taken ? `${parameter.in} ${parameter.name}` : parameter.name,
          type: 'apiKey',
          in: parameter.in as 'header' | 'query' | 'cookie',
          parameterName: parameter.name,
        });
      }
      return name;
    });
}

/** Parameters that carry a credential the server supplies itself: `in:name`, lower-cased. */
export function credentialParametersOf(context: UpstreamContext, operation: OperationModel): Set<string> {
  const keys = specCredentialParameters(context.model, operation);
  for (const { parameter } of credentialParametersIn(context, operation)) keys.add(`${parameter.in}:${parameter.name.toLowerCase()}`);
  for (const { auth, operations } of context.declared) {
    if (auth.type === 'apiKey' && (!operations || operations.has(operation.key))) keys.add(`${auth.in ?? 'header'}:${(auth.parameterName ?? 'X-API-Key').toLowerCase()}`);
  }
  return keys;
}

/** The operation's credential parameters, less those toolwright.yaml keeps as arguments. */
function credentialParametersIn(context: UpstreamContext, operation: OperationModel): ReturnType<typeof proposeCredentialParameters> {
  const kept = context.keptArguments.get(operation);
  return proposeCredentialParameters(operation).filter(({ parameter }) => !kept?.has(toArgumentName(parameter.name)) && !kept?.has(parameter.name));
}

function specCredentialParameters(model: ApiModel, operation: OperationModel): Set<string> {
  const keys = new Set<string>();
  for (const alternative of operation.security) {
    for (const { scheme } of alternative) {
      const definition = model.securitySchemes[scheme];
      if (definition?.type === 'apiKey') keys.add(`${definition.in}:${definition.parameterName.toLowerCase()}`);
    }
  }
  return keys;
}

/** Checks the operations that declared auth names and resolves them to operation keys. */
export function resolveDeclaredAuth(model: ApiModel, declared: DeclaredAuth[], file: string): UpstreamContext['declared'] {
  return declared.map((auth) => {
    if (!auth.operations) return { auth };
    const keys = auth.operations.map((ref) => {
      const operation = model.operations.find((candidate) => candidate.operationId === ref || candidate.key === ref || candidate.key === normalizeKey(ref));
      if (!operation) {
        throw new UserError({
          code: 'config-unknown-operation',
          file,
          line: auth.line,
          message: `upstreamAuth "${auth.name}" names operation "${ref}", which does not exist in the spec`,
          help: 'Name operations by operationId or as "METHOD /path".',
        });
      }
      return operation.key;
    });
    return { auth, operations: new Set(keys) };
  });
}

export function declaredScheme(auth: DeclaredAuth): SecuritySchemeModel {
  switch (auth.type) {
    case 'apiKey':
      return { name: auth.name, type: 'apiKey', in: auth.in ?? 'header', parameterName: auth.parameterName ?? 'X-API-Key' };
    case 'basic':
      return { name: auth.name, type: 'http', scheme: 'basic' };
    case 'bearer':
      return { name: auth.name, type: 'http', scheme: 'bearer' };
    case 'oauth2':
      return { name: auth.name, type: 'oauth2', flows: { clientCredentials: { ...(auth.tokenUrl ? { tokenUrl: auth.tokenUrl } : {}), scopes: {} } } };
  }
}

/**
 * The runtime form of the schemes the tools use, by name: declared auth with its configured scopes, spec schemes
 * with the scopes the included operations require.
 */
export function runtimeSchemes(
  context: UpstreamContext,
  {
    decisions,
    usedSchemes,
    baseUrl,
    reserved,
    warnings,
  }: { decisions: Decisions; usedSchemes: Set<string>; baseUrl: string | undefined; reserved: ReadonlySet<string>; warnings: Diagnostic[] },
): Record<string, SecurityScheme> {
  const envPrefix = decisions.server.envPrefix;
  const modelOf = (name: string) => context.extraSchemes.get(name) ?? context.model.securitySchemes[name]!;
  const variableOf = (name: string) => `${envPrefix}_${toWords(modelOf(name).name).join('_').toUpperCase()}`;
  const build = (name: string, variable: string) =>
    toRuntimeScheme(modelOf(name), {
      variable,
      scopes: context.extraSchemes.get(name)?.type === 'oauth2' ? [...(decisions.upstreamAuth?.find((auth) => auth.name === name)?.scopes ?? [])].sort() : scopesOf(decisions, name),
      baseUrl,
    });
  const names = [...usedSchemes].sort();
  const plain = new Map(names.map((name) => [name, build(name, variableOf(name))]));
  const uses = new Map<string, number>();
  for (const scheme of plain.values()) for (const variable of schemeVariables(scheme)) uses.set(variable, (uses.get(variable) ?? 0) + 1);
  const schemeEntries: [string, SecurityScheme][] = [];
  for (const name of names) {
    let scheme = plain.get(name);
    const shared = schemeVariables(scheme).filter((variable) => reserved.has(variable) || uses.get(variable)! > 1);
    if (shared.length > 0) {
      // Spelled alike (`api-key`, `api_key`) or named like a setting: each gets variables of its own, whatever the order.
      scheme = build(name, `${variableOf(name)}_${shortHash(name).toUpperCase()}`);
      warnings.push({
        code: 'scheme-variable',
        file: context.model.source,
        message: `the security scheme "${name}" would be read from ${shared.join(', ')}, which ${reserved.has(shared[0]!) ? 'a setting of the server' : 'another scheme'} uses too; it is read from ${schemeVariables(scheme).join(', ')} instead`,
      });
    }
    if (scheme) schemeEntries.push([name, scheme]);
  }
  // Built from entries: a scheme named `__proto__` stays an ordinary property.
  return Object.fromEntries(schemeEntries);
}

/** The environment variables a runtime scheme reads. */
function schemeVariables(scheme: SecurityScheme | undefined): string[] {
  if (!scheme) return [];
  if (scheme.type === 'basic') return [scheme.usernameEnv, scheme.passwordEnv];
  const flow = scheme.type === 'bearer' ? scheme.clientCredentials : undefined;
  return [scheme.env, ...(flow ? [flow.clientIdEnv, flow.clientSecretEnv, flow.tokenUrlEnv, flow.scopesEnv] : [])];
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

/** A scheme as the runtime reads it; `variable` is what its environment variables are named from. */
function toRuntimeScheme(
  scheme: SecuritySchemeModel,
  { variable: base, scopes, baseUrl }: { variable: string; scopes: string[]; baseUrl: string | undefined },
): SecurityScheme | undefined {
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
