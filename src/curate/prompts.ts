import { checkbox, confirm, input, select } from '@inquirer/prompts';
import type { JsonSchema, JsonValue, ServerMode } from '../../templates/runtime/definition.js';
import { toolNamePattern } from '../model/names.js';
import type { RiskClass } from '../model/classify.js';
import type { OperationDecision } from './select.js';
import { formatCount } from '../format-count.js';

const serverNamePattern = /^[a-z0-9][a-z0-9._-]*$/;
const envPrefixPattern = /^[A-Z][A-Z0-9_]*$/;

/** Prompts run only for a person at a terminal: never without a TTY or under CI. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}

/** True for the error the prompts throw when the user presses Ctrl-C. */
export function isCancel(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}

export type MainAction = 'search' | 'browse' | 'starter' | 'tag' | 'class' | 'done';

const classMarks: Record<RiskClass, string> = { read: 'read', write: 'write', destructive: '! destructive', admin: '! admin' };

/** The label of an operation in lists: class, method, path and proposed tool name. */
export function operationLabel(decision: OperationDecision, costs: Map<string, number>, isNew = false): string {
  const tokens = costs.get(decision.operation.key);
  return [
    isNew ? 'NEW ' : '',
    `[${classMarks[decision.risk.class]}] `,
    `${decision.operation.method} ${decision.operation.path}`,
    ` -> ${decision.name}`,
    tokens === undefined ? '' : ` (~${tokens} tokens)`,
  ].join('');
}

/** The main screen of selection: type words to find operations, or press enter for the other choices. */
export function searchPrompt(status: string): Parameters<typeof input>[0] {
  return { message: `${status}\nFind operations: type words (e.g. "list issues repo") and enter, or just enter for more choices:` };
}

export async function askSearch(status: string): Promise<string> {
  return input(searchPrompt(status));
}

/** The choices besides searching; `starter` offers the suggested starting set of a large spec. */
export function actionPrompt(starter?: { count: number; names: string[] }): Parameters<typeof select<MainAction>>[0] {
  return {
    message: 'What next?',
    choices: [
      { name: 'Done selecting: review the names and descriptions, then the whole server', value: 'done' },
      ...(starter ? [{ name: `Add the suggested starter set: ${starter.count} central read operations (${starter.names.join(', ')})`, value: 'starter' as const }] : []),
      { name: 'Search again', value: 'search' },
      { name: 'Browse the operations of a tag', value: 'browse' },
      { name: 'Select or clear a whole tag', value: 'tag' },
      { name: 'Select or clear a whole risk class', value: 'class' },
    ],
  };
}

export async function chooseAction(starter?: { count: number; names: string[] }): Promise<MainAction> {
  return select<MainAction>(actionPrompt(starter));
}

export async function chooseTag(tags: [string, number][], allowAll: boolean): Promise<string | undefined> {
  const choices = tags.map(([tag, count]) => ({ name: `${tag} (${count})`, value: tag as string | undefined }));
  return select({
    message: 'Which tag?',
    choices: allowAll ? [{ name: 'All tags', value: undefined }, ...choices] : choices,
    pageSize: 15,
  });
}

export async function chooseClass(): Promise<RiskClass> {
  return select<RiskClass>({
    message: 'Which risk class?',
    choices: (['read', 'write', 'destructive', 'admin'] as const).map((value) => ({ name: value, value })),
  });
}

export async function chooseGroupAction(): Promise<'select-safe' | 'select-all' | 'clear'> {
  return select({
    message: 'Do what with these operations?',
    choices: [
      { name: 'Select their read and write operations', value: 'select-safe' as const },
      { name: 'Select all of them, destructive and admin ones too', value: 'select-all' as const },
      { name: 'Clear them', value: 'clear' as const },
    ],
  });
}

/** A checkbox of operations; destructive and admin ones show why they are risky. */
export async function toggleOperations(
  message: string,
  shown: OperationDecision[],
  selection: Set<string>,
  costs: Map<string, number>,
  isNew: (decision: OperationDecision) => boolean,
): Promise<string[]> {
  return checkbox({
    message: `${message}: space toggles, a toggles all, enter confirms`,
    pageSize: 15,
    loop: false,
    choices: shown.map((decision) => ({
      name: operationLabel(decision, costs, isNew(decision)),
      value: decision.operation.key,
      checked: selection.has(decision.operation.key),
      description: [decision.operation.summary, `Why ${decision.risk.class}: ${decision.risk.reasons.join('; ')}`].filter(Boolean).join('\n'),
    })),
  });
}

export async function askCustomize(count: number): Promise<boolean> {
  return confirm({ message: `Review the name, description and arguments of each of the ${count} tools?`, default: count <= 30 });
}

