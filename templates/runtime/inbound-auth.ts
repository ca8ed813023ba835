import { createHash, timingSafeEqual } from 'node:crypto';
import {
  OAuthError,
  OAuthErrorCode,
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  verifyBearerToken,
  type AuthInfo,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { checkUrl } from './env.js';
import type { InboundAuth, StaticToken } from './http-config.js';

/** Authenticates HTTP requests to the MCP endpoint and serves the RFC 9728 metadata of OAuth mode. */
export type AuthGate = {
  /** The verified token's details (none when authentication is off), or the 401/403 answer with its `WWW-Authenticate` challenge. */
  authenticate(authorization: string | undefined): Promise<{ authInfo?: AuthInfo } | Response>;
  /**
   * The protected-resource metadata document, in OAuth mode.
   * @see https://www.rfc-editor.org/rfc/rfc9728
   */
  metadata?: { [key: string]: unknown };
};

/** Signing algorithms accepted for access tokens: asymmetric only, so that a leaked verification key cannot mint tokens. */
const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const staticTokenLifetimeSeconds = 300;

/**
 * Creates the gate for the configured inbound authentication. The verified token itself is dropped from the
 * resulting `AuthInfo`, so that nothing downstream can forward it upstream.
 */
export function createAuthGate(auth: InboundAuth, { resourceUrl, serverName, timeoutMs }: { resourceUrl?: URL; serverName: string; timeoutMs: number }): AuthGate {
  if (auth.kind === 'none') return { authenticate: async () => ({}) };
  const verifier = auth.kind === 'tokens' ? staticTokenVerifier(auth.tokens) : jwtVerifier(auth, timeoutMs);
  const scopes = auth.kind === 'oauth' ? auth.scopes : [];
  const resourceMetadataUrl = auth.kind === 'oauth' && resourceUrl ? getOAuthProtectedResourceMetadataUrl(resourceUrl) : undefined;
  const options = { verifier, requiredScopes: scopes, ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}) };
  return {
    async authenticate(authorization) {
      try {
        return { authInfo: await verifyBearerToken(authorization, options) };
      } catch (error) {
        return bearerAuthChallengeResponse(error, options);
      }
    },
    ...(auth.kind === 'oauth'
      ? {
          metadata: {
            resource: resourceUrl?.href ?? auth.audience,
            authorization_servers: [auth.issuer],
            bearer_methods_supported: ['header'],
            ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
            resource_name: serverName,
          },
        }
      : {}),
  };
}

function staticTokenVerifier(tokens: StaticToken[]): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token) {
      const digest = createHash('sha256').update(token).digest();
      let match: StaticToken | undefined;
      for (const candidate of tokens) if (timingSafeEqual(candidate.sha256, digest) && !match) match = candidate;
      if (!match) throw new OAuthError(OAuthErrorCode.InvalidToken, 'The token is not valid for this server');
      return { token: '', clientId: match.label, scopes: [], expiresAt: Math.floor(Date.now() / 1000) + staticTokenLifetimeSeconds };
    },
  };
}

function jwtVerifier(auth: Extract<InboundAuth, { kind: 'oauth' }>, timeoutMs: number): OAuthTokenVerifier {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    keys ??= (auth.jwksUrl ? Promise.resolve(auth.jwksUrl) : discoverJwksUrl(auth.issuer, timeoutMs))
      .then((url) => createRemoteJWKSet(new URL(url), { timeoutDuration: Math.min(timeoutMs, 10_000), cooldownDuration: 30_000, cacheMaxAge: 600_000 }))
      .catch((error: unknown) => {
        keys = undefined;
        throw error;
      });
    return keys;
  };
  return {
    async verifyAccessToken(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer: auth.issuer,
          audience: auth.audience,
          algorithms,
          clockTolerance: 30,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        throw toOAuthError(error);
      }
      const clientId = stringClaim(payload.client_id) ?? stringClaim(payload.azp) ?? payload.sub ?? 'unknown';
      return {
        token: '',
        clientId,
        scopes: scopesOf(payload),
        expiresAt: payload.exp!,
        extra: { caller: payload.sub && payload.sub !== clientId ? `${payload.sub} via ${clientId}` : clientId },
      };
    },
  };
}

async function discoverJwksUrl(issuer: string, timeoutMs: number): Promise<string> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const candidates = [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`];
  for (const candidate of candidates) {
    try {
      const response = await fetch(candidate, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) continue;
      const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (document.issuer === issuer && typeof document.jwks_uri === 'string') return checkUrl('jwks_uri', document.jwks_uri).href;
    } catch {
      continue;
    }
  }
  throw new OAuthError(OAuthErrorCode.ServerError, 'The authorization server metadata could not be fetched');
}

function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (error instanceof joseErrors.JWKSTimeout || (error instanceof Error && error.name === 'TypeError')) {
    return new OAuthError(OAuthErrorCode.ServerError, 'The signing keys could not be fetched');
  }
  if (error instanceof joseErrors.JWTExpired) return new OAuthError(OAuthErrorCode.InvalidToken, 'The token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new OAuthError(OAuthErrorCode.InvalidToken, error.claim === 'aud' ? 'The token was not issued for this server (audience)' : `The token's "${error.claim}" claim is not valid`);
  }
  return new OAuthError(OAuthErrorCode.InvalidToken, 'The token is not valid for this server');
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  return Array.isArray(scope) ? scope.filter((item): item is string => typeof item === 'string') : [];
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
