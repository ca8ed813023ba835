import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema, JsonValue, ServerDefinition, ServerMode } from '../../templates/runtime/definition.js';
import { buildCatalog } from '../catalog/build-catalog.js';
import type { ToolCatalog } from '../catalog/types.js';
import { proposeRedactions } from '../catalog/response-fields.js';
import { countToolTokens, type ListedFields } from '../catalog/tokens.js';
import { contextBudgetTokens, measureModeCosts } from '../discovery/modes.js';
import { proposeCredentialParameters } from '../model/credential-parameters.js';
import { toArgumentName } from '../model/names.js';
import * as prompts from '../curate/prompts.js';
import type { Choice } from '../curate/record.js';
import { createOperationSearch, type OperationSearch } from '../curate/search.js';
import type { OperationEntry } from '../curate/config-file.js';
import type { OperationDecision } from '../curate/select.js';
import { applyToggles, filterOperations, setGroup, summarize, type Selection } from '../curate/selection.js';
import type { ApiModel } from '../model/types.js';
import { formatCount } from '../format-count.js';

/** Above this many tools or tokens, the session says what the selection costs and suggests narrowing it. */
const largeSelection = { tools: 40, tokens: 20_000 };
/** How many ranked matches a search shows. */
const searchLimit = 15;

/** The answers of an interactive session so far; every step reads and updates it, so that the review can go back. */
export type SessionState = {
  /** Every operation, those new since the last curation first. */
  ordered: OperationDecision[];
  /** Token costs of the operations measured so far, by `METHOD /path`. */
  costs: Map<string, number>;
  /** Measures the operations not measured yet: only what is shown or selected, so that large specs start fast. */
  measure: (operations: OperationDecision[]) => void;
  isNew: (decision: OperationDecision) => boolean;
  /** The chosen operations, in the order they were chosen. */
  selection: Selection;
  /** The suggested starting set offered for a large spec (empty otherwise). */
  starter: OperationDecision[];
  /** Names, descriptions and arguments set for chosen operations, by `METHOD /path`. */
  customized: Map<string, Choice>;
  server: { name: string; envPrefix: string };
  /** How the server offers its tools; undefined until chosen (or recorded in toolwright.yaml). */
  mode?: ServerMode;
  /** The chosen operations a hybrid server lists on their own, by `METHOD /path`. */
  core: Set<string>;
  /** Response fields proposed for redaction where the tools were not reviewed one by one, by `METHOD /path`. */
  proposedRedactions: Map<string, string[]>;
  log: (line: string) => void;
};

/** Selection: a word search ranks the operations in one step; the menu browses tags, sets whole groups, or ends. */
export async function selectOperations(state: SessionState): Promise<void> {
  const { ordered, costs, isNew, log } = state;
  const { byTag } = summarize(ordered);
  let search: OperationSearch | undefined;
  for (;;) {
    const query = (await prompts.askSearch(selectionStatus(state))).trim();
    if (query) {
      search ??= createOperationSearch(ordered);
      const found = search(query, searchLimit);
      if (found.length === 0) log(`Nothing matches "${query}". Try other words, or browse a tag from the menu (enter on an empty search).`);
      else {
        state.measure(found);
        state.selection = applyToggles(state.selection, found, await prompts.toggleOperations(`Best matches for "${query}"`, found, state.selection, costs, isNew));
      }
      continue;
    }
    const starter = state.starter.filter((decision) => !state.selection.has(decision.operation.key));
    const action = await prompts.chooseAction(starter.length > 0 ? { count: starter.length, names: starter.map((d) => d.name) } : undefined);
    if (action === 'done') return;
    if (action === 'starter') {
      state.selection = setGroup(state.selection, starter, 'select-safe');
    } else if (action === 'browse') {
      const shown = filterOperations(ordered, { tag: await prompts.chooseTag(byTag, true) });
      state.measure(shown);
      state.selection = applyToggles(state.selection, shown, await prompts.toggleOperations('Operations', shown, state.selection, costs, isNew));
    } else if (action === 'tag') {
      const tag = await prompts.chooseTag(byTag, false);
      state.selection = setGroup(state.selection, filterOperations(ordered, { tag }), await prompts.chooseGroupAction());
    } else if (action === 'class') {
      const riskClass = await prompts.chooseClass();
      state.selection = setGroup(state.selection, ordered.filter((d) => d.risk.class === riskClass), await prompts.chooseGroupAction());
    }
  }
}

function selectionStatus({ selection, costs, ordered, measure }: SessionState): string {
  measure(ordered.filter((decision) => selection.has(decision.operation.key)));
  const tokens = [...selection].reduce((sum, key) => sum + (costs.get(key) ?? 0), 0);
  const status = `${selection.size} of ${ordered.length} operations selected: about ${formatCount(tokens)} tokens of tool definitions on every turn.`;
  if (selection.size <= largeSelection.tools && tokens <= largeSelection.tokens) return status;
  return `${status}\nThat is a lot of context: agents choose best among fewer than about 20 tools. Narrow the selection to what the agent needs.`;
}

