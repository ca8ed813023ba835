import type { ServerDefinition } from './definition.js';

/** An upstream credential read from the environment, ready to be placed on a request. */
export type Credential =
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; value: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

/** Configured credentials by security scheme name; a scheme whose variables are unset is absent. */
export type Credentials = { [scheme: string]: Credential };

/** Everything the runtime needs from the environment, validated. */
export type RuntimeConfig = {
  /** Absolute http(s) URL without a trailing slash, query or fragment, e.g. `https://api.example.com/v2`. */
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number;
  credentials: Credentials;
};

/** The environment is missing a setting or holds an unusable one; the message says which and how to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const defaultTimeoutMs = 30_000;
const defaultMaxResponseBytes = 1_000_000;

/** Names of the environment variables that the runtime reads besides each security scheme's own. */
export function configVariableNames(envPrefix: string): { baseUrl: string; timeoutMs: string; maxResponseBytes: string } {
  return {
    baseUrl: `${envPrefix}_BASE_URL`,
    timeoutMs: `${envPrefix}_TIMEOUT_MS`,
    maxResponseBytes: `${envPrefix}_MAX_RESPONSE_BYTES`,
  };
}

/** Reads and validates the runtime configuration from environment variables; throws a `ConfigError` that names the variable to fix. */
export function readConfig(serverDefinition: ServerDefinition, env: { [name: string]: string | undefined }): RuntimeConfig {
  const names = configVariableNames(serverDefinition.envPrefix);
  return {
    baseUrl: readBaseUrl(names.baseUrl, value(env, names.baseUrl), serverDefinition.defaultBaseUrl),
    timeoutMs: readInteger(names.timeoutMs, value(env, names.timeoutMs), defaultTimeoutMs, 600_000),
    maxResponseBytes: readInteger(names.maxResponseBytes, value(env, names.maxResponseBytes), defaultMaxResponseBytes, 100_000_000),
    credentials: readCredentials(serverDefinition, env),
  };
}

function value(env: { [name: string]: string | undefined }, name: string): string | undefined {
  const text = env[name]?.trim();
  return text ? text : undefined;
}

function readBaseUrl(name: string, configured: string | undefined, fallback: string | undefined): string {
  const text = configured ?? fallback;
  const source = configured ? name : `the default base URL (${name} is not set)`;
  const example = `${name}=https://api.example.com/v1`;
  if (!text) throw new ConfigError(`${name} is not set. Set it to the base URL of the API or your API gateway, e.g. ${example}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${source} is not an absolute URL: "${text}". Set ${name} to an http(s) URL, e.g. ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${source} must use http or https, not "${url.protocol}". Set ${name} to an http(s) URL, e.g. ${example}`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${name} must not contain a user name or password. Remove them and set the credential variables instead.`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${source} must not contain a query string or fragment: "${text}". Set ${name} to scheme, host and path only.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function readInteger(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const parsed = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
    throw new ConfigError(`${name} must be a whole number between 1 and ${max} (got "${text}"). Unset it to use the default, ${fallback}.`);
  }
  return parsed;
}

function readCredentials(serverDefinition: ServerDefinition, env: { [name: string]: string | undefined }): Credentials {
  const credentials: Credentials = {};
  for (const [scheme, definition] of Object.entries(serverDefinition.securitySchemes)) {
    if (definition.type === 'apiKey') {
      const key = value(env, definition.env);
      if (key) credentials[scheme] = { type: 'apiKey', in: definition.in, name: definition.name, value: key };
    } else if (definition.type === 'bearer') {
      const token = value(env, definition.env);
      if (token) credentials[scheme] = { type: 'bearer', token };
    } else {
      const username = value(env, definition.usernameEnv);
      const password = value(env, definition.passwordEnv);
      if (username && password) credentials[scheme] = { type: 'basic', username, password };
      else if (username || password) {
        const [set, unset] = username ? [definition.usernameEnv, definition.passwordEnv] : [definition.passwordEnv, definition.usernameEnv];
        throw new ConfigError(`${set} is set but ${unset} is not. Set both for the "${scheme}" scheme, or neither.`);
      }
    }
  }
  return credentials;
}
