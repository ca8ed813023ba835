import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../templates/runtime/config.js';
import type { ServerDefinition } from '../../templates/runtime/definition.js';
import { createRedactor, redactJson } from '../../templates/runtime/redact.js';

const definition: ServerDefinition = {
  name: 'petstore',
  version: '1.0.0',
  envPrefix: 'PETSTORE',
  securitySchemes: {
    apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'PETSTORE_API_KEY' },
    token: { type: 'bearer', env: 'PETSTORE_TOKEN' },
    login: { type: 'basic', usernameEnv: 'PETSTORE_USERNAME', passwordEnv: 'PETSTORE_PASSWORD' },
  },
};

describe('readConfig', () => {
  it('reads the base URL, defaults and configured credentials', () => {
    const config = readConfig(definition, {
      PETSTORE_BASE_URL: 'https://gateway.example.com/petstore/v2/',
      PETSTORE_API_KEY: ' key-12345\n',
      PETSTORE_USERNAME: 'alice',
      PETSTORE_PASSWORD: 'pw-secret',
    });
    expect(config).toStrictEqual({
      baseUrl: 'https://gateway.example.com/petstore/v2',
      timeoutMs: 30_000,
      callDeadlineMs: 50_000,
      maxResponseBytes: 1_000_000,
      maxRetries: 2,
      maxConcurrency: 16,
      readOnly: false,
      confirmByArgument: false,
      credentials: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', value: 'key-12345' },
        login: { type: 'basic', username: 'alice', password: 'pw-secret' },
      },
    });
  });

  it('falls back to the default base URL', () => {
    expect(readConfig({ ...definition, defaultBaseUrl: 'https://api.example.com/' }, {}).baseUrl).toBe('https://api.example.com');
  });

  it('reads the timeout and response cap', () => {
    const config = readConfig(definition, { PETSTORE_BASE_URL: 'http://127.0.0.1:9', PETSTORE_TIMEOUT_MS: '500', PETSTORE_MAX_RESPONSE_BYTES: '2048' });
    expect([config.timeoutMs, config.maxResponseBytes]).toStrictEqual([500, 2048]);
  });

  it.each([
    [{}, /PETSTORE_BASE_URL is not set\. Set it to the base URL .* e\.g\. PETSTORE_BASE_URL=https:\/\/api\.example\.com\/v1/],
    [{ PETSTORE_BASE_URL: 'api.example.com' }, /PETSTORE_BASE_URL is not an absolute URL: "api\.example\.com"/],
    [{ PETSTORE_BASE_URL: 'ftp://api.example.com' }, /PETSTORE_BASE_URL must use http or https, not "ftp:"/],
    [{ PETSTORE_BASE_URL: 'https://u:p@api.example.com' }, /PETSTORE_BASE_URL must not contain a user name or password/],
    [{ PETSTORE_BASE_URL: 'https://api.example.com/?a=1' }, /must not contain a query string or fragment/],
    [{ PETSTORE_BASE_URL: 'https://x', PETSTORE_TIMEOUT_MS: 'soon' }, /PETSTORE_TIMEOUT_MS must be a whole number between 1 and 600000 \(got "soon"\)/],
    [{ PETSTORE_BASE_URL: 'https://x', PETSTORE_TIMEOUT_MS: '0' }, /PETSTORE_TIMEOUT_MS must be a whole number/],
    [{ PETSTORE_BASE_URL: 'https://x', PETSTORE_PASSWORD: 'pw' }, /PETSTORE_PASSWORD is set but PETSTORE_USERNAME is not/],
  ])('rejects %j with a message that names the variable', (env, message) => {
    expect(() => readConfig(definition, env)).toThrow(ConfigError);
    expect(() => readConfig(definition, env)).toThrow(message);
  });

  it('never puts a credential into an error message', () => {
    try {
      readConfig(definition, { PETSTORE_BASE_URL: 'https://user:hunter2@api.example.com' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
    try {
      readConfig(definition, { PETSTORE_BASE_URL: 'https://x', PETSTORE_PASSWORD: 'hunter2' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('explains a relative default base URL', () => {
    expect(() => readConfig({ ...definition, defaultBaseUrl: '/api/v3' }, {})).toThrow(
      /the default base URL \(PETSTORE_BASE_URL is not set\) is not an absolute URL: "\/api\/v3"/,
    );
  });
});

describe('redaction', () => {
  const redact = createRedactor({
    key: { type: 'apiKey', in: 'query', name: 'k', value: 'a/b c"d-key' },
    login: { type: 'basic', username: 'alice', password: 'pw-secret' },
    token: { type: 'bearer', token: 'tok-12345' },
  });

  it('removes plain, URL-encoded, JSON-escaped and Basic-encoded forms', () => {
    const basic = Buffer.from('alice:pw-secret').toString('base64');
    expect(redact(`a/b c"d-key | a%2Fb%20c%22d-key | a/b c\\"d-key | pw-secret | ${basic} | tok-12345`)).toBe(
      '[REDACTED] | [REDACTED] | [REDACTED] | [REDACTED] | [REDACTED] | [REDACTED]',
    );
  });

  it('redacts strings and keys inside JSON values', () => {
    expect(redactJson({ 'tok-12345': ['x tok-12345 y', 1, null], n: { pw: 'pw-secret' } }, redact)).toStrictEqual({
      '[REDACTED]': ['x [REDACTED] y', 1, null],
      n: { pw: '[REDACTED]' },
    });
  });
});
