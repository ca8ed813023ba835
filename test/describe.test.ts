// Issue 11: descriptions and names for a model, from real patterns of the GitHub, Stripe, Cloudflare and
// Kubernetes specs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeField, describeOperation, toSentenceCase } from '../src/curate/describe.js';
import { hasMarkup, reduceMarkup, toPlainText } from '../src/curate/plain-text.js';
import { defaultEnvPrefix, defaultServerName, nameFromPath, proposeToolName, toolNameBudget, defaultClientPrefixLength } from '../src/model/names.js';
import type { OperationModel } from '../src/model/types.js';
import { corpusDir, hasCorpus, repoRoot } from './helpers.js';

function operation(extra: Partial<OperationModel>): OperationModel {
  return {
    key: 'GET /things', method: 'GET', path: '/things', tags: [], deprecated: false, parameters: [], responses: [], security: [], extensions: {}, pointer: '/paths/~1things/get',
    ...extra,
  };
}

const document = {
  components: {
    schemas: {
      customer: { type: 'object', properties: { object: { type: 'string' }, address: { type: 'object' }, email: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } } },
      customer_list: { type: 'object', properties: { object: { type: 'string' }, data: { type: 'array', items: { $ref: '#/components/schemas/customer' } }, has_more: { type: 'boolean' }, url: { type: 'string' } } },
      envelope: { type: 'object', properties: { success: { type: 'boolean' }, errors: { type: 'array' }, messages: { type: 'array' }, result: { $ref: '#/components/schemas/customer' } } },
    },
  },
};
const json = (ref: string) => [{ status: '200', contents: [{ mediaType: 'application/json', schema: { $ref: `#/components/schemas/${ref}` }, pointer: '' }] }];

