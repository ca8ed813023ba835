import type { JsonSchema, JsonValue, ToolAnnotations } from '../../templates/runtime/definition.js';
import type { ToolSource } from '../catalog/types.js';
import type { RiskClass } from '../model/classify.js';

/**
 * One tool as `tools.json` lists it. The in-memory `CatalogTool` fits this shape too; `risk`, `source`
 * and `confirmation` are optional so that catalogs written by older versions of toolwright still load.
 */
export type ReviewTool = {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: ToolAnnotations;
  confirmation?: { argument: string };
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
