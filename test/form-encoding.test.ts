import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { selectTools } from '../src/curate/select.js';
import type { LoadedSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { buildRequest } from '../templates/runtime/request.js';

/** A Stripe-style form body: `expand` as deepObject (sent as expand[]), `tags` comma-joined, `metadata` as metadata[key]. */
const spec: LoadedSpec = {
  source: 'stripe-like.yaml',
  version: '3.0',
  warnings: [],
  document: {
    openapi: '3.0.3',
    info: { title: 'Payments', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths: {
      '/v1/customers': {
        post: {
          operationId: 'PostCustomers',
          requestBody: {
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  properties: {
                    email: { type: 'string' },
                    expand: { type: 'array', items: { type: 'string' } },
                    tags: { type: 'array', items: { type: 'string' } },
                    metadata: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                },
                encoding: {
                  expand: { style: 'deepObject', explode: true },
                  tags: { style: 'form', explode: false },
                  metadata: { style: 'deepObject', explode: true },
                },
              },
            },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  },
};

describe('form bodies with an Encoding Object', () => {
  it('carries each field style into the binding and sends the body the way the spec says', () => {
    const { model } = buildModel(spec);
    const { decisions } = selectTools({ model });
    const tool = buildCatalog({ model, decisions }).catalog.tools[0]!;
    expect(tool.http.body).toStrictEqual({
      mediaType: 'application/x-www-form-urlencoded',
      encoding: 'form',
      required: false,
      fields: {
        expand: { style: 'deepObject', explode: true },
        tags: { style: 'form', explode: false },
        metadata: { style: 'deepObject', explode: true },
      },
      properties: [
        { argument: 'email', name: 'email' },
        { argument: 'expand', name: 'expand' },
        { argument: 'tags', name: 'tags' },
        { argument: 'metadata', name: 'metadata' },
      ],
    });
    const request = buildRequest({
      tool,
      args: { email: 'a@example.com', expand: ['sources', 'tax'], tags: ['vip', 'eu'], metadata: { plan: 'gold' } },
      baseUrl: 'https://api.example.com',
      credentials: {},
    });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(decodeURIComponent(String(request.body))).toBe('email=a@example.com&expand[]=sources&expand[]=tax&tags=vip,eu&metadata[plan]=gold');
  });
});
