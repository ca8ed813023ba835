import { countTokens } from 'gpt-tokenizer';
import type { ToolDefinition } from '../../templates/runtime/definition.js';
import type { Decisions } from '../curate/select.js';
import type { ApiModel } from '../model/types.js';
import { buildCatalog } from './build-catalog.js';

/**
 * What a tool costs in a model's context on every turn: its name, title, description, input schema and
 * annotations as a client lists them, counted with the o200k_base tokenizer.
 */
export function countToolTokens(tool: Pick<ToolDefinition, 'name' | 'title' | 'description' | 'inputSchema' | 'annotations'>): number {
  const { name, title, description, inputSchema, annotations } = tool;
  return countTokens(JSON.stringify({ name, title, description, inputSchema, annotations }));
}

/** The token cost of every operation of the spec as a tool (as if all were included), by `METHOD /path`. */
export function measureCosts(model: ApiModel, decisions: Decisions): Map<string, number> {
  const operations = decisions.operations.map((decision) => ({ ...decision, included: true, entry: undefined }));
  const { catalog } = buildCatalog({ model, decisions: { ...decisions, operations } });
  const keyOf = new Map(operations.map((decision) => [decision.name, decision.operation.key]));
  return new Map(catalog.tools.map((tool) => [keyOf.get(tool.name)!, countToolTokens(tool)]));
}