/** The prompt for a tool name: valid for every client, and unique. */
export function toolNamePrompt(proposed: string, taken: Set<string>, operation?: string): Parameters<typeof input>[0] {
  return {
    message: operation ? `Tool name for ${operation}:` : 'Tool name:',
    default: proposed,
    validate: (value: string) => {
      if (!toolNamePattern.test(value)) return 'Use 1 to 64 letters, digits, "_" or "-".';
      if (taken.has(value.toLowerCase())) return `Another tool is already named "${value}".`;
      return true;
    },
  };
}

export async function askToolName(proposed: string, taken: Set<string>, operation: string): Promise<string> {
  return input(toolNamePrompt(proposed, taken, operation));
}

/** The prompt for a description: the proposed one, on one line, ready to edit. */
export function descriptionPrompt(proposed: string, tool?: string): Parameters<typeof input>[0] {
  return {
    message: tool ? `Description of ${tool} for the model:` : 'Description for the model:',
    default: proposed.replace(/\s+/g, ' ').trim(),
    validate: (value: string) => (value.trim().length >= 10 ? true : 'Write at least a short sentence: what it does and when to use it.'),
  };
}

export async function askDescription(proposed: string, tool: string): Promise<string> {
  return input(descriptionPrompt(proposed, tool));
}

export type ArgumentInfo = { name: string; schema: JsonSchema; required: boolean };

export async function chooseArguments(args: ArgumentInfo[], tool: string, preset: Set<string>): Promise<string[]> {
  if (args.length === 0) return [];
  return checkbox({
    message: `Arguments of ${tool} the model must not choose (hide or pin them); enter for none`,
    pageSize: 15,
    choices: args.map((arg) => ({
      name: `${arg.name}${arg.required ? ' (required)' : ''}: ${describeType(arg.schema)}`,
      value: arg.name,
      checked: preset.has(arg.name),
      description: typeof arg.schema.description === 'string' ? arg.schema.description : undefined,
    })),
  });
}

export async function askArgumentTreatment(arg: ArgumentInfo): Promise<'pin' | 'hide'> {
  return select({
    message: `What to do with "${arg.name}"?`,
    choices: [
      { name: 'Pin it to a value the server always sends', value: 'pin' as const },
      arg.required
        ? { name: 'Hide it (only optional arguments can be hidden)', value: 'hide' as const, disabled: true }
        : { name: 'Hide it: never sent', value: 'hide' as const },
    ],
  });
}

/** The prompt for a pinned value: JSON when it parses as JSON, else the text itself; checked by `check`. */
export function pinnedValuePrompt(arg: ArgumentInfo, check: (value: JsonValue) => string | true): Parameters<typeof input>[0] {
  return {
    message: `Value for "${arg.name}" (${describeType(arg.schema)}):`,
    validate: (text: string) => (text === '' ? 'Enter a value.' : check(parsePinnedValue(text))),
  };
}

export function parsePinnedValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export async function askPinnedValue(arg: ArgumentInfo, check: (value: JsonValue) => string | true): Promise<JsonValue> {
  return parsePinnedValue(await input(pinnedValuePrompt(arg, check)));
}

/** The prompt for the output folder; `check` says why a folder cannot be used. */
export function outPrompt(proposed: string, check: (value: string) => Promise<string | undefined>): Parameters<typeof input>[0] {
  return {
    message: 'Generate the server project into:',
    default: proposed,
    validate: async (value: string) => (value.trim() ? ((await check(value.trim())) ?? true) : 'Enter a folder.'),
  };
}

export async function askOut(proposed: string, check: (value: string) => Promise<string | undefined>): Promise<string> {
  return (await input(outPrompt(proposed, check))).trim();
}

/** The prompt for the MCP server's name: short, because clients prefix every tool name with it. */
export function serverNamePrompt(proposed: string): Parameters<typeof input>[0] {
  return {
    message: 'Server name (clients show it and prefix tool names with it):',
    default: proposed,
    validate: (value: string) => {
      if (!serverNamePattern.test(value)) return 'Use lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.';
      return value.length <= 30 ? true : 'Keep it to 30 characters: clients put it in front of every tool name, within 64.';
    },
  };
}

export async function askServerName(proposed: string): Promise<string> {
  return input(serverNamePrompt(proposed));
}

/** The prompt for the prefix of the server's environment variables. */
export function envPrefixPrompt(proposed: string): Parameters<typeof input>[0] {
  return {
    message: 'Prefix of its environment variables:',
    default: proposed,
    validate: (value: string) => (envPrefixPattern.test(value) ? true : 'Use uppercase letters, digits and "_", starting with a letter.'),
  };
}

export async function askEnvPrefix(proposed: string): Promise<string> {
  return input(envPrefixPrompt(proposed));
}

/** What each mode's tools/list costs on every turn, for the current selection. */
export type ModeCosts = { [mode in ServerMode]: number };

/**
 * How the server offers the selected tools, each with what its tools/list costs in the model's context on every
 * turn; `recommended` is marked and preselected unless the user chose before (`current`).
 */
