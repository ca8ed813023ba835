import { createHash } from 'node:crypto';
import { checkUrl, ConfigError, isLoopbackHost, readInteger, readList, readUrl, type EnvReader } from './env.js';

/** An accepted static bearer token: its SHA-256 and a label that names the caller in the audit log. */
export type StaticToken = { label: string; sha256: Buffer };

/** How HTTP clients authenticate to this server. */
export type InboundAuth =
  | { kind: 'none' }
  | { kind: 'tokens'; tokens: StaticToken[]; plainTokens: string[] }
  | {
      kind: 'oauth';
      /** The authorization server's issuer identifier, checked against the token's `iss`. */
      issuer: string;
      /** Where the signing keys are; discovered from the issuer's metadata when absent. */
      jwksUrl?: string;
      /** The `aud` value tokens must carry: this server's resource identifier. */
      audience: string;
      /** Scopes every token must have. */
      scopes: string[];
    };

/** How the server is served: over stdio, or over Streamable HTTP with these settings. */
export type TransportConfig =
  | { transport: 'stdio' }
  | {
      transport: 'http';
      host: string;
      port: number;
      /** The public URL of the MCP endpoint, e.g. `https://mcp.example.com/mcp`, when known. */
      publicUrl?: URL;
      /** Browser origins allowed besides loopback ones (when bound to loopback), e.g. `https://app.example.com`. */
      allowedOrigins: string[];
      /** Host names the `Host` header may carry; undefined accepts any. */
      allowedHosts?: string[];
      auth: InboundAuth;
    };

/** Names of the environment variables of the HTTP transport. */
export function httpVariableNames(envPrefix: string) {
  return {
    transport: `${envPrefix}_TRANSPORT`,
    host: `${envPrefix}_HOST`,
    port: `${envPrefix}_PORT`,
    publicUrl: `${envPrefix}_PUBLIC_URL`,
    allowedOrigins: `${envPrefix}_ALLOWED_ORIGINS`,
    allowedHosts: `${envPrefix}_ALLOWED_HOSTS`,
    tokenHashes: `${envPrefix}_AUTH_TOKEN_HASHES`,
    tokensFile: `${envPrefix}_AUTH_TOKENS_FILE`,
    issuer: `${envPrefix}_OAUTH_ISSUER`,
    jwksUrl: `${envPrefix}_OAUTH_JWKS_URL`,
    audience: `${envPrefix}_OAUTH_AUDIENCE`,
    scopes: `${envPrefix}_OAUTH_SCOPES`,
  };
}

/**
 * Reads the transport settings from the command line (`--transport http`) and the environment. Refuses to serve
 * HTTP on a non-loopback address without inbound authentication.
 */
export function readTransportConfig(
  envPrefix: string,
  read: EnvReader,
  argv: string[],
  readFile: (path: string) => string,
): TransportConfig {
  const names = httpVariableNames(envPrefix);
  const transport = transportArgument(argv) ?? read(names.transport) ?? 'stdio';
  if (transport === 'stdio') return { transport };
  if (transport !== 'http') throw new ConfigError(`The transport must be "stdio" or "http" (got "${transport}"). Use --transport http or set ${names.transport}.`);
  const host = read(names.host) ?? '127.0.0.1';
  const publicUrl = readUrl(read, names.publicUrl, { allowHttp: true });
  const auth = readInboundAuth(names, read, readFile, publicUrl);
  if (auth.kind === 'none' && !isLoopbackHost(host)) {
    throw new ConfigError(
      `${names.host}=${host} exposes the server beyond this machine, so clients must authenticate. Set ${names.tokenHashes} or ${names.tokensFile} (static tokens), or ${names.issuer} (OAuth), or bind to 127.0.0.1.`,
    );
  }
  const allowedHosts = readList(read, names.allowedHosts)?.map((name) => name.toLowerCase());
  return {
    transport: 'http',
    host,
    port: readInteger(read, names.port, { fallback: 3000, min: 0, max: 65_535 }),
    ...(publicUrl ? { publicUrl } : {}),
    allowedOrigins: (readList(read, names.allowedOrigins) ?? []).map((origin) => normalizeOrigin(names.allowedOrigins, origin)),
    ...(allowedHosts ? { allowedHosts } : isLoopbackHost(host) ? { allowedHosts: ['localhost', '127.0.0.1', '[::1]'] } : {}),
    auth,
  };
}

