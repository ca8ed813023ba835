import { buildCatalog } from './catalog/build-catalog.js';
import type { ToolCatalog } from './catalog/types.js';
import type { CurationConfig, OperationEntry } from './curate/config-file.js';
import { selectTools, type Decisions } from './curate/select.js';
import type { FilePlan } from './emit/plan-files.js';
import type { Diagnostic } from './errors.js';
import { loadSpec, type LoadOptions } from './load/load-spec.js';
import { buildModel } from './model/build-model.js';
import type { ApiModel } from './model/types.js';
import { applyMode, chooseMode, type ModeChoice, type ServerMode } from './discovery/modes.js';

export type Curated = {
  model: ApiModel;
  decisions: Decisions;
  warnings: Diagnostic[];
  /** Entries of toolwright.yaml whose operation left the spec (only with `dropUnknown`). */
  missing: OperationEntry[];
};

/** A stage of the pipeline starting, for progress reports. */
export type StageListener = (stage: 'load' | 'validate' | 'catalog' | 'emit') => void;

/**
 * load → model → curate: every operation of the spec with what was decided for it. toolwright.yaml may still
 * be being read (on another thread) while the spec loads; its problems are reported before the spec's.
 */
export async function curateSpec({ spec, config, dropUnknown, load, onStage }: { spec: string; config?: CurationConfig | Promise<CurationConfig | undefined>; dropUnknown?: boolean; load?: LoadOptions; onStage?: StageListener }): Promise<Curated> {
  onStage?.('load');
  const [settings, loaded] = await firstErrorInOrder(Promise.resolve(config), loadSpec(spec, { ...load, onValidate: () => onStage?.('validate') }));
  onStage?.('catalog');
  const { model, warnings: modelWarnings } = buildModel(loaded);
  const { decisions, warnings: curateWarnings, missing } = selectTools({ model, config: settings, dropUnknown });
  return { model, decisions, missing, warnings: [...loaded.warnings, ...modelWarnings, ...curateWarnings] };
}

/** Both results, once both are settled; when either fails, the first one's error. */
async function firstErrorInOrder<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

export type Generated = Curated & { catalog: ToolCatalog; plan: FilePlan; mode: ModeChoice };

/** load → model → curate → catalog → emit: the generated project in memory; `mode` (the `--mode` flag) overrides toolwright.yaml. */
export async function generateProject({
  spec,
  config,
  load,
  onStage,
  mode,
}: {
  spec: string;
  config?: CurationConfig | Promise<CurationConfig | undefined>;
  load?: LoadOptions;
  onStage?: StageListener;
  mode?: ServerMode;
}): Promise<Generated> {
  const curated = await curateSpec({ spec, config, load, onStage });
  return catalogProject(curated, await config, onStage, mode);
}

/** catalog → emit for decisions already made. The emitter is loaded only here. */
export async function catalogProject(curated: Curated, config?: CurationConfig, onStage?: StageListener, mode?: ServerMode): Promise<Generated> {
  const { planFiles } = await import('./emit/plan-files.js');
  const built = buildCatalog({ model: curated.model, decisions: curated.decisions, configFile: config?.file });
  onStage?.('emit');
  const choice = chooseMode({ ...(mode ? { flag: mode } : {}), ...(config?.mode ? { configured: config.mode } : {}), hasConfig: config !== undefined, catalog: built.catalog });
  const { catalog, searchIndexModule } = applyMode({ catalog: built.catalog, model: curated.model, decisions: curated.decisions.operations, mode: choice.mode });
  return { ...curated, catalog, plan: planFiles(catalog, { searchIndexModule }), mode: choice, warnings: [...curated.warnings, ...built.warnings] };
}
