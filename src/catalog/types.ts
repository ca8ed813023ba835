import type { HttpMethod, ServerDefinition, ToolDefinition } from '../../templates/runtime/definition.js';
import type { RiskClass, Sensitivity } from '../model/classify.js';

export type { ServerDefinition, ToolDefinition };

/** The operation a tool was made from. */
export type ToolSource = {
  method: HttpMethod;
  path: string;
  operationId?: string;
};

export type CatalogTool = ToolDefinition & {
  risk: { class: RiskClass; sensitivities?: Sensitivity[]; reasons: string[] };
  source: ToolSource;
};

/**
 * The exact tools a generated server lists, with everything the server needs to call the API. It is
 * what reviewers diff (as `tools.json`) and the only thing the emitters read.
 */
export type ToolCatalog = {
  api: { title: string; version: string };
  server: ServerDefinition;
  /** Sorted by name. */
  tools: CatalogTool[];
};
