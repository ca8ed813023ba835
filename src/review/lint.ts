import { countToolTokens } from '../catalog/tokens.js';
import { hasMarkup } from '../curate/plain-text.js';
import { defaultClientPrefixLength } from '../model/names.js';
import { resolvePointer } from '../errors.js';
import type { RiskClass } from '../model/classify.js';
import type { JsonValue, ReviewCatalog, ReviewTool } from './types.js';
import { formatCount } from '../format-count.js';

export type LintSeverity = 'error' | 'warning';

export type LintRule =
  | 'description-missing'
  | 'description-short'
  | 'description-long'
  | 'description-markup'
  | 'description-no-result'
  | 'name-invalid'
  | 'name-duplicate'
  | 'name-long'
  | 'names-similar'
  | 'arguments-undescribed'
  | 'destructive-unconfirmed'
  | 'input-schema-root'
  | 'too-many-tools'
  | 'token-budget'
  | 'tool-budget'
  | 'tool-tokens';

/**
 * One problem in a catalog. `tool` is absent for problems of the catalog as a whole; `arguments` lists
 * the arguments concerned and `similar` the other tool of a near-duplicate pair.
 */
export type LintFinding = {
  severity: LintSeverity;
  rule: LintRule;
  tool?: string;
  message: string;
  arguments?: string[];
  similar?: string;
};

export type LintBudgets = {
  /** The most tokens the whole catalog may cost. */
  maxTokens?: number;
  /** The most tools the catalog may have. */
  maxTools?: number;
  /** The most tokens one tool may cost; above it is an error (without it, a warning above `lintLimits.toolTokens`). */
  maxToolTokens?: number;
  /** Characters a client puts before each name; default: the length of `mcp__<server>__`. */
  clientPrefixLength?: number;
};

export type LintReport = {
  api: { title: string; version: string };
  server: { name: string; version: string };
  summary: { tools: number; tokens: number; errors: number; warnings: number };
  budgets: { maxTokens: number | null; maxTools: number | null; maxToolTokens: number | null };
  /** Every tool with its token cost, costliest first (ties by name). */
  tools: { name: string; tokens: number; riskClass: RiskClass | null }[];
  /** Errors first, then warnings; catalog-wide findings before those of a tool; then by tool and rule. */
  findings: LintFinding[];
};

/** The thresholds lint applies, from the MCP and model vendors' guidance (see the README). */
export const lintLimits = {
  /** Shorter descriptions rarely tell a model when to use the tool. */
  minDescription: 20,
  /** Longer descriptions cost context on every turn; details belong in argument descriptions. */
  maxDescription: 1_000,
  /** Claude and OpenAI accept at most 64 characters of `^[a-zA-Z0-9_-]`. */
  maxName: 64,
  /** A tool costing more tokens than this is worth a look (a warning unless `--max-tool-tokens` sets a budget). */
  toolTokens: 1_000,
  /** OpenAI suggests fewer than 20 functions in one request. */
  manyTools: 20,
} as const;

const validName = /^[a-zA-Z0-9_-]+$/;
const ruleOrder: LintRule[] = [
  'tool-budget', 'token-budget', 'too-many-tools', 'tool-tokens', 'name-invalid', 'name-duplicate', 'input-schema-root', 'description-missing',
  'description-short', 'description-long', 'description-markup', 'description-no-result', 'name-long', 'names-similar', 'arguments-undescribed', 'destructive-unconfirmed',
];

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Checks a catalog for what makes tools hard for an agent to choose and call, or too costly: missing,
 * short or long descriptions; names clients refuse, names that get too long once a host prefixes them,
 * near-duplicate names; arguments without descriptions; destructive tools without confirmation; too many
 * tools; and the token cost per tool and in total against optional budgets (exceeding one is an error).
 */