describe('toPlainText', () => {
  it.each([
    ['<p>Retrieves the details of an <a href="/docs/api">account</a>.</p>', 'Retrieves the details of an account.'],
    ['Updates Tax <code>Settings</code> &amp; more.<br/>Next line', 'Updates Tax `Settings` & more.\nNext line'],
    ['See [Media types](https://docs.github.com/rest#media-types) and ![badge](https://x/y.svg).', 'See Media types and .'],
    ['> [!NOTE]\n> This endpoint is in public preview.', 'This endpoint is in public preview.'],
    ['Weekly Hash:\n\n*   `w` - Start of the week\n*   `a` - Number of **additions**', 'Weekly Hash:\n\n- `w` - Start of the week\n- `a` - Number of additions'],
    ['<ul><li>one</li><li>two</li></ul>', '- one\n\n- two'],
  ])('%j', (given, want) => {
    expect(toPlainText(given)).toBe(want);
    expect(hasMarkup(toPlainText(given))).toBe(false);
  });

  it('reads text without markup as every step would', () => {
    const texts = [
      ' The unique identifier of the repository. ',
      '+ one item',
      ':--- a table rule',
      '--- a rule',
      '- a list item',
      'Two  spaces',
      'A tab\there',
      'Ends with a line separator\u2028',
      'a+b=c, 100% sure!',
      'x_y and *z*',
      'Tom & Jerry',
      'Unicode – dashes, “quotes” and émoji 😀',
    ];
    const specs = ['examples/petstore/openapi.yaml', 'examples/petstore-v2/openapi.yaml'].map((file) => readFileSync(path.join(repoRoot, file), 'utf8'));
    for (const spec of specs) for (const match of spec.matchAll(/(?:description|summary): (.+)/g)) texts.push(match[1]!);
    for (const text of texts) expect(toPlainText(text), text).toBe(reduceMarkup(text));
  });

  it.skipIf(!hasCorpus)('reads every description of real specs as every step would', () => {
    const texts = new Set<string>();
    for (const spec of ['gh-stripe__spec3-2023-09.yaml', 'gh-discord__openapi.json', 'gh-box__openapi.json']) {
      const text = readFileSync(path.join(corpusDir, 'github', spec), 'utf8');
      for (const match of text.matchAll(/"?description"?: ?("(?:[^"\\]|\\.)*")/g)) texts.add(JSON.parse(match[1]!) as string);
    }
    expect(texts.size).toBeGreaterThan(1000);
    for (const text of texts) expect(toPlainText(text), text).toBe(reduceMarkup(text));
  });
});

describe('describeField', () => {
  it('keeps an argument\'s meaning whole, as plain text, without the how-to-call-over-HTTP sentences or worked examples of paging', () => {
    expect(
      describeField('The number of results per page (max 100). For more information, see "[Using pagination in the REST API](https://docs.github.com/rest/using-pagination)."'),
    ).toBe('The number of results per page (max 100).');
    expect(describeField('<p>Only return charges for the customer specified by this <a href="/docs/api/customers">customer ID</a>.</p>')).toBe(
      'Only return charges for the customer specified by this customer ID.',
    );
    expect(describeField('One of:\n\n* `open`\n* `closed` (see [states](https://example.com))')).toBe('One of:\n\n- `open`\n- `closed` (see states)');
    expect(describeField('For more information, see the docs.')).toBe('For more information, see the docs.');
    expect(
      describeField(
        'A cursor for use in pagination. `ending_before` is an object ID that defines your place in the list. For instance, if you make a list request and receive 100 objects, starting with `obj_bar`, your subsequent call can include `ending_before=obj_bar` in order to fetch the previous page of the list.',
      ),
    ).toBe('A cursor for use in pagination. `ending_before` is an object ID that defines your place in the list.');
    const syntax = 'Filters issues by fields. For example, `priority:Urgent,severity:High` filters issues where the `priority` field is `Urgent` AND the `severity` field is `High`.';
    expect(describeField(syntax)).toBe(syntax);
  });
});

describe('describeOperation', () => {
  it('drops GitHub boilerplate and admonitions, and says what the tool returns', () => {
    const text = describeOperation({
      operation: operation({
        summary: 'List repository secrets',
        description:
          '> [!NOTE]\n> This endpoint is in public preview and is subject to change.\n\nLists all secrets available in a repository without revealing their encrypted\nvalues.\n\nOAuth app tokens and personal access tokens (classic) need the `repo` scope to use this endpoint.\n\nThis endpoint supports the following custom media types. For more information, see "[Media types](https://docs.github.com/rest)."\n\n- **`application/vnd.github.raw+json`**: Returns the raw markdown.',
        responses: json('customer_list'),
      }),
      document,
      fallbackTitle: 'x',
    });
    expect(text).toStrictEqual({
      title: 'List repository secrets',
      description: 'Lists all secrets available in a repository without revealing their encrypted values. Returns a list of customers: id, name, email, address.',
      deprecated: false,
    });
  });

  it('turns a closing-down notice into a flag and a short prefix', () => {
    const text = describeOperation({
      operation: operation({
        summary: 'Closing down - Get a classroom',
        description: '> [!WARNING]\n> **Closing down notice:** This operation is closing down and will be removed on August 28, 2026.\n> For more information, see the [GitHub Classroom sunset notice](https://gh.io/classroom-sunset).\n\nGets a GitHub Classroom classroom for the current user.',
        responses: json('customer'),
      }),
      document,
      fallbackTitle: 'x',
    });
    expect(text.deprecated).toBe(true);
    expect(text.title).toBe('Get a classroom');
    expect(text.description).toBe('Deprecated. Gets a GitHub Classroom classroom for the current user. Returns the customer: id, name, email, address.');
  });

  it('does not flag an operation whose notice is about one of its fields', () => {
    const text = describeOperation({
      operation: operation({
        summary: 'Update an organization',
        description: '> [!WARNING]\n> **Closing down notice:** GitHub will replace and discontinue `members_allowed_repository_creation_type` in favor of more granular permissions.\n\nUpdates the organization\'s profile and member privileges.',
        responses: json('customer'),
      }),
      document,
      fallbackTitle: 'x',
    });
    expect(text.deprecated).toBe(false);
    expect(text.description).toBe("Updates the organization's profile and member privileges. Returns the customer: id, name, email, address.");
  });

  it('unwraps a Cloudflare-style envelope, keeps within the budget and never cuts a sentence', () => {
    const long = 'Creates a thing. '.repeat(30).trim();
    const text = describeOperation({ operation: operation({ summary: 'Create Thing', description: long, responses: json('envelope') }), document, fallbackTitle: 'x', maxLength: 120 });
    expect(text.description).toBe('Creates a thing. Creates a thing. Returns the customer: id, name, email, address.');
    expect(text.description.length).toBeLessThanOrEqual(120);
    expect(text.title).toBe('Create thing');
  });

  it('says which objects a union returns, what a list of scalars holds, and names fields by rank', () => {
    const schemas = {
      charge: {
        type: 'object',
        required: ['id', 'object', 'paid', 'amount_captured', 'livemode', 'statement_descriptor'],
        properties: {
          amount_captured: { type: 'integer' }, id: { type: 'string' }, livemode: { type: 'boolean' }, object: { type: 'string' }, paid: { type: 'boolean' },
          statement_descriptor: { type: 'string', nullable: true }, receipt_url: { type: 'string' }, source_transfer: { type: 'string', deprecated: true },
        },
      },
      deleted_charge: { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } },
      link: { type: 'object', properties: { self_url: { type: 'string' }, url: { type: 'string' } } },
    };
    const describe = (schema: unknown) =>
      describeOperation({
        operation: operation({ summary: 'Do it', responses: [{ status: '200', contents: [{ mediaType: 'application/json', schema, pointer: '' }] }] }),
        document: { components: { schemas } },
        fallbackTitle: 'x',
      }).description;
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    expect(describe({ anyOf: [ref('charge'), ref('deleted_charge')] })).toBe('Do it. Returns the charge or deleted charge: id, paid, amount_captured, statement_descriptor.');
    expect(describe({ anyOf: [ref('charge'), { type: 'object', properties: {}, additionalProperties: false }] })).toBe(
      'Do it. Returns the charge: id, paid, amount_captured, statement_descriptor.',
    );
    expect(describe({ anyOf: [{ type: 'array', items: ref('charge') }, { type: 'array', items: ref('link') }] })).toMatch(/^Do it\. Returns a list of charges or links: id,/);
    expect(describe({ type: 'array', items: { type: 'string' } })).toBe('Do it. Returns a list of strings.');
    expect(describe(ref('link'))).toBe('Do it. Returns the link: self_url, url.');
  });

  it('reads Kubernetes-style text and deprecation', () => {
    const text = describeOperation({
      operation: operation({ description: "watch changes to an object of kind Pod. deprecated: use the 'watch' parameter with a list operation instead." }),
      document,
      fallbackTitle: 'Watch core v1 namespaced pod',
    });
    expect(text).toStrictEqual({ title: 'Watch core v1 namespaced pod', description: 'Deprecated. Watch changes to an object of kind Pod.', deprecated: true });
  });

  it('titles in sentence case, keeping acronyms and brand spellings', () => {
    expect(toSentenceCase('List Vectorize Indexes')).toBe('List vectorize indexes');
    expect(toSentenceCase('Create an IP Access rule for GitHub')).toBe('Create an IP access rule for GitHub');
  });
});

