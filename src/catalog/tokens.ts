import { countTokens } from 'gpt-tokenizer';
import type { ToolDefinition } from '../../templates/runtime/definition.js';

/**
 * What a tool costs in a model's context on every turn: its name, title, description, input schema and
 * annotations as a client lists them, counted with the o200k_base tokenizer.
 */
export function countToolTokens(tool: Pick<ToolDefinition, 'name' | 'title' | 'description' | 'inputSchema' | 'annotations'>): number {
  const { name, title, description, inputSchema, annotations } = tool;
  return countTokens(JSON.stringify({ name, title, description, inputSchema, annotations }));
}