export function lintCatalog({ catalog, budgets = {} }: { catalog: ReviewCatalog; budgets?: LintBudgets }): LintReport {
  const findings: LintFinding[] = [];
  const costs = catalog.tools.map((tool) => ({ name: tool.name, tokens: countToolTokens(tool), riskClass: tool.risk?.class ?? null }));
  const total = costs.reduce((sum, tool) => sum + tool.tokens, 0);
  const count = catalog.tools.length;
  if (budgets.maxTools !== undefined && count > budgets.maxTools) {
    findings.push({
      severity: 'error',
      rule: 'tool-budget',
      message: `${plural(count, 'tool')}, over the budget of ${formatCount(budgets.maxTools)} (--max-tools). Leave tools out in toolwright.yaml.`,
    });
  }
  if (budgets.maxTokens !== undefined && total > budgets.maxTokens) {
    findings.push({
      severity: 'error',
      rule: 'token-budget',
      message: `the tool definitions cost ${plural(total, 'token')}, over the budget of ${formatCount(budgets.maxTokens)} (--max-tokens). Leave tools out, or shorten descriptions and hide arguments in toolwright.yaml.`,
    });
  }
  if (count > lintLimits.manyTools) {
    findings.push({
      severity: 'warning',
      rule: 'too-many-tools',
      message: `${plural(count, 'tool')}: agents choose best among fewer than about ${lintLimits.manyTools}. Keep the tools that matter for the task and leave the rest out.`,
    });
  }
  const prefixLength = budgets.clientPrefixLength ?? defaultClientPrefixLength(catalog.server.name);
  for (const [index, tool] of catalog.tools.entries()) {
    findings.push(...lintTool(tool, { serverName: catalog.server.name, prefixLength }));
    findings.push(...lintToolCost(tool.name, costs[index]!.tokens, budgets.maxToolTokens));
  }
  findings.push(...lintNames(catalog.tools));
  findings.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.tool === undefined ? 0 : 1) - (b.tool === undefined ? 0 : 1) ||
      byText(a.tool ?? '', b.tool ?? '') ||
      ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule) ||
      byText(a.similar ?? '', b.similar ?? ''),
  );
  return {
    api: { title: catalog.api.title, version: catalog.api.version },
    server: { name: catalog.server.name, version: catalog.server.version },
    summary: {
      tools: count,
      tokens: total,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
    },
    budgets: { maxTokens: budgets.maxTokens ?? null, maxTools: budgets.maxTools ?? null, maxToolTokens: budgets.maxToolTokens ?? null },
    tools: costs.sort((a, b) => b.tokens - a.tokens || byText(a.name, b.name)),
    findings,
  };
}

function lintToolCost(tool: string, tokens: number, budget: number | undefined): LintFinding[] {
  const limit = budget ?? lintLimits.toolTokens;
  if (tokens <= limit) return [];
  const advice = 'Shorten its description, hide or pin arguments, or trim its output schema in toolwright.yaml.';
  return [
    budget === undefined
      ? { severity: 'warning', rule: 'tool-tokens', tool, message: `the tool costs ${plural(tokens, 'token')} on every turn, over ${formatCount(limit)}. ${advice}` }
      : { severity: 'error', rule: 'tool-tokens', tool, message: `the tool costs ${plural(tokens, 'token')}, over the budget of ${formatCount(limit)} per tool (--max-tool-tokens). ${advice}` },
  ];
}

/** Words that say what a call gives back. */
const saysResult = /\b(returns?|returned|returning|result|results|responds?|yields?|gives? back|lists?|outputs?)\b/i;
/** A result sentence that says nothing about the result. */
const vagueResult = /\breturns (an object|a list|an array|a JSON object)\.(\s|$)/i;

