import { findMissingCredentials } from './auth.js';
import { createAudit, createFileSink, type Audit, type FileSink } from './audit.js';
import { ConfigError, configVariableNames, type RuntimeConfig } from './config.js';
import type { Credentials } from './credentials.js';
import { createConfirmationGuard, type ConfirmationGuard } from './confirmation.js';
import type { ServerDefinition, ToolDefinition } from './definition.js';
import type { Hooks } from './hooks.js';
import { createLimiter, type Limiter } from './limiter.js';
import { createLogger, stderrSink, type Logger } from './log.js';
import { createTokenSource, type TokenSource } from './oauth-client.js';
import { selectServedTools } from './policy.js';
import { createRedactor, type Redactor } from './redact.js';
import type { SearchIndex } from './tool-search.js';

/** What a runtime is created from. */
export type RuntimeOptions = {
  serverDefinition: ServerDefinition;
  /** Every tool of the server; the read-only switch and allow-list in `config` narrow them. */
  tools: ToolDefinition[];
  config: RuntimeConfig;
  /** Further secrets to keep out of every output, e.g. inbound tokens read from a file. */
  secrets?: string[];
  /** Defaults to JSON lines on stderr. */
  log?: Logger;
  /** Defaults to JSON lines on stderr, or in `config.auditFile`. */
  audit?: Audit;
  /** The project's own request and response handling, from `src/hooks.ts`. */
  hooks?: Hooks;
  /** Loads the search index built at generation time (discovery and hybrid modes), on the first search. */
  loadSearchIndex?: () => Promise<SearchIndex | undefined>;
};

/**
 * The state shared by every server instance of one process: served tools, redaction, logs, the upstream
 * concurrency limit and cached access tokens. HTTP builds a server per request from it; stdio builds one.
 */
export type Runtime = {
  serverDefinition: ServerDefinition;
  /** The tools this process serves. */
  tools: ToolDefinition[];
  config: RuntimeConfig;
  redact: Redactor;
  log: Logger;
  audit: Audit;
  limiter: Limiter;
  hooks: Hooks;
  userAgent: string;
  loadSearchIndex?: () => Promise<SearchIndex | undefined>;
  /** Ties each confirmation the user gives to the one call it was asked for. */
  confirmations: ConfirmationGuard;
  /** Credentials ready for a request, fetching access tokens where needed; `fetched` lists the schemes whose token was fetched. */
  resolveCredentials(schemes: string[]): Promise<{ ready: Credentials; fetched: { scheme: string; token: string }[] }>;
  /** Drops access tokens that the API rejected. */
  forgetTokens(tokens: { scheme: string; token: string }[]): void;
  /** Releases the audit file, if any. */
  close(): void;
};

/** Creates the runtime; throws a `ConfigError` when the tool allow-list names an unknown tool or the audit file cannot be opened. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { serverDefinition, config } = options;
  const redact = createRedactor(config.credentials, [
    ...(options.secrets ?? []),
    ...(config.confirmationKey ? [config.confirmationKey] : []),
    ...Object.values(config.pinned ?? {}),
  ]);
  const log = options.log ?? createLogger({ server: serverDefinition.name, redact });
  const tools = selectServedTools(options.tools, config, configVariableNames(serverDefinition.envPrefix).tools);
  const fileSink = !options.audit && config.auditFile ? openAuditFile(config.auditFile, configVariableNames(serverDefinition.envPrefix).auditFile) : undefined;
  const audit = options.audit ?? createAudit({ server: serverDefinition.name, redact, sink: fileSink ?? stderrSink });
  const tokens = new Map<string, TokenSource>();
  for (const [scheme, source] of Object.entries(config.credentials)) {
    if (source.type === 'clientCredentials') {
      tokens.set(scheme, createTokenSource(source.grant, { timeoutMs: config.timeoutMs, onToken: (token) => redact.add(token) }));
    }
  }
  const missing = findMissingCredentials(serverDefinition, tools, config.credentials);
  if (missing) log('warn', missing);
  return {
    serverDefinition,
    tools,
    config,
    redact,
    log,
    audit,
    limiter: createLimiter(config.maxConcurrency),
    hooks: options.hooks ?? {},
    userAgent: userAgentOf(serverDefinition),
    ...(options.loadSearchIndex ? { loadSearchIndex: options.loadSearchIndex } : {}),
    confirmations: createConfirmationGuard(config.confirmationKey),
    async resolveCredentials(schemes) {
      const ready: Credentials = {};
      const fetched: { scheme: string; token: string }[] = [];
      for (const scheme of schemes) {
        const source = config.credentials[scheme]!;
        if (source.type !== 'clientCredentials') ready[scheme] = source;
        else {
          const token = await tokens.get(scheme)!.token();
          ready[scheme] = { type: 'bearer', token };
          fetched.push({ scheme, token });
        }
      }
      return { ready, fetched };
    },
    forgetTokens(rejected) {
      for (const { scheme, token } of rejected) tokens.get(scheme)?.invalidate(token);
    },
    close() {
      fileSink?.close();
    },
  };
}

function openAuditFile(path: string, variable: string): FileSink {
  try {
    return createFileSink(path);
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw new ConfigError(`${variable} names a file that cannot be opened for appending (${path}: ${reason}). Fix the path or unset ${variable}.`);
  }
}

/**
 * The `User-Agent` sent upstream: the server's name and version, with anything a header cannot carry (such as an
 * en dash in the API's version) percent-encoded, so that no version string can break every call.
 */
export function userAgentOf(serverDefinition: Pick<ServerDefinition, 'name' | 'version'>): string {
  const product = `${serverDefinition.name}-mcp-server/${serverDefinition.version}`;
  return product.replace(/[^\x21-\x7e]/gu, (char) => [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