export function modePrompt({ costs, toolCount, coreCount, recommended, current }: { costs: ModeCosts; toolCount: number; coreCount: number; recommended: ServerMode; current?: ServerMode }): Parameters<typeof select<ServerMode>>[0] {
  const tokens = (mode: ServerMode): string => `~${formatCount(costs[mode])} tokens`;
  const mark = (mode: ServerMode): string => (mode === recommended ? ' (recommended)' : '');
  const plural = toolCount === 1 ? '' : 's';
  return {
    message: 'Serve the tools how? (tokens of tool definitions in the model\'s context on every turn)',
    default: current ?? recommended,
    choices: [
      { name: `tools: each of the ${toolCount} tool${plural} listed on its own, ${tokens('tools')}${mark('tools')}`, value: 'tools' },
      { name: `discovery: search_tools, describe_tools and call_tool reach all ${toolCount}, ${tokens('discovery')}${mark('discovery')}`, value: 'discovery' },
      { name: `hybrid: core tools listed on their own plus those three, ${tokens('hybrid')} with ${coreCount} core${mark('hybrid')}`, value: 'hybrid' },
    ],
  };
}

export async function chooseMode(options: Parameters<typeof modePrompt>[0]): Promise<ServerMode> {
  return select<ServerMode>(modePrompt(options));
}

/** A selected tool offered as a core tool of a hybrid server. */
export type CoreCandidate = { key: string; name: string; tokens: number };

/** Which tools a hybrid server lists on their own; at least one. */
export function corePrompt(candidates: CoreCandidate[], core: Set<string>): Parameters<typeof checkbox<string>>[0] {
  return {
    message: 'Core tools, listed on their own (the rest are reached through search_tools): space toggles, enter confirms',
    pageSize: 15,
    loop: false,
    choices: candidates.map((candidate) => ({ name: `${candidate.name} (~${candidate.tokens} tokens)`, value: candidate.key, checked: core.has(candidate.key) })),
    validate: (chosen: readonly unknown[]) => (chosen.length > 0 ? true : 'Choose at least one core tool, or go back and pick discovery.'),
  };
}

export async function chooseCore(candidates: CoreCandidate[], core: Set<string>): Promise<string[]> {
  return checkbox(corePrompt(candidates, core));
}

/** Response fields named like secrets, proposed for redaction: every one checked unless the user cleared it before. */
export function redactionPrompt(tool: string, fields: string[], cleared: Set<string>): Parameters<typeof checkbox<string>>[0] {
  return {
    message: `Fields of ${tool}'s results that look like secrets: redact them before the model sees them? (space toggles, enter confirms)`,
    choices: fields.map((field) => ({ name: field, value: field, checked: !cleared.has(field) })),
  };
}

export async function chooseRedactions(tool: string, fields: string[], cleared: Set<string>): Promise<string[]> {
  return checkbox(redactionPrompt(tool, fields, cleared));
}

/** A parameter that carries a credential: the server fills it from `env` instead of asking the model. */
export type CredentialArgument = { argument: string; parameter: string; env: string };

/** The credential parameters the server fills itself: unchecking one keeps it as an argument the model supplies. */
export function credentialPrompt(tool: string, credentials: CredentialArgument[], keptAsArguments: Set<string>): Parameters<typeof checkbox<string>>[0] {
  return {
    message: `Credentials of ${tool} the server fills from its environment, never an argument (uncheck to let the model supply one):`,
    choices: credentials.map((credential) => ({
      name: `${credential.argument}: filled from ${credential.env}`,
      value: credential.argument,
      checked: !keptAsArguments.has(credential.argument),
    })),
  };
}

export async function chooseCredentials(tool: string, credentials: CredentialArgument[], keptAsArguments: Set<string>): Promise<string[]> {
  return checkbox(credentialPrompt(tool, credentials, keptAsArguments));
}

export type ReviewAction = 'write' | 'selection' | 'tools' | 'mode' | 'server' | 'out';

/** The last screen: everything that will be written, and a way back to each step. */
export function reviewPrompt(summary: string): Parameters<typeof select<ReviewAction>>[0] {
  return {
    message: `${summary}\nWrite it?`,
    choices: [
      { name: 'Write toolwright.yaml and generate the server', value: 'write' },
      { name: 'Go back: change the selection', value: 'selection' },
      { name: 'Go back: names, descriptions and arguments', value: 'tools' },
      { name: 'Go back: mode (tools, discovery or hybrid)', value: 'mode' },
      { name: 'Go back: server name and environment prefix', value: 'server' },
      { name: 'Go back: output folder', value: 'out' },
    ],
  };
}

export async function review(summary: string): Promise<ReviewAction> {
  return select<ReviewAction>(reviewPrompt(summary));
}

function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  const type = schema.type;
  return Array.isArray(type) ? type.join(' or ') : typeof type === 'string' ? type : 'any';
}

