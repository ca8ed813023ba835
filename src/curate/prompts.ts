import { checkbox, confirm, input, select } from '@inquirer/prompts';
import type { JsonSchema, JsonValue } from '../../templates/runtime/definition.js';
import { toolNamePattern } from '../model/names.js';
import type { RiskClass } from '../model/classify.js';
import type { OperationDecision } from './select.js';

/** Prompts run only for a person at a terminal: never without a TTY or under CI. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}

/** True for the error the prompts throw when the user presses Ctrl-C. */
export function isCancel(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}

export type MainAction = 'toggle' | 'tag' | 'class' | 'done';

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

export async function chooseAction(status: string): Promise<MainAction> {
  return select<MainAction>({
    message: `${status}\nWhat next?`,
    choices: [
      { name: 'Review and toggle operations (filter by tag and text)', value: 'toggle' },
      { name: 'Select or clear a whole tag', value: 'tag' },
      { name: 'Select or clear a whole risk class', value: 'class' },
      { name: 'Done selecting: name and describe the tools', value: 'done' },
    ],
  });
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

export async function askFilter(): Promise<string> {
  return input({ message: 'Only operations containing (empty for all):' });
}

/** A checkbox of operations; destructive and admin ones show why they are risky. */
export async function toggleOperations(
  shown: OperationDecision[],
  selection: Set<string>,
  costs: Map<string, number>,
  isNew: (decision: OperationDecision) => boolean,
): Promise<string[]> {
  return checkbox({
    message: 'Space toggles, a toggles all, enter confirms',
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
export function toolNamePrompt(proposed: string, taken: Set<string>): Parameters<typeof input>[0] {
  return {
    message: 'Tool name:',
    default: proposed,
    validate: (value: string) => {
      if (!toolNamePattern.test(value)) return 'Use 1 to 64 letters, digits, "_" or "-".';
      if (taken.has(value.toLowerCase())) return `Another tool is already named "${value}".`;
      return true;
    },
  };
}

export async function askToolName(proposed: string, taken: Set<string>): Promise<string> {
  return input(toolNamePrompt(proposed, taken));
}

/** The prompt for a description: the proposed one, on one line, ready to edit. */
export function descriptionPrompt(proposed: string): Parameters<typeof input>[0] {
  return {
    message: 'Description for the model:',
    default: proposed.replace(/\s+/g, ' ').trim(),
    validate: (value: string) => (value.trim().length >= 10 ? true : 'Write at least a short sentence: what it does and when to use it.'),
  };
}

export async function askDescription(proposed: string): Promise<string> {
  return input(descriptionPrompt(proposed));
}

export type ArgumentInfo = { name: string; schema: JsonSchema; required: boolean };

export async function chooseArguments(args: ArgumentInfo[]): Promise<string[]> {
  if (args.length === 0) return [];
  return checkbox({
    message: 'Arguments the model must not choose (hide or pin them); enter for none',
    pageSize: 15,
    choices: args.map((arg) => ({
      name: `${arg.name}${arg.required ? ' (required)' : ''}: ${describeType(arg.schema)}`,
      value: arg.name,
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

export async function askOut(proposed: string): Promise<string> {
  return input({ message: 'Generate the server project into:', default: proposed, validate: (value: string) => (value.trim() ? true : 'Enter a folder.') });
}

function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  const type = schema.type;
  return Array.isArray(type) ? type.join(' or ') : typeof type === 'string' ? type : 'any';
}

