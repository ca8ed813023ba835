import type { OperationDecision } from '../curate/select.js';
import type { ApiModel, OperationModel } from '../model/types.js';
import { pathWords, type SearchDocument } from '../../templates/runtime/tool-search.js';

/**
 * The searchable text of each included tool, sorted by name as the catalog is: its name, title and description,
 * its operation's tags, method, path words and parameter names (query, path and top-level body fields).
 */
export function buildSearchDocuments(model: ApiModel, decisions: OperationDecision[]): SearchDocument[] {
  return decisions
    .filter((decision) => decision.included)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, title, description, operation }) => ({
      name,
      title,
      description,
      tags: operation.tags,
      pathWords: pathWords(operation.path),
      parameters: [...operation.parameters.map((parameter) => parameter.name), ...bodyFields(model, operation)],
      method: operation.method,
      path: operation.path,
    }));
}

function bodyFields(model: ApiModel, operation: OperationModel): string[] {
  const schema = resolve(model, operation.requestBody?.contents[0]?.schema);
  const properties = schema?.properties;
  return properties && typeof properties === 'object' ? Object.keys(properties).sort() : [];
}

/** A schema object, following one local `$ref`. */
function resolve(model: ApiModel, schema: unknown): { [key: string]: unknown } | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref !== 'string') return schema as { [key: string]: unknown };
  if (!ref.startsWith('#/')) return undefined;
  let target: unknown = model.document;
  for (const token of ref.slice(2).split('/')) {
    if (target === null || typeof target !== 'object') return undefined;
    target = (target as { [key: string]: unknown })[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return target !== null && typeof target === 'object' && !Array.isArray(target) ? (target as { [key: string]: unknown }) : undefined;
}
