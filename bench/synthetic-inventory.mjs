// Synthetic OpenAPI 3.1 inventories of many small resources with distinct names, for discovery-mode search and start-up.
/**
 * An OpenAPI 3.1 document with many operations, for measuring servers of large APIs: `resources` resources,
 * each with list, create, get, update and delete operations and a description the size of a real API's.
 * @param {number} operations how many operations (a multiple of 5)
 */
export function syntheticSpec(operations) {
  const paths = {};
  const resources = Math.ceil(operations / 5);
  for (let i = 0; i < resources; i++) {
    const name = `widget${String(i).padStart(4, '0')}`;
    const tag = `area${i % 12}`;
    const item = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string', description: `The ${name}'s display name.` }, size: { type: 'integer', minimum: 0 } }, required: ['id', 'name'] };
    const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer' }, description: `The id of the ${name}.` };
    const text = (verb) => `${verb} ${name} records of the inventory. Use it when the user asks about ${name} items; the answer holds their ids, names and sizes. Page with page and per_page.`;
    paths[`/${name}s`] = {
      get: {
        operationId: `list_${name}s`, tags: [tag], summary: `List ${name}s`, description: text('Lists'),
        parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }, { name: 'per_page', in: 'query', schema: { type: 'integer', maximum: 100 } }],
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: item } } } } },
      },
      post: {
        operationId: `create_${name}`, tags: [tag], summary: `Create a ${name}`, description: text('Creates'),
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } }, required: ['name'] } } } },
        responses: { 201: { description: 'created', content: { 'application/json': { schema: item } } } },
      },
    };
    paths[`/${name}s/{id}`] = {
      get: { operationId: `get_${name}`, tags: [tag], summary: `Get a ${name}`, description: text('Reads one of the'), parameters: [idParameter], responses: { 200: { description: 'ok', content: { 'application/json': { schema: item } } } } },
      patch: {
        operationId: `update_${name}`, tags: [tag], summary: `Update a ${name}`, description: text('Updates one of the'), parameters: [idParameter],
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } } } } } },
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: item } } } },
      },
      delete: { operationId: `delete_${name}`, tags: [tag], summary: `Delete a ${name}`, description: text('Deletes one of the'), parameters: [idParameter], responses: { 204: { description: 'deleted' } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Inventory', version: '1.0.0' },
    servers: [{ url: 'https://inventory.example.com/v1' }],
    paths,
  };
}
