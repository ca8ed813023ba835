import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchNpmSpecs, githubSpec } from '../bench/corpus.mjs';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { classifyOperation, type RiskClass } from '../src/model/classify.js';
import { isSecretField } from '../src/model/risk-fields.js';
import type { ApiModel } from '../src/model/types.js';
import { corpusDir, hasCorpus } from './helpers.js';

/** Operations of real vendor specs, each checked by hand: [operation key, class, reasons]. */
const cases: Record<string, [string, RiskClass, string[]][]> = {
  'github/gh-stripe__spec3-2023-09.yaml': [
    ['GET /v1/customers/{customer}', 'read', ['GET only reads']],
    ['POST /v1/customers', 'write', ['POST changes data']],
    ['DELETE /v1/customers/{customer}', 'destructive', ['the description says "cannot be undone"', 'DELETE method']],
    ['POST /v1/payment_intents/{intent}/cancel', 'destructive', ['"cancel" in the operationId']],
    ['POST /v1/invoices/{invoice}/void', 'destructive', ['"void" cannot be taken back', 'the description says "cannot be undone"', '"void" in the operationId']],
    ['POST /v1/apps/secrets', 'admin', ['"secrets" in the path: issues or changes credentials', 'POST changes data']],
    ['POST /v1/apps/secrets/delete', 'admin', ['"secrets" in the path: issues or changes credentials', '"delete" in the operationId']],
  ],
  'github/gh-kubernetes__swagger.json': [
    ['GET /api/v1/namespaces/{namespace}/pods', 'read', ['GET only reads']],
    ['PUT /api/v1/namespaces/{namespace}/pods/{name}', 'write', ['PUT replaces data']],
    ['PATCH /apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'write', ['PATCH changes data']],
    ['DELETE /api/v1/namespaces/{namespace}/pods', 'destructive', ['changes many items at once', 'DELETE method']],
    ['POST /api/v1/namespaces/{namespace}/secrets', 'admin', ['"secrets" in the path: issues or changes credentials', 'POST changes data']],
    ['PUT /apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{name}', 'admin', ['"rbac" in the path: changes access or ownership', 'PUT replaces data']],
    [
      'GET /apis/internal.apiserver.k8s.io/v1alpha1/storageversions',
      'admin',
      ['"internal" in the path', 'tagged "internalApiserver_v1alpha1"', 'GET only reads'],
    ],
  ],
  'github/gh-slack__web-api-v2.json': [
    ['GET /conversations.history', 'read', ['GET only reads']],
    ['POST /chat.postMessage', 'write', ['POST changes data']],
    ['POST /chat.delete', 'destructive', ['"delete" in the operationId']],
    ['POST /conversations.kick', 'destructive', ['"kick" in the operationId']],
    ['POST /files.revokePublicURL', 'destructive', ['"revoke" in the operationId']],
    [
      'POST /admin.users.remove',
      'admin',
      ['"admin" in the path', 'tagged "admin.users"', 'needs the "admin.users:write" scope', '"remove" in the operationId'],
    ],
    ['GET /team.accessLogs', 'admin', ['needs the "admin" scope', 'GET only reads']],
  ],
  [`npm:${githubSpec}`]: [
    ['GET /repos/{owner}/{repo}', 'read', ['GET only reads']],
    ['POST /repos/{owner}/{repo}/issues', 'write', ['POST changes data']],
    ['DELETE /repos/{owner}/{repo}', 'destructive', ['DELETE method']],
    ['POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', 'destructive', ['"cancel" in the operationId']],
    ['PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', 'admin', ['"secrets" in the path: issues or changes credentials', 'PUT replaces data']],
    ['PUT /repos/{owner}/{repo}/collaborators/{username}', 'admin', ['"collaborators" in the path: changes access or ownership', 'PUT replaces data']],
    ['GET /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins', 'admin', ['"admins" in the path', 'GET only reads']],
  ],
};

async function loadModel(source: string): Promise<ApiModel | undefined> {
  if (source.startsWith('npm:')) {
    const file = fetchNpmSpecs([source.slice(4)])?.[0];
    return file ? buildModel(await loadSpec(file)).model : undefined;
  }
  return buildModel(await loadSpec(path.join(corpusDir, source))).model;
}

describe.skipIf(!hasCorpus)('classifyOperation on real specs', () => {
  for (const [source, expectations] of Object.entries(cases)) {
    it(`classifies ${source} as checked by hand`, async () => {
      const model = (await loadModel(source))!;
      const got = expectations.map(([key]) => {
        const operation = model.operations.find((candidate) => candidate.key === key);
        expect(operation, key).toBeDefined();
        const risk = classifyOperation(operation!, model.document);
        return [key, risk.class, risk.reasons];
      });
      expect(got).toStrictEqual(expectations);
    }, 60_000);
  }
});

describe('classifyOperation', () => {
  const base = { key: '', path: '/items', tags: [], deprecated: false, parameters: [], responses: [], security: [], extensions: {}, pointer: '' };
  it.each([
    [{ method: 'GET' }, 'read', false, ['GET only reads']],
    [{ method: 'GET', path: '/deleted-items' }, 'read', false, ['GET only reads']],
    [{ method: 'POST', operationId: 'bulkUpdate' }, 'destructive', true, ['changes many items at once', 'POST changes data']],
    [{ method: 'POST', path: '/lists/{list_id}/members' }, 'write', false, ['POST changes data']],
    [{ method: 'PUT', path: '/orgs/{org}/members/{username}' }, 'admin', true, ['"members" of orgs: changes who has access', 'PUT replaces data']],
    [{ method: 'POST', path: '/tickets/search' }, 'read', false, ['POST that only reads (a search or query)']],
    [{ method: 'GET', security: [[{ scheme: 'oauth', scopes: ['secrets:read'] }]] }, 'admin', false, ['needs the "secrets:read" scope', 'GET only reads']],
    [
      { method: 'GET', path: '/pods/{name}/exec', extensions: { 'x-kubernetes-action': 'connect' } },
      'admin',
      true,
      ['x-kubernetes-action "connect": opens a session into a running workload', 'GET only reads'],
    ],
    [
      { method: 'GET', path: '/auth.revoke' },
      'admin',
      true,
      ['GET named "revoke": changes data despite its method', '"auth" in the path: issues or changes credentials', '"revoke" in the path'],
    ],
    [{ method: 'POST', path: '/v1/refunds' }, 'destructive', true, ['"refunds" in the path: moves money', 'POST changes data']],
    [{ method: 'POST', path: '/serviceaccounts/{name}/token' }, 'admin', true, ['"token" in the path: issues or changes credentials', 'POST changes data']],
    [{ method: 'PUT', path: '/branches/{branch}/protection' }, 'admin', true, ['"protection" in the path: changes access or ownership', 'PUT replaces data']],
    [{ method: 'PATCH', extensions: { 'x-internal': true } }, 'admin', false, ['marked x-internal', 'PATCH changes data']],
    [{ method: 'POST', tags: ['System Management'] }, 'admin', false, ['tagged "System Management"', 'POST changes data']],
    [{ method: 'GET', deprecated: true }, 'read', false, ['GET only reads', 'deprecated']],
  ] as const)('%j → %s', (given, riskClass, destructive, reasons) => {
    const risk = classifyOperation({ ...base, ...given } as never);
    expect({ class: risk.class, destructive: risk.destructive, reasons: risk.reasons }).toStrictEqual({ class: riskClass, destructive, reasons });
  });
});

describe('isSecretField', () => {
  it.each([
    ['password', true],
    ['client_secret', true],
    ['access_token', true],
    ['token', true],
    ['private_key', true],
    ['apiKey', true],
    ['credentials', true],
    ['secret_scanning', false],
    ['verifiable_password_authentication', false],
    ['send_secrets_and_variables', false],
    ['imagePullSecrets', false],
    ['next_page_token', false],
    ['token_type', false],
    ['public_key', false],
    ['commit_signing_keys', false],
    ['automountServiceAccountToken', false],
    ['max_completion_tokens', false],
  ])('%s → %s', (name, secret) => {
    expect(isSecretField(name)).toBe(secret);
  });
});
