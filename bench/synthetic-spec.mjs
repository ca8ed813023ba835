// Synthetic OpenAPI 3.0 documents of any size, shaped like large real APIs: resources with list, get, create,
// update and delete operations; shared component schemas that nest and refer to each other (an owner, an
// audit trail, pagination, errors), shared parameters and responses, and `$ref` fan-out from every operation.

/**
 * @param {{ operations: number; padding?: number }} options `padding`: extra description characters per
 *   operation, to grow the document (a ~20 MB document has as many bytes as Microsoft Graph's).
 * @returns {object} the document
 */
export function syntheticSpec({ operations, padding = 0 }) {
  const resources = Math.ceil(operations / 5);
  const text = (seed, length) => {
    const words = ['account', 'resource', 'returns', 'the', 'item', 'when', 'status', 'owner', 'updated', 'list', 'of', 'values'];
    let out = '';
    for (let i = 0; out.length < length; i++) out += `${words[(seed + i * 7) % words.length]} `;
    return out.trim();
  };
  const schemas = {
    Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array', items: { $ref: '#/components/schemas/ErrorDetail' } } } },
    ErrorDetail: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } },
    User: {
      type: 'object',
      required: ['id', 'login'],
      properties: {
        id: { type: 'integer', format: 'int64' },
        login: { type: 'string' },
        email: { type: 'string', format: 'email', nullable: true },
        manager: { $ref: '#/components/schemas/User' },
        teams: { type: 'array', items: { $ref: '#/components/schemas/Team' } },
      },
    },
    Team: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, members: { type: 'array', items: { $ref: '#/components/schemas/User' } } } },
    Audit: {
      type: 'object',
      properties: {
        createdAt: { type: 'string', format: 'date-time' },
        createdBy: { $ref: '#/components/schemas/User' },
        updatedAt: { type: 'string', format: 'date-time' },
        updatedBy: { $ref: '#/components/schemas/User' },
      },
    },
    Page: { type: 'object', properties: { next: { type: 'string', nullable: true }, total: { type: 'integer' } } },
    Labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 256 } },
  };
  const parameters = {
    Limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 30 } },
    Cursor: { name: 'cursor', in: 'query', schema: { type: 'string' } },
    Expand: { name: 'expand', in: 'query', schema: { type: 'array', items: { type: 'string', enum: ['owner', 'audit', 'labels'] } }, style: 'form', explode: false },
  };
  const responses = {
    NotFound: { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    Invalid: { description: 'Invalid', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  };
  const paths = {};
  let count = 0;
  for (let r = 0; r < resources && count < operations; r++) {
    const name = `Resource${r}`;
    const related = `Resource${(r * 7 + 3) % resources}`;
    schemas[name] = {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'string', format: 'uuid', readOnly: true },
        name: { type: 'string', minLength: 1, maxLength: 100, description: text(r, 60) },
        status: { type: 'string', enum: ['active', 'paused', 'archived'] },
        owner: { $ref: '#/components/schemas/User' },
        labels: { $ref: '#/components/schemas/Labels' },
        audit: { allOf: [{ $ref: '#/components/schemas/Audit' }], readOnly: true },
        related: { type: 'array', items: { $ref: `#/components/schemas/${related}Summary` } },
        settings: { type: 'object', properties: { visibility: { type: 'string', enum: ['public', 'private'] }, quota: { type: 'integer', minimum: 0 } } },
      },
    };
    schemas[`${name}Summary`] = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, owner: { $ref: '#/components/schemas/User' } } };
    const collection = `/v1/resource-${r}`;
    const item = `${collection}/{id}`;
    const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
    const ref = { $ref: `#/components/schemas/${name}` };
    const described = (verb) => `${verb} ${text(r + count, 40)}${padding > 0 ? ` ${text(count, padding)}` : ''}`;
    const ok = (schema) => ({ description: 'OK', content: { 'application/json': { schema } } });
    const ops = [
      ['get', collection, { operationId: `list${name}`, summary: `List ${name}`, description: described('Lists'), parameters: [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Cursor' }, { $ref: '#/components/parameters/Expand' }], responses: { 200: ok({ allOf: [{ $ref: '#/components/schemas/Page' }, { type: 'object', properties: { items: { type: 'array', items: ref } } }] }), 400: { $ref: '#/components/responses/Invalid' } } }],
      ['post', collection, { operationId: `create${name}`, summary: `Create ${name}`, description: described('Creates'), requestBody: { required: true, content: { 'application/json': { schema: ref } } }, responses: { 201: ok(ref), 400: { $ref: '#/components/responses/Invalid' } } }],
      ['get', item, { operationId: `get${name}`, summary: `Get ${name}`, description: described('Gets'), parameters: [idParameter, { $ref: '#/components/parameters/Expand' }], responses: { 200: ok(ref), 404: { $ref: '#/components/responses/NotFound' } } }],
      ['patch', item, { operationId: `update${name}`, summary: `Update ${name}`, description: described('Updates'), parameters: [idParameter], requestBody: { content: { 'application/json': { schema: ref } } }, responses: { 200: ok(ref), 404: { $ref: '#/components/responses/NotFound' } } }],
      ['delete', item, { operationId: `delete${name}`, summary: `Delete ${name}`, description: described('Deletes'), parameters: [idParameter], responses: { 204: { description: 'Deleted' }, 404: { $ref: '#/components/responses/NotFound' } } }],
    ];
    for (const [method, route, operation] of ops) {
      if (count >= operations) break;
      (paths[route] ??= {})[method] = operation;
      count++;
    }
  }
  return {
    openapi: '3.0.3',
    info: { title: `Synthetic API (${operations} operations)`, version: '1.0.0' },
    servers: [{ url: 'https://api.example.com' }],
    security: [{ bearer: [] }],
    paths,
    components: { schemas, parameters, responses, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