/**
 * Names, descriptions and arguments, tool by tool in the order the operations were chosen; every prompt says
 * which operation it is for, and earlier answers are the defaults when the review comes back here.
 */
export async function customizeTools(state: SessionState, model: ApiModel): Promise<void> {
  const byKey = new Map(state.ordered.map((decision) => [decision.operation.key, decision]));
  const chosen = [...state.selection].map((key) => byKey.get(key)!);
  for (const key of [...state.customized.keys()]) if (!state.selection.has(key)) state.customized.delete(key);
  if (chosen.length === 0 || !(await prompts.askCustomize(chosen.length))) return;
  const catalog = proposalCatalog(state, model, chosen);
  const nameOf = (decision: OperationDecision): string => state.customized.get(decision.operation.key)?.name ?? decision.name;
  for (const [index, decision] of chosen.entries()) {
    const { operation } = decision;
    const previous = state.customized.get(operation.key);
    state.log(`\n[${index + 1}/${chosen.length}] ${operation.key}${operation.summary ? `: ${operation.summary}` : ''}`);
    const taken = new Set(chosen.filter((other) => other !== decision).map((other) => nameOf(other).toLowerCase()));
    const name = await prompts.askToolName(nameOf(decision), taken, operation.key);
    const proposed = prompts.descriptionPrompt(decision.proposed.description).default;
    const described = await prompts.askDescription(previous?.description ?? decision.description, name);
    const tool = catalog.tools.find((candidate) => candidate.name === decision.name)!;
    const kept = previous?.arguments ?? existingArguments(decision);
    const args = await askArgumentChoices(tool.inputSchema, tool.confirmation?.argument, name, kept);
    const credentials = credentialArguments(decision, catalog.server);
    if (credentials.length > 0) {
      const keptAsArguments = new Set(Object.keys(kept).filter((argument) => 'credential' in kept[argument]!));
      const filled = new Set(await prompts.chooseCredentials(name, credentials, keptAsArguments));
      for (const { argument } of credentials) {
        if (filled.has(argument)) delete args[argument];
        else args[argument] = { credential: false };
      }
    }
    const secrets = proposeRedactions(tool.outputSchema);
    const previousRedact = previous?.redact ?? decision.entry?.responseFields?.redact ?? state.proposedRedactions.get(operation.key);
    const redact = secrets.length > 0 ? await prompts.chooseRedactions(name, secrets, new Set(previousRedact ? secrets.filter((field) => !previousRedact.includes(field)) : [])) : undefined;
    state.customized.set(operation.key, {
      included: true,
      reason: decision.entry?.reason ?? includedReason(decision),
      name,
      ...(described !== proposed ? { description: described } : decision.entry?.description ? { description: decision.entry.description } : {}),
      arguments: args,
      ...(redact ? { redact: [...redact, ...(previousRedact ?? []).filter((field) => !secrets.includes(field))] } : {}),
    });
  }
}

/**
 * The parameters of an operation that carry a credential, with the environment variable the server fills each
 * from (as `server`, a catalog built with them, names it), and whether toolwright.yaml keeps it as an argument.
 */
export function credentialArguments(decision: OperationDecision, server: ServerDefinition): (prompts.CredentialArgument & { kept: boolean })[] {
  const settings = decision.entry?.arguments ?? {};
  return proposeCredentialParameters(decision.operation).flatMap(({ parameter }) => {
    const argument = toArgumentName(parameter.name);
    const kept = settings[argument]?.credential === false || settings[parameter.name]?.credential === false;
    const scheme = Object.values(server.securitySchemes).find((candidate) => candidate.type === 'apiKey' && candidate.in === parameter.in && candidate.name === parameter.name);
    return scheme?.type === 'apiKey' || kept ? [{ argument, parameter: parameter.name, env: scheme?.type === 'apiKey' ? scheme.env : '', kept }] : [];
  });
}

/**
 * The mode: each option with what its tools/list costs for the current selection. `tools` is proposed while the
 * selection is within the context budget, else `discovery`; `hybrid` then asks which tools are core (at first,
 * the first one chosen).
 */
