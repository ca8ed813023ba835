import { minSecretLength, type ClientCredentialsGrant } from './credentials.js';
import { checkUrl } from './env.js';
import { readBody } from './read-body.js';

/** The server's own access token for one client-credentials grant: fetched when first needed, cached, refreshed before it expires. */
export type TokenSource = {
  /** A valid access token; concurrent callers share one token request. */
  token(): Promise<string>;
  /** Forgets a token the API rejected, so that the next call fetches a new one. */
  invalidate(token: string): void;
};

/** The token could not be obtained; the message says why, without any secret. */
export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    message: string,
    /** Whether trying again later may help (network trouble or a 5xx), as opposed to a configuration problem. */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

type Endpoint = { url: string; clientAuth: 'basic' | 'post' };
type Cached = { token: string; refreshAt: number; expiresAt: number };

const maxTokenResponseBytes = 64 * 1024;
const defaultLifetimeMs = 3_600_000;

/**
 * Creates the token source of a client-credentials grant. A token is refreshed in the background once 80% of
 * its lifetime (at most one minute before expiry) has passed, and not used in its last seconds.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export function createTokenSource(
  grant: ClientCredentialsGrant,
  { timeoutMs, onToken, now = Date.now }: { timeoutMs: number; onToken: (token: string) => void; now?: () => number },
): TokenSource {
  let cached: Cached | undefined;
  let pending: Promise<string> | undefined;
  let endpoint: Promise<Endpoint> | undefined;

  const resolveEndpoint = (): Promise<Endpoint> => {
    endpoint ??= grant.tokenUrl
      ? Promise.resolve({ url: grant.tokenUrl, clientAuth: 'basic' as const })
      : discoverEndpoint(grant.discoveryUrl!, timeoutMs).catch((error: unknown) => {
          endpoint = undefined;
          throw error;
        });
    return endpoint;
  };

  const refresh = (): Promise<string> => {
    pending ??= (async () => {
      const started = now();
      const { token, lifetimeMs } = await requestToken(grant, await resolveEndpoint(), timeoutMs);
      onToken(token);
      const margin = Math.min(60_000, lifetimeMs * 0.2);
      cached = { token, refreshAt: started + lifetimeMs - margin, expiresAt: started + lifetimeMs - Math.min(5_000, lifetimeMs * 0.05) };
      return token;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    token() {
      const time = now();
      if (cached && time < cached.refreshAt) return Promise.resolve(cached.token);
      const next = refresh();
      if (cached && time < cached.expiresAt) {
        next.catch(() => undefined);
        return Promise.resolve(cached.token);
      }
      return next;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

async function discoverEndpoint(discoveryUrl: string, timeoutMs: number): Promise<Endpoint> {
  const document = await fetchJson(discoveryUrl, { headers: { accept: 'application/json' } }, timeoutMs, 'the OpenID Connect discovery document');
  if (typeof document.token_endpoint !== 'string') {
    throw new TokenError(`the OpenID Connect discovery document at ${discoveryUrl} has no token_endpoint`, false);
  }
  const url = checkUrl('the token_endpoint of the discovery document', document.token_endpoint).href;
  const methods = document.token_endpoint_auth_methods_supported;
  const postOnly = Array.isArray(methods) && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
  return { url, clientAuth: postOnly ? 'post' : 'basic' };
}

async function requestToken(grant: ClientCredentialsGrant, endpoint: Endpoint, timeoutMs: number): Promise<{ token: string; lifetimeMs: number }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (grant.scopes.length > 0) body.set('scope', grant.scopes.join(' '));
  const headers: { [name: string]: string } = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (endpoint.clientAuth === 'basic') {
    const pair = `${formEncode(grant.clientId)}:${formEncode(grant.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    body.set('client_id', grant.clientId);
    body.set('client_secret', grant.clientSecret);
  }
  const answer = await fetchJson(endpoint.url, { method: 'POST', headers, body: body.toString() }, timeoutMs, 'the token endpoint');
  const token = answer.access_token;
  const type = answer.token_type;
  if (typeof token !== 'string' || token === '') throw new TokenError('the token endpoint answered without an access_token', false);
  if ([...token].length < minSecretLength) {
    throw new TokenError(`the token endpoint issued an access token shorter than ${minSecretLength} characters, which the server cannot keep out of its output`, false);
  }
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') {
    throw new TokenError(`the token endpoint issued a "${type}" token; only bearer tokens are supported`, false);
  }
  const expiresIn = Number(answer.expires_in);
  return { token, lifetimeMs: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : defaultLifetimeMs };
}

async function fetchJson(url: string, init: RequestInit, timeoutMs: number, what: string): Promise<{ [key: string]: unknown }> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    text = (await readBody(response, maxTokenResponseBytes)).body;
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeError(error);
    throw new TokenError(`could not reach ${what} (${reason})`, true);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { [key: string]: unknown }) : undefined;
  if (!response.ok) {
    const detail = object && typeof object.error === 'string' ? `: ${object.error}${typeof object.error_description === 'string' ? ` (${object.error_description})` : ''}` : '';
    throw new TokenError(`${what} answered HTTP ${response.status}${detail}`, response.status >= 500 || response.status === 429);
  }
  if (!object) throw new TokenError(`${what} did not answer with a JSON object`, false);
  return object;
}

function formEncode(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
}