function transportArgument(argv: string[]): string | undefined {
  const index = argv.findIndex((arg) => arg === '--transport' || arg.startsWith('--transport='));
  if (index < 0) return undefined;
  const arg = argv[index]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  if (!value) throw new ConfigError('--transport needs a value: stdio or http.');
  return value;
}

function readInboundAuth(
  names: ReturnType<typeof httpVariableNames>,
  read: EnvReader,
  readFile: (path: string) => string,
  publicUrl: URL | undefined,
): InboundAuth {
  const tokens: StaticToken[] = [];
  const plainTokens: string[] = [];
  for (const entry of readList(read, names.tokenHashes) ?? []) tokens.push(parseHashEntry(names.tokenHashes, entry));
  const file = read(names.tokensFile);
  if (file) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new ConfigError(`${names.tokensFile} names a file that cannot be read (${file}: ${(error as { code?: string }).code ?? String(error)}).`);
    }
    text.split(/\r?\n/).forEach((raw, index) => {
      const fields = raw.trim().split(/\s+/).filter(Boolean);
      if (fields.length === 0 || fields[0]!.startsWith('#')) return;
      if (fields.length > 2) throw new ConfigError(`Line ${index + 1} of ${names.tokensFile} must be "[label] token" or "[label] sha256:<hex>".`);
      const [label, value] = fields.length === 2 ? [fields[0]!, fields[1]!] : [undefined, fields[0]!];
      if (/^sha256:/i.test(value)) tokens.push(parseHashEntry(names.tokensFile, label ? `${label}=${value}` : value));
      else {
        if (value.length < 32) throw new ConfigError(`Line ${index + 1} of ${names.tokensFile} holds a token shorter than 32 characters; use a long random token.`);
        plainTokens.push(value);
        const sha256 = createHash('sha256').update(value).digest();
        tokens.push({ label: label ?? defaultLabel(sha256), sha256 });
      }
    });
  }
  const issuer = read(names.issuer);
  if (issuer) checkUrl(names.issuer, issuer);
  if (issuer && tokens.length > 0) {
    throw new ConfigError(`Set either static tokens (${names.tokenHashes}, ${names.tokensFile}) or OAuth (${names.issuer}), not both.`);
  }
  if (tokens.length > 0) return { kind: 'tokens', tokens, plainTokens };
  if (!issuer) return { kind: 'none' };
  const audience = read(names.audience) ?? publicUrl?.href;
  if (!audience) throw new ConfigError(`${names.issuer} is set, so set ${names.publicUrl} to this server's public MCP URL (e.g. https://mcp.example.com/mcp), which tokens must name as their audience.`);
  const jwksUrl = readUrl(read, names.jwksUrl);
  return {
    kind: 'oauth',
    issuer,
    ...(jwksUrl ? { jwksUrl: jwksUrl.href } : {}),
    audience,
    scopes: readList(read, names.scopes) ?? [],
  };
}

function parseHashEntry(variable: string, entry: string): StaticToken {
  const match = /^(?:([A-Za-z0-9_.@-]{1,64})=)?(?:sha256:)?([0-9a-fA-F]{64})$/.exec(entry);
  if (!match) {
    throw new ConfigError(`${variable} entries must be [label=]sha256:<64 hex digits>, the SHA-256 of a token (e.g. from: printf %s "$TOKEN" | sha256sum).`);
  }
  const sha256 = Buffer.from(match[2]!, 'hex');
  return { label: match[1] ?? defaultLabel(sha256), sha256 };
}

function defaultLabel(sha256: Buffer): string {
  return `token-${sha256.toString('hex').slice(0, 8)}`;
}

function normalizeOrigin(variable: string, text: string): string {
  try {
    const url = new URL(text);
    if (url.origin === 'null') throw new Error('opaque');
    return url.origin;
  } catch {
    throw new ConfigError(`${variable} must list origins such as https://app.example.com (got "${text}").`);
  }
}
