import type { JsonSchema, JsonValue, ToolDefinition } from '../../templates/runtime/definition.js';
import type { ToolSource } from '../catalog/types.js';
import type { RiskClass } from '../model/classify.js';

/**
 * One tool as `tools.json` lists it. The in-memory `CatalogTool` fits this shape too; `risk`, `source`
 * and `confirmation` are optional so that catalogs written by older versions of toolwright still load.
 */
export type ReviewTool = Pick<ToolDefinition, 'name' | 'title' | 'description' | 'inputSchema' | 'outputSchema' | 'annotations' | 'confirmation'> & {
  risk?: { class: RiskClass; reasons: string[] };
  source?: ToolSource;
};

/** A tool catalog as `diff` and `lint` read it: the contents of `tools.json`, or a `ToolCatalog`. */
export type ReviewCatalog = {
  server: { name: string; version: string };
  api: { title: string; version: string };
  tools: ReviewTool[];
};

export type { JsonSchema, JsonValue };
