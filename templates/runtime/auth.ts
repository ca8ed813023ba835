import type { Credential } from './credentials.js';
import type { ServerDefinition, ToolDefinition } from './definition.js';
import { encodeStrict } from './serialize.js';

/**
 * Picks the first security alternative whose credentials are all configured: `[]` when the operation needs no
 * authentication, `undefined` when it needs some and none is configured.
 */
export function selectCredentials<T>(security: string[][], credentials: { [scheme: string]: T }): T[] | undefined {
  return selectSchemes(security, credentials)?.map((name) => credentials[name]!);
}

/** The names of the schemes {@link selectCredentials} picks. */
export function selectSchemes(security: string[][], credentials: { [scheme: string]: unknown }): string[] | undefined {
  if (security.length === 0) return [];
  return security.find((names) => names.every((name) => Object.hasOwn(credentials, name) && credentials[name] !== undefined));
}

/** Places a credential on a request under construction: a header, a query pair or a cookie pair. */
export function applyCredential(
  credential: Credential,
  request: { headers: { [name: string]: string }; query: string[]; cookies: string[] },
): void {
  if (credential.type === 'bearer') request.headers.authorization = `Bearer ${credential.token}`;
  else if (credential.type === 'basic') {
    request.headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  } else if (credential.in === 'header') request.headers[credential.name.toLowerCase()] = credential.value;
  else if (credential.in === 'query') request.query.push(`${encodeStrict(credential.name)}=${encodeStrict(credential.value)}`);
  else request.cookies.push(`${credential.name}=${credential.value}`);
}

/** Says which environment variables would satisfy an operation's security requirement, e.g. `set PETSTORE_API_KEY, or PETSTORE_TOKEN`. */
export function describeCredentialVariables(serverDefinition: ServerDefinition, security: string[][]): string {
  const alternatives = security.map((names) =>
    names
      .flatMap((name) => {
        const scheme = Object.hasOwn(serverDefinition.securitySchemes, name) ? serverDefinition.securitySchemes[name] : undefined;
        if (!scheme) return [`(unknown scheme "${name}")`];
        if (scheme.type === 'basic') return [scheme.usernameEnv, scheme.passwordEnv];
        const flow = scheme.type === 'bearer' ? scheme.clientCredentials : undefined;
        return flow ? [`${scheme.env} (or ${flow.clientIdEnv} and ${flow.clientSecretEnv})`] : [scheme.env];
      })
      .join(' and '),
  );
  return `set ${[...new Set(alternatives)].join(', or ')}`;
}

/** A start-up warning naming the tools that need credentials none of which are configured, or undefined when all are covered. */
export function findMissingCredentials(
  serverDefinition: ServerDefinition,
  tools: ToolDefinition[],
  credentials: { [scheme: string]: unknown },
): string | undefined {
  const uncovered = tools.filter((tool) => selectCredentials(tool.http.security, credentials) === undefined);
  if (uncovered.length === 0) return undefined;
  const names = uncovered.map((tool) => tool.name).join(', ');
  const variables = [...new Set(uncovered.map((tool) => describeCredentialVariables(serverDefinition, tool.http.security)))].join('; ');
  return `${uncovered.length} tool(s) need upstream credentials that are not configured (${names}); their calls are sent without them and will likely fail with HTTP 401. To fix it, ${variables}.`;
}