function lintTool(tool: ReviewTool, { serverName, prefixLength }: { serverName: string; prefixLength: number }): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (severity: LintSeverity, rule: LintRule, message: string, extra: Partial<LintFinding> = {}) =>
    findings.push({ severity, rule, tool: tool.name, message, ...extra });
  const { name } = tool;
  if (name.length === 0 || name.length > lintLimits.maxName || !validName.test(name)) {
    const bad = [...new Set(name.replace(/[a-zA-Z0-9_-]/g, ''))].join('');
    const problems = [
      name.length === 0 ? 'is empty' : undefined,
      name.length > lintLimits.maxName ? `is ${name.length} characters long, over the ${lintLimits.maxName} clients accept` : undefined,
      bad ? `contains ${JSON.stringify(bad)}, which clients refuse (only A-Z a-z 0-9 _ - are allowed)` : undefined,
    ].filter(Boolean);
    add('error', 'name-invalid', `the name ${problems.join(' and ')}. Set \`name:\` for this operation in toolwright.yaml.`);
  } else if (prefixLength + name.length > lintLimits.maxName) {
    const room = Math.max(lintLimits.maxName - prefixLength, 0);
    add(
      'warning',
      'name-long',
      `the name is ${name.length} characters long; with the client prefix (${prefixLength} characters, such as \`mcp__${serverName}__\`) it is ${prefixLength + name.length}, over the ${lintLimits.maxName} clients accept. Choose a name of at most ${room} characters, or a shorter server name.`,
    );
  }
  const schema = tool.inputSchema;
  if (schema.type !== 'object' || ['anyOf', 'oneOf', 'allOf'].some((keyword) => keyword in schema)) {
    add('error', 'input-schema-root', 'the input schema must be `type: "object"` without anyOf, oneOf or allOf at its root, or clients refuse the tool list.');
  }
  const description = tool.description.trim();
  if (description.length === 0) {
    add('error', 'description-missing', 'no description: the model cannot tell when to use this tool. Set `description:` in toolwright.yaml.');
  } else if (description.length < lintLimits.minDescription) {
    add(
      'warning',
      'description-short',
      `the description (${JSON.stringify(description)}) is ${description.length} characters long: say what the tool does, when to use it and what it returns.`,
    );
  } else if (description.length > lintLimits.maxDescription) {
    add(
      'warning',
      'description-long',
      `the description is ${formatCount(description.length)} characters long, over ${formatCount(lintLimits.maxDescription)}: it costs context on every turn. Keep what helps choose the tool; move details into argument descriptions.`,
    );
  }
  if (description.length > 0 && hasMarkup(description)) {
    add('warning', 'description-markup', 'the description contains HTML tags or Markdown links: the model reads the markup as text. Write it as plain text in `description:` in toolwright.yaml.');
  }
  if (description.length >= lintLimits.minDescription && !saysResult.test(description)) {
    add('warning', 'description-no-result', 'the description does not say what the tool returns: a model cannot tell whether the result answers its question. Add a sentence such as "Returns the customer: id, email, name."');
  } else if (vagueResult.test(description)) {
    add('warning', 'description-no-result', 'the description says only that the tool returns an object or a list: say which kind and its main fields, such as "Returns the customer: id, email, name."');
  }
  const undescribed = undescribedArguments(tool);
  if (undescribed.length > 0) {
    add(
      'warning',
      'arguments-undescribed',
      `${undescribed.length === 1 ? 'argument' : 'arguments'} without a description: ${undescribed.map((argument) => `\`${argument}\``).join(', ')}. Describe ${undescribed.length === 1 ? 'it' : 'them'} in the spec or with \`arguments: { <name>: { description } }\` in toolwright.yaml.`,
      { arguments: undescribed },
    );
  }
  const destructive = tool.risk?.class === 'destructive' || tool.annotations.destructiveHint;
  if (destructive && !tool.confirmation) {
    add(
      'warning',
      'destructive-unconfirmed',
      'a destructive tool without confirmation: the model can run it without asking the user. Remove `confirm: false` for this operation in toolwright.yaml.',
    );
  }
  return findings;
}

function undescribedArguments(tool: ReviewTool): string[] {
  const properties = tool.inputSchema.properties;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) return [];
  return Object.entries(properties)
    .filter(([, schema]) => !hasDescription(tool.inputSchema, schema))
    .map(([name]) => name);
}

function hasDescription(root: JsonValue, schema: JsonValue | undefined): boolean {
  let current = schema;
  for (let hops = 0; hops < 16; hops++) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return false;
    if (typeof current.description === 'string' && current.description.trim() !== '') return true;
    if (typeof current.$ref !== 'string') return false;
    current = resolvePointer(root, current.$ref) as JsonValue | undefined;
  }
  return false;
}

/**
 * Exact duplicates, and pairs of names equal but for case and separators, or but for one added
 * character (`get_ruleset` and `get_rulesets`). One substituted character is not reported: it is
 * usually a different word (`get_` and `set_`).
 */
function lintNames(tools: ReviewTool[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const counts = new Map<string, number>();
  for (const tool of tools) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      findings.push({ severity: 'error', rule: 'name-duplicate', tool: name, message: `${count} tools have this name: clients see only one. Give each its own name in toolwright.yaml.` });
    }
  }
  const names = [...counts.keys()].sort(byText);
  const normalized = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  const byLength = new Map<number, string[]>();
  for (const name of names) byLength.set(name.length, [...(byLength.get(name.length) ?? []), name]);
  const byNormal = new Map<string, string[]>();
  for (const name of names) byNormal.set(normalized(name), [...(byNormal.get(normalized(name)) ?? []), name]);
  const pairs = new Set<string>();
  const report = (a: string, b: string) => {
    const [first, second] = a < b ? [a, b] : [b, a];
    const key = `${first}\n${second}`;
    if (pairs.has(key)) return;
    pairs.add(key);
    const how = normalized(first) === normalized(second) ? 'differ only in case or separators' : 'differ by one character';
    findings.push({
      severity: 'warning',
      rule: 'names-similar',
      tool: first,
      similar: second,
      message: `\`${first}\` and \`${second}\` ${how}: a model may call one for the other. Rename one so that the names say how the tools differ.`,
    });
  };
  for (const group of byNormal.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) report(group[i]!, group[j]!);
  }
  for (const name of names) {
    const lower = name.toLowerCase();
    for (const other of byLength.get(name.length + 1) ?? []) {
      if (oneInsertionApart(lower, other.toLowerCase())) report(name, other);
    }
  }
  return findings;
}

/** Whether `b` is `a` with one character inserted. */
function oneInsertionApart(a: string, b: string): boolean {
  if (b.length !== a.length + 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(i) === b.slice(i + 1);
}
