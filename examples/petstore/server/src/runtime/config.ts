import { readCredentials, type CredentialSources } from './credentials.js';
import type { ServerDefinition } from './definition.js';
import { ConfigError, createEnvReader, readBoolean, readInteger, readList, type Environment, type EnvReader } from './env.js';

export { ConfigError } from './env.js';
export type { Credential, Credentials } from './credentials.js';

/** Everything the runtime needs from the environment, validated. */
export type RuntimeConfig = {
  /** Absolute http(s) URL without a trailing slash, query or fragment, e.g. `https://api.example.com/v2`. */
  baseUrl: string;
  /** Timeout of each upstream attempt. */
  timeoutMs: number;
  /** The longest one tool call may take, retries and `Retry-After` waits included (below a client's usual 60 s). */
  callDeadlineMs: number;
  maxResponseBytes: number;
  /** Retries after the first attempt, for idempotent methods only. */
  maxRetries: number;
  /** Upstream requests in flight at once, across all clients; further calls wait. */
  maxConcurrency: number;
  credentials: CredentialSources;
  /** Only tools marked read-only are served. */
  readOnly: boolean;
  /** When set, only these tools are served. */
  allowedTools?: string[];
  /** Audit lines go to this file instead of stderr. */
  auditFile?: string;
  /** Base URLs of tools with servers of their own, by name (see `ServerDefinition.baseUrls`). */
  baseUrls?: { [name: string]: string };
  /** Values of pinned arguments, by environment variable; secrets like credentials. */
  pinned?: { [variable: string]: string };
  /**
   * Accept the model's `confirm: true` for tools that need confirmation where the server cannot tell whether the
   * client could have asked the user (stateless 2025-11-25 HTTP). Off by default: such calls are refused.
   */
  confirmByArgument: boolean;
  /** Signs the confirmations the server asks for; the same on every replica, so that any of them accepts the answer. */
  confirmationKey?: string;
};

const defaults = { timeoutMs: 30_000, callDeadlineMs: 50_000, maxResponseBytes: 1_000_000, maxRetries: 2, maxConcurrency: 16 };

/** Names of the environment variables the runtime reads, besides each security scheme's own and the HTTP settings. */
export function configVariableNames(envPrefix: string) {
  return {
    baseUrl: `${envPrefix}_BASE_URL`,
    timeoutMs: `${envPrefix}_TIMEOUT_MS`,
    callDeadlineMs: `${envPrefix}_CALL_DEADLINE_MS`,
    maxResponseBytes: `${envPrefix}_MAX_RESPONSE_BYTES`,
    maxRetries: `${envPrefix}_MAX_RETRIES`,
    maxConcurrency: `${envPrefix}_MAX_CONCURRENCY`,
    readOnly: `${envPrefix}_READ_ONLY`,
    tools: `${envPrefix}_TOOLS`,
    auditFile: `${envPrefix}_AUDIT_FILE`,
    confirmByArgument: `${envPrefix}_CONFIRM_BY_ARGUMENT`,
    confirmationKey: `${envPrefix}_CONFIRMATION_KEY`,
    credentialsFile: `${envPrefix}_CREDENTIALS_FILE`,
  };
}

/** The base URL a tool's requests go to: its own server's, or the server's; never another tool's host. */
export function baseUrlOf(config: RuntimeConfig, server: string | undefined): string {
  if (server === undefined) return config.baseUrl;
  const own = config.baseUrls?.[server];
  if (!own) throw new Error(`no base URL is configured for the server "${server}"`);
  return own;
}

/** Reads and validates the runtime configuration; throws a `ConfigError` that names the variable to fix. */
export function readConfig(serverDefinition: ServerDefinition, env: Environment | EnvReader): RuntimeConfig {
  const read = typeof env === 'function' ? env : createEnvReader(serverDefinition.envPrefix, env);
  const names = configVariableNames(serverDefinition.envPrefix);
  const allowedTools = readList(read, names.tools);
  const auditFile = read(names.auditFile);
  const confirmationKey = read(names.confirmationKey);
  if (confirmationKey !== undefined && confirmationKey.length < 32) {
    throw new ConfigError(`${names.confirmationKey} must be at least 32 characters long, e.g. from: openssl rand -hex 32`);
  }
  return {
    baseUrl: readBaseUrl(names.baseUrl, read(names.baseUrl), serverDefinition.defaultBaseUrl),
    timeoutMs: readInteger(read, names.timeoutMs, { fallback: defaults.timeoutMs, max: 600_000 }),
    callDeadlineMs: readInteger(read, names.callDeadlineMs, { fallback: defaults.callDeadlineMs, max: 3_600_000 }),
    maxResponseBytes: readInteger(read, names.maxResponseBytes, { fallback: defaults.maxResponseBytes, max: 100_000_000 }),
    maxRetries: readInteger(read, names.maxRetries, { fallback: defaults.maxRetries, min: 0, max: 10 }),
    maxConcurrency: readInteger(read, names.maxConcurrency, { fallback: defaults.maxConcurrency, max: 10_000 }),
    credentials: readCredentials(serverDefinition, read),
    readOnly: readBoolean(read, names.readOnly, false),
    confirmByArgument: readBoolean(read, names.confirmByArgument, false),
    ...(allowedTools ? { allowedTools } : {}),
    ...(auditFile ? { auditFile } : {}),
    ...(serverDefinition.baseUrls
      ? {
          baseUrls: Object.fromEntries(
            Object.entries(serverDefinition.baseUrls).map(([name, { env, defaultUrl }]) => [name, readBaseUrl(env, read(env), defaultUrl)]),
          ),
        }
      : {}),
    ...(serverDefinition.pinnedVariables ? { pinned: readPinned(serverDefinition.pinnedVariables, read) } : {}),
    ...(confirmationKey ? { confirmationKey } : {}),
  };
}

function readPinned(variables: string[], read: EnvReader): { [variable: string]: string } {
  const pinned: { [variable: string]: string } = {};
  for (const variable of variables) {
    const value = read(variable);
    if (value === undefined) throw new ConfigError(`${variable} is not set. toolwright.yaml pins a tool argument to it; set it to the value to send.`);
    pinned[variable] = value;
  }
  return pinned;
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
