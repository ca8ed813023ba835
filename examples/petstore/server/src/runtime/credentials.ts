import type { ServerDefinition } from './definition.js';
import { checkUrl, ConfigError, readList, type EnvReader } from './env.js';

/** Secrets shorter than this are refused: redacting them would garble ordinary text, and not redacting them would leak them. */
export const minSecretLength = 8;

/** An upstream credential ready to be placed on a request. */
export type Credential =
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; value: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

/** Ready credentials by security scheme name. */
export type Credentials = { [scheme: string]: Credential };

/** What the server needs to fetch its own OAuth 2.0 access token with the client-credentials grant. */
export type ClientCredentialsGrant = {
  clientId: string;
  clientSecret: string;
  /** The token endpoint; when absent, it is discovered from `discoveryUrl`. */
  tokenUrl?: string;
  discoveryUrl?: string;
  scopes: string[];
};

/** A configured credential: ready, or an OAuth 2.0 grant whose token is fetched when needed. */
export type CredentialSource = Credential | { type: 'clientCredentials'; grant: ClientCredentialsGrant };

/** Configured credentials by security scheme name; a scheme whose variables are unset is absent. */
export type CredentialSources = { [scheme: string]: CredentialSource };

/** Reads every security scheme's credentials; throws a `ConfigError` naming the variable when one is half configured. */
export function readCredentials(serverDefinition: ServerDefinition, read: EnvReader): CredentialSources {
  const credentials: CredentialSources = {};
  for (const [scheme, definition] of Object.entries(serverDefinition.securitySchemes)) {
    if (definition.type === 'apiKey') {
      const value = read(definition.env);
      if (value) credentials[scheme] = { type: 'apiKey', in: definition.in, name: definition.name, value: checkSecret(definition.env, value) };
    } else if (definition.type === 'bearer') {
      const flow = definition.clientCredentials;
      const pair = flow ? readPair(scheme, read, flow.clientIdEnv, flow.clientSecretEnv) : undefined;
      if (flow && pair) {
        const tokenUrl = read(flow.tokenUrlEnv) ?? flow.tokenUrl;
        const source = read(flow.tokenUrlEnv) ? flow.tokenUrlEnv : `the token URL of the "${scheme}" scheme`;
        if (!tokenUrl && !flow.discoveryUrl) {
          throw new ConfigError(`${flow.clientIdEnv} is set, but the spec names no token endpoint for the "${scheme}" scheme. Set ${flow.tokenUrlEnv}.`);
        }
        credentials[scheme] = {
          type: 'clientCredentials',
          grant: {
            clientId: pair[0],
            clientSecret: checkSecret(flow.clientSecretEnv, pair[1]),
            ...(tokenUrl ? { tokenUrl: checkUrl(source, tokenUrl).href } : {}),
            ...(flow.discoveryUrl ? { discoveryUrl: checkUrl(`the discovery URL of the "${scheme}" scheme`, flow.discoveryUrl).href } : {}),
            scopes: readList(read, flow.scopesEnv) ?? flow.scopes,
          },
        };
      } else {
        const token = read(definition.env);
        if (token) credentials[scheme] = { type: 'bearer', token: checkSecret(definition.env, token) };
      }
    } else {
      const pair = readPair(scheme, read, definition.usernameEnv, definition.passwordEnv);
      if (pair) credentials[scheme] = { type: 'basic', username: pair[0], password: checkSecret(definition.passwordEnv, pair[1]) };
    }
  }
  return credentials;
}

function readPair(scheme: string, read: EnvReader, firstEnv: string, secondEnv: string): [string, string] | undefined {
  const first = read(firstEnv);
  const second = read(secondEnv);
  if (first && second) return [first, second];
  if (first || second) {
    const [set, unset] = first ? [firstEnv, secondEnv] : [secondEnv, firstEnv];
    throw new ConfigError(`${set} is set but ${unset} is not. Set both for the "${scheme}" scheme, or neither.`);
  }
  return undefined;
}

/**
 * Every secret a configured credential holds, for redaction; the redactor also finds each in its encoded forms
 * (URL, form, JSON, base64 alone or inside Basic `user:pass`).
 */
export function secretsOf(source: CredentialSource): string[] {
  switch (source.type) {
    case 'apiKey':
      return [source.value];
    case 'bearer':
      return [source.token];
    case 'basic':
      return [source.password, `${source.username}:${source.password}`, ...identifier(source.username)];
    case 'clientCredentials': {
      const { clientId, clientSecret } = source.grant;
      const formPair = `${new URLSearchParams({ v: clientId }).toString().slice(2)}:${new URLSearchParams({ v: clientSecret }).toString().slice(2)}`;
      return [clientSecret, `${clientId}:${clientSecret}`, formPair, ...identifier(clientId)];
    }
  }
}

/** User names and client ids are redacted too, unless they are so short that hiding them would garble ordinary text. */
function identifier(text: string): string[] {
  return [...text].length >= minSecretLength ? [text] : [];
}

/** Refuses a secret too short to be redacted reliably, naming the variable that holds it. */
function checkSecret(variable: string, value: string): string {
  if ([...value].length < minSecretLength) {
    throw new ConfigError(
      `${variable} is shorter than ${minSecretLength} characters. A secret that short cannot be kept out of the server's output reliably; use the full credential the API issued.`,
    );
  }
  return value;
}