describe('names', () => {
  it.each([
    [{ title: "GitHub's official OpenAPI spec + Octokit extension", servers: [{ url: 'https://api.github.com' }] }, 'github', 'GITHUB'],
    [{ title: 'Stripe API', servers: [{ url: 'https://api.stripe.com/' }] }, 'stripe', 'STRIPE'],
    [{ title: 'Cloudflare API', servers: [{ url: 'https://api.cloudflare.com/client/v4' }] }, 'cloudflare', 'CLOUDFLARE'],
    [{ title: 'Kubernetes', servers: [] }, 'kubernetes', 'KUBERNETES'],
    [{ title: 'Swagger Petstore', servers: [{ url: 'https://petstore.example.com/v1' }] }, 'petstore', 'PETSTORE'],
    [{ title: 'Google Cloud Storage JSON API', servers: [{ url: 'http://localhost:8080' }] }, 'google-cloud-storage', 'GOOGLE_CLOUD_STORAGE'],
  ])('server name of %j', (api, name, prefix) => {
    expect(defaultServerName(api)).toBe(name);
    expect(defaultEnvPrefix(name)).toBe(prefix);
  });

  it.each([
    ['GET', '/v1/customers', 'list_customers'],
    ['GET', '/v1/customers/{customer}', 'get_customer'],
    ['POST', '/v1/customers', 'create_customer'],
    ['POST', '/v1/customers/{customer}', 'update_customer'],
    ['DELETE', '/v1/customers/{customer}', 'delete_customer'],
    ['POST', '/v1/refunds/{refund}/cancel', 'cancel_refund'],
    ['GET', '/v1/customers/{customer}/sources', 'list_customer_sources'],
    ['POST', '/v1/customers/{customer}/tax_ids', 'create_customer_tax_id'],
    ['GET', '/v1/charges/{charge}/dispute', 'get_charge_dispute'],
    ['GET', '/v1/billing_portal/configurations', 'list_billing_portal_configurations'],
  ])('%s %s → %s', (method, path, want) => {
    expect(nameFromPath(method, path).join('_')).toBe(want);
  });

  it('uses an operationId unless it only repeats the method and path', () => {
    expect(proposeToolName(operation({ method: 'GET', path: '/v1/customers/{customer}', operationId: 'GetCustomersCustomer' }))).toBe('get_customer');
    expect(proposeToolName(operation({ method: 'GET', path: '/repos/{owner}/{repo}', operationId: 'repos/get' }))).toBe('repos_get');
  });

  it('keeps names within what the client prefix leaves', () => {
    const budget = toolNameBudget(defaultClientPrefixLength('github'));
    expect(budget).toBe(64 - 'mcp__github__'.length);
    const name = proposeToolName(operation({ operationId: 'actions/list-workflow-runs-for-a-required-workflow-in-a-repository-with-details' }), budget);
    expect(name.length).toBeLessThanOrEqual(budget);
    expect(`mcp__github__${name}`.length).toBeLessThanOrEqual(64);
  });

  it('names a call by its verb and noun when its operationId fits only with clipped words', () => {
    const budget = toolNameBudget(defaultClientPrefixLength('cloudflare'));
    const gateway = operation({ method: 'POST', path: '/accounts/{account_id}/gateway/locations', operationId: 'zero-trust-gateway-locations-create-zero-trust-gateway-location' });
    expect(proposeToolName(gateway, budget)).toBe('create_account_gateway_location');
    const short = operation({ method: 'GET', path: '/accounts/{account_id}/access/keys', operationId: 'access-key-configuration-get-the-access-key-configuration' });
    expect(proposeToolName(short, budget)).toBe('access_key_config_get_access_key_config');
    const bothLong = operation({
      method: 'GET',
      path: '/radar/email/security/timeseries_groups/threat_category',
      operationId: 'radar-get-email-security-timeseries-group-by-threat-category',
    });
    const clipped = proposeToolName(bothLong, budget);
    expect(clipped.length).toBeLessThanOrEqual(budget);
    expect(clipped.startsWith('radar_get_email')).toBe(true);
  });
});
