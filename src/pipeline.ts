import { buildCatalog } from './catalog/build-catalog.js';
import type { ToolCatalog } from './catalog/types.js';
import type { CurationConfig, OperationEntry } from './curate/config-file.js';
import { selectTools, type Decisions } from './curate/select.js';
import type { FilePlan } from './emit/plan-files.js';
import type { Diagnostic } from './errors.js';
import { loadSpec } from './load/load-spec.js';
import { buildModel } from './model/build-model.js';
import type { ApiModel } from './model/types.js';

export type Curated = {
  model: ApiModel;
  decisions: Decisions;
  warnings: Diagnostic[];
  /** Entries of toolwright.yaml whose operation left the spec (only with `dropUnknown`). */
  missing: OperationEntry[];
};

/** load → model → curate: every operation of the spec with what was decided for it. */
export async function curateSpec({ spec, config, dropUnknown }: { spec: string; config?: CurationConfig; dropUnknown?: boolean }): Promise<Curated> {
  const loaded = await loadSpec(spec);
  const { model, warnings: modelWarnings } = buildModel(loaded);
  const { decisions, warnings: curateWarnings, missing } = selectTools({ model, config, dropUnknown });
  return { model, decisions, missing, warnings: [...loaded.warnings, ...modelWarnings, ...curateWarnings] };
}

export type Generated = Curated & { catalog: ToolCatalog; plan: FilePlan };

/** load → model → curate → catalog → emit: the generated project in memory. */
export async function generateProject({ spec, config }: { spec: string; config?: CurationConfig }): Promise<Generated> {
  return catalogProject(await curateSpec({ spec, config }), config);
}

/** catalog → emit for decisions already made. The emitter (ts-morph, templates) is loaded only here. */
export async function catalogProject(curated: Curated, config?: CurationConfig): Promise<Generated> {
  const { planFiles } = await import('./emit/plan-files.js');
  const { catalog, warnings } = buildCatalog({ model: curated.model, decisions: curated.decisions, configFile: config?.file });
  return { ...curated, catalog, plan: planFiles(catalog), warnings: [...curated.warnings, ...warnings] };
}