export async function chooseServerMode(state: SessionState, tools: ListedFields[], keyOf: Map<string, string>): Promise<void> {
  const nameOf = new Map([...keyOf].map(([name, key]) => [key, name]));
  const selected = [...state.selection].filter((key) => nameOf.has(key));
  const core = new Set([...state.core].filter((key) => nameOf.has(key)));
  if (core.size === 0 && selected.length > 0) core.add(selected[0]!);
  const costs = measureModeCosts(tools, [...core].map((key) => nameOf.get(key)!));
  const recommended = costs.tools <= contextBudgetTokens ? 'tools' : 'discovery';
  state.mode = await prompts.chooseMode({ costs, toolCount: tools.length, coreCount: core.size, recommended, current: state.mode });
  if (state.mode !== 'hybrid') return;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const candidates = selected.map((key) => ({ key, name: nameOf.get(key)!, tokens: countToolTokens(byName.get(nameOf.get(key)!)!) }));
  state.core = new Set(await prompts.chooseCore(candidates, core));
  const hybrid = measureModeCosts(tools, [...state.core].map((key) => nameOf.get(key)!)).hybrid;
  state.log(`Hybrid: ${state.core.size} core tool${state.core.size === 1 ? '' : 's'} plus search_tools, describe_tools and call_tool, ~${formatCount(hybrid)} tokens on every turn.`);
}

/**
 * The chosen operations as tools with their full output schemas, so that every field named like a secret can
 * be proposed for redaction, and with every credential parameter filled by the server, so that each has its
 * variable and one kept as an argument can be handed back to the server.
 */
function proposalCatalog(state: SessionState, model: ApiModel, chosen: OperationDecision[]): ToolCatalog {
  const withoutKept = (entry: OperationEntry): OperationEntry['arguments'] => Object.fromEntries(Object.entries(entry.arguments).filter(([, setting]) => setting.credential !== false));
  const operations = chosen.map((d) => ({ ...d, included: true, entry: d.entry && { ...d.entry, outputSchema: undefined, arguments: withoutKept(d.entry) } }));
  return buildCatalog({ model, decisions: { server: { ...state.server, version: '0' }, operations, output: { outputSchema: 'full' } } }).catalog;
}

/**
 * The redactions proposed for chosen operations that toolwright.yaml does not record yet and whose tools were
 * not reviewed one by one: every response field named like a secret, as the per-tool step proposes them.
 * Measured once per operation.
 */
export function proposeDefaultRedactions(state: SessionState, model: ApiModel, chosen: OperationDecision[]): void {
  const missing = chosen.filter((decision) => !decision.entry && !state.proposedRedactions.has(decision.operation.key));
  if (missing.length === 0) return;
  const { tools } = proposalCatalog(state, model, missing);
  for (const decision of missing) {
    const tool = tools.find((candidate) => candidate.name === decision.name);
    state.proposedRedactions.set(decision.operation.key, proposeRedactions(tool?.outputSchema));
  }
}

/** Why a chosen operation is in, for toolwright.yaml: its risk class and the reasons for it. */
export function includedReason(decision: OperationDecision): string {
  return `${decision.risk.class} (${decision.risk.reasons.join('; ')})`;
}

/** Why an operation is left out, for toolwright.yaml. */
export function excludedReason(decision: OperationDecision): string {
  if (decision.entry?.include === false && decision.entry.reason) return decision.entry.reason;
  const dangerous = decision.risk.class === 'destructive' || decision.risk.class === 'admin';
  return dangerous ? `${decision.risk.class} (${decision.risk.reasons.join('; ')})` : 'not selected';
}

/** The pinned and hidden arguments toolwright.yaml already records for an operation. */
export function existingArguments(decision: OperationDecision): Choice['arguments'] {
  const result: Choice['arguments'] = {};
  for (const [name, settings] of Object.entries(decision.entry?.arguments ?? {})) {
    if (settings.hidden) result[name] = { hidden: true };
    else if (settings.pinned) result[name] = { value: settings.pinned.value };
    else if (settings.credential === false) result[name] = { credential: false };
  }
  return result;
}

const valueChecker = new Ajv2020({ strict: false, validateFormats: false });

async function askArgumentChoices(inputSchema: JsonSchema, confirmArgument: string | undefined, tool: string, kept: Choice['arguments']): Promise<Choice['arguments']> {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((inputSchema.required as string[] | undefined) ?? []);
  const defs = inputSchema.$defs as Record<string, JsonSchema> | undefined;
  const args = Object.entries(properties)
    .filter(([name]) => name !== confirmArgument)
    .map(([name, schema]) => ({ name, schema, required: required.has(name) }));
  const result: Choice['arguments'] = {};
  for (const [name, setting] of Object.entries(kept)) if (!(name in properties)) result[name] = setting;
  const preset = new Set(Object.keys(kept).filter((name) => !('credential' in kept[name]!)));
  for (const name of await prompts.chooseArguments(args, tool, preset)) {
    const arg = args.find((candidate) => candidate.name === name)!;
    if ((await prompts.askArgumentTreatment(arg)) === 'hide') {
      result[name] = { hidden: true };
      continue;
    }
    const validate = valueChecker.compile(defs ? { ...arg.schema, $defs: defs } : arg.schema);
    const value: JsonValue = await prompts.askPinnedValue(arg, (candidate) =>
      validate(candidate) ? true : valueChecker.errorsText(validate.errors, { dataVar: 'the value' }),
    );
    result[name] = { value };
  }
  return result;
}
