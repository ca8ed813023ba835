import type { ToolDefinition } from '../../templates/runtime/definition.js';
import type { Decisions } from '../curate/select.js';
import type { ApiModel } from '../model/types.js';
import { buildCatalog } from './build-catalog.js';
import { countTextTokens } from './tokenizer.js';

/** The fields of a tool that a client receives in tools/list. */
export type ListedFields = Pick<ToolDefinition, 'name' | 'title' | 'description' | 'inputSchema' | 'outputSchema' | 'annotations'>;

/**
 * A tool exactly as the generated server lists it in tools/list: the MCP SDK sends the registered name,
 * title, description, input and output schema (when there is one) and annotations, in this order.
 */
export function listedTool(tool: ListedFields): ListedFields {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  return { name, title, description, inputSchema, ...(outputSchema ? { outputSchema } : {}), annotations };
}

/**
 * What a tool costs in a model's context on every turn: its tools/list entry serialised as JSON (see
 * `listedTool`), counted with the o200k_base tokenizer. Every command that prints a token figure counts
 * with this function, and a catalog's total is the sum over its tools (see `countCatalogTokens`).
 */
export function countToolTokens(tool: ListedFields): number {
  return countTextTokens(JSON.stringify(listedTool(tool)));
}

/** The tokens of every tool of a catalog, summed: what `generate`, `inspect`, `lint` and `diff` print. */
export function countCatalogTokens(tools: readonly ListedFields[]): number {
  return tools.reduce((sum, tool) => sum + countToolTokens(tool), 0);
}

/**
 * The token cost of every operation of the spec as a tool (as if all were included), by `METHOD /path`.
 * Included tools are built with their settings from toolwright.yaml, so their figures are those of `generate`.
 */
export function measureCosts(model: ApiModel, decisions: Decisions): Map<string, number> {
  const operations = decisions.operations.map((decision) => (decision.included ? decision : { ...decision, included: true, entry: undefined }));
  const { catalog } = buildCatalog({ model, decisions: { ...decisions, operations } });
  const keyOf = new Map(operations.map((decision) => [decision.name, decision.operation.key]));
  return new Map(catalog.tools.map((tool) => [keyOf.get(tool.name)!, countToolTokens(tool)]));
}
