import type { ReviewCatalog, ReviewTool } from '../src/review/types.js';

/** A small read-only tool as tools.json lists it, with any field replaced. */
export function reviewTool(overrides: Partial<ReviewTool> = {}): ReviewTool {
  return {
    name: 'get_pet',
    title: 'Get a pet',
    description: 'Get one pet by its id. Returns the pet: id, name, species, status.',
    inputSchema: { type: 'object', properties: { petId: { type: 'integer', description: 'The id.' } }, required: ['petId'], additionalProperties: false },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    risk: { class: 'read', reasons: ['GET only reads'] },
    source: { method: 'GET', path: '/pets/{petId}', operationId: 'getPet' },
    ...overrides,
  };
}

/** A catalog of the given tools. */
export function reviewCatalog(tools: ReviewTool[], version = '1.0.0'): ReviewCatalog {
  return { server: { name: 'pets', version }, api: { title: 'Pets', version }, tools };
}
