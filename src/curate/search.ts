import { buildSearchIndex, pathWords, searchTools, type SearchDocument } from '../../templates/runtime/tool-search.js';
import { toWords } from '../model/names.js';
import type { OperationDecision } from './select.js';

/** Finds operations by words, ranked the way a discovery-mode server ranks its tools. */
export type OperationSearch = (query: string, limit: number) => OperationDecision[];

/** The searchable text of an operation: its proposed tool name, summary, description, tags, path words and parameters. */
export function toSearchDocument(decision: OperationDecision): SearchDocument {
  const { operation } = decision;
  return {
    name: decision.operation.key,
    title: [decision.name.replace(/_/g, ' '), operation.operationId ? toWords(operation.operationId).join(' ') : '', operation.summary ?? '']
      .filter(Boolean)
      .join(' '),
    description: operation.description ?? '',
    tags: operation.tags,
    pathWords: pathWords(operation.path),
    parameters: operation.parameters.map((parameter) => parameter.name),
  };
}

/** Indexes the operations once; each search returns the best matches first. */
export function createOperationSearch(decisions: OperationDecision[]): OperationSearch {
  const index = buildSearchIndex(decisions.map(toSearchDocument));
  const byKey = new Map(decisions.map((decision) => [decision.operation.key, decision]));
  return (query, limit) => searchTools(index, query, limit).flatMap((hit) => byKey.get(hit.name) ?? []);
}
