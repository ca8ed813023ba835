import { UserError, type Diagnostic } from '../errors.js';
import { classifyOperation, type Risk } from '../model/classify.js';
import { proposeToolName, resolveToolNames, toWords } from '../model/names.js';
import type { ApiModel, OperationModel } from '../model/types.js';
import type { ClientProfile } from '../catalog/profiles.js';
import type { OutputSettings } from '../catalog/shape-output.js';
import type { CurationConfig, DeclaredAuth, OperationEntry } from './config-file.js';

/** What was decided for one operation: whether it becomes a tool, why, and as what. */
export type OperationDecision = {
  operation: OperationModel;
  risk: Risk;
  included: boolean;
  reason: string;
  /** toolwright.yaml exists but does not mention this operation yet. */
  unreviewed: boolean;
  name: string;
  title: string;
  description: string;
  /** The entry of toolwright.yaml for this operation, when there is one. */
  entry?: OperationEntry;
};

export type ServerIdentity = {
  name: string;
  version: string;
  envPrefix: string;
  instructions?: string;
};

/** Every operation's decision, in the spec's order, plus the server's identity. */
export type Decisions = {
  server: ServerIdentity;
  operations: OperationDecision[];
  /** Upstream credentials declared in toolwright.yaml. */
  upstreamAuth?: DeclaredAuth[];
  /** toolwright.yaml's settings for results (output schemas, validation, response fields), for every tool. */
  output?: OutputSettings;
  /** The clients the catalog is rewritten for. */
  profiles?: ClientProfile[];
};

const maxDescriptionLength = 1_000;

/**
 * Decides which operations become tools and what they are called. Read and write operations are in
 * by default; destructive, admin and deprecated ones are out unless toolwright.yaml sets `include: true`.
 * With a toolwright.yaml, operations it does not list follow its `newOperations` policy.
 */
export function selectTools({ model, config, dropUnknown = false }: { model: ApiModel; config?: CurationConfig; dropUnknown?: boolean }): {
  decisions: Decisions;
  warnings: Diagnostic[];
  /** Entries of toolwright.yaml whose operation is no longer in the spec (only with `dropUnknown`). */
  missing: OperationEntry[];
} {
  const missing: OperationEntry[] = [];
  const entries = config ? matchEntries(model, config, dropUnknown ? missing : undefined) : new Map<OperationModel, OperationEntry>();
  const proposed = resolveToolNames(model.operations.map((operation) => ({ key: operation.key, name: proposeToolName(operation) })));
  const operations = model.operations.map((operation): OperationDecision => {
    const entry = entries.get(operation);
    const risk = classifyOperation(operation, model.document);
    const name = entry?.name ?? proposed.get(operation.key)!;
    return {
      operation,
      risk,
      ...inclusion(risk, entry, config),
      name,
      title: entry?.title ?? defaultTitle(operation, name),
      description: entry?.description?.trim() || defaultDescription(operation),
      ...(entry ? { entry } : {}),
    };
  });
  if (config) checkUniqueNames(operations, config.file);
  const narrowed = config ? { operations } : narrowStart(operations, model.source);
  const serverName = config?.server.name ?? slug(model.title);
  const warnings: Diagnostic[] = narrowed.warning ? [narrowed.warning] : [];
  const unreviewed = operations.filter((decision) => decision.unreviewed);
  if (config && unreviewed.length > 0) {
    warnings.push({
      code: 'unreviewed',
      file: config.file,
      message: `${unreviewed.length} operation${unreviewed.length === 1 ? ' is' : 's are'} not in toolwright.yaml yet (${
        config.newOperations === 'exclude' ? 'left out' : 'decided by risk class'
      }): ${unreviewed.slice(0, 5).map((d) => d.operation.key).join(', ')}${unreviewed.length > 5 ? ', ...' : ''}`,
      help: 'Run `toolwright curate` to decide on them.',
    });
  }
  return {
    decisions: {
      server: {
        name: serverName,
        version: config?.server.version ?? model.version,
        envPrefix: config?.server.envPrefix ?? (toWords(serverName).join('_').toUpperCase() || 'API'),
        ...(config?.server.instructions ? { instructions: config.server.instructions } : {}),
      },
      operations: narrowed.operations,
      ...(config?.upstreamAuth ? { upstreamAuth: config.upstreamAuth } : {}),
      ...(config?.output ? { output: config.output } : {}),
      ...(config?.profiles ? { profiles: config.profiles } : {}),
    },
    warnings,
    missing,
  };
}

/** Above this many operations, a spec without toolwright.yaml starts narrow: read operations only. */
export const narrowStartThreshold = 40;

/**
 * The narrow start for a large API without toolwright.yaml: only read operations stay in, and a warning
 * says so. Smaller APIs keep the classifier's defaults.
 */
export function narrowStart(
  operations: OperationDecision[],
  source: string,
  threshold: number = narrowStartThreshold,
): { operations: OperationDecision[]; warning?: Diagnostic } {
  if (operations.length <= threshold) return { operations };
  const narrowed = operations.map((decision) =>
    decision.included && decision.risk.class !== 'read'
      ? { ...decision, included: false, reason: `${describeRisk(decision.risk)}: left out because the API has more than ${threshold} operations and there is no toolwright.yaml (read operations only)` }
      : decision,
  );
  const left = narrowed.filter((decision, index) => decision.included !== operations[index]!.included).length;
  return {
    operations: narrowed,
    warning: {
      code: 'narrow-start',
      file: source,
      message: `the API has ${operations.length} operations and there is no toolwright.yaml: only read operations are included (${narrowed.filter((d) => d.included).length} tools); ${left} write operation${left === 1 ? ' is' : 's are'} left out`,
      help: 'Run `toolwright init` to choose tools, or list them in toolwright.yaml.',
    },
  };
}

/**
 * A short starter set for a large API: the most central read operations, taken in turn from the tags
 * (or first path segments) with the most operations, collection reads before item reads.
 */
export function suggestStarterSet(model: ApiModel, decisions: OperationDecision[], size = 10): OperationDecision[] {
  const groupOf = (operation: OperationModel): string => operation.tags[0] ?? operation.path.split('/').find((segment) => segment && !segment.startsWith('{')) ?? '';
  const sizes = new Map<string, number>();
  for (const operation of model.operations) sizes.set(groupOf(operation), (sizes.get(groupOf(operation)) ?? 0) + 1);
  const candidates = decisions.filter((decision) => decision.risk.class === 'read' && !isDangerous(decision.risk) && !decision.operation.deprecated);
  const centrality = (decision: OperationDecision): string => {
    const { path } = decision.operation;
    const depth = path.split('/').filter(Boolean).length;
    return `${path.endsWith('}') ? 1 : 0}${String(depth).padStart(3, '0')}${path}`;
  };
  const groups = [...new Set(candidates.map((decision) => groupOf(decision.operation)))].sort((a, b) => sizes.get(b)! - sizes.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const queues = groups.map((group) =>
    candidates.filter((decision) => groupOf(decision.operation) === group).sort((a, b) => (centrality(a) < centrality(b) ? -1 : centrality(a) > centrality(b) ? 1 : 0)),
  );
  const picked: OperationDecision[] = [];
  for (let round = 0; picked.length < size && queues.some((queue) => queue.length > round); round++) {
    for (const queue of queues) {
      if (picked.length >= size) break;
      if (queue[round]) picked.push(queue[round]!);
    }
  }
  return picked;
}

/** Whether an operation is left out until toolwright.yaml sets `include: true`: destructive, admin or sensitive. */
export function isDangerous(risk: Risk): boolean {
  return risk.class === 'destructive' || risk.class === 'admin' || risk.sensitivities.length > 0;
}

/** The class and sensitivities of a risk, e.g. `admin, credentials`. */
export function describeRisk(risk: Risk): string {
  return [risk.class, ...risk.sensitivities].join(', ');
}

/** The classifier's default for an operation nobody has decided on. */
export function defaultInclusion(risk: Risk, deprecated: boolean): { included: boolean; reason: string } {
  const why = risk.reasons.join('; ');
  if (isDangerous(risk)) {
    return { included: false, reason: `${describeRisk(risk)} (${why}): left out unless toolwright.yaml sets include: true` };
  }
  if (deprecated) return { included: false, reason: `${risk.class}, deprecated: left out by default` };
  return { included: true, reason: `${risk.class} (${why}): included by default` };
}

function inclusion(
  risk: Risk,
  entry: OperationEntry | undefined,
  config: CurationConfig | undefined,
): { included: boolean; reason: string; unreviewed: boolean } {
  if (entry) {
    if (entry.include === false) return { included: false, reason: entry.reason ?? 'excluded in toolwright.yaml', unreviewed: false };
    if (isDangerous(risk) && entry.include !== true) {
      return { included: false, reason: `${describeRisk(risk)}: listed in toolwright.yaml without include: true`, unreviewed: false };
    }
    return { included: true, reason: entry.reason ?? 'included in toolwright.yaml', unreviewed: false };
  }
  const deprecated = risk.reasons.includes('deprecated');
  if (!config) return { ...defaultInclusion(risk, deprecated), unreviewed: false };
  if (config.newOperations === 'exclude') return { included: false, reason: 'not yet reviewed: not in toolwright.yaml', unreviewed: true };
  return { ...defaultInclusion(risk, deprecated), unreviewed: true };
}

function matchEntries(model: ApiModel, config: CurationConfig, missing?: OperationEntry[]): Map<OperationModel, OperationEntry> {
  const byRef = new Map<string, OperationModel>();
  for (const operation of model.operations) {
    byRef.set(operation.key, operation);
    if (operation.operationId && !byRef.has(operation.operationId)) byRef.set(operation.operationId, operation);
  }
  const matched = new Map<OperationModel, OperationEntry>();
  for (const entry of config.operations) {
    const operation = byRef.get(entry.ref) ?? byRef.get(normalizeKey(entry.ref));
    if (!operation && missing) {
      missing.push(entry);
      continue;
    }
    if (!operation) {
      throw new UserError({
        code: 'config-unknown-operation',
        file: config.file,
        line: entry.line,
        message: `operation "${entry.ref}" does not exist in the spec`,
        help: `Name an operation by its operationId or as "METHOD /path"; \`toolwright inspect ${model.source}\` lists them, and \`toolwright curate\` updates the file after a spec change.`,
      });
    }
    if (matched.has(operation)) {
      throw new UserError({
        code: 'config-duplicate-operation',
        file: config.file,
        line: entry.line,
        message: `operation "${entry.ref}" is listed twice (as "${matched.get(operation)!.ref}" too)`,
        help: 'Keep one entry per operation.',
      });
    }
    matched.set(operation, entry);
  }
  return matched;
}

/** `get /pets` → `GET /pets`. */
export function normalizeKey(ref: string): string {
  const match = /^([a-zA-Z]+)\s+(\S.*)$/.exec(ref.trim());
  return match ? `${match[1]!.toUpperCase()} ${match[2]}` : ref;
}

function checkUniqueNames(operations: OperationDecision[], file: string): void {
  const seen = new Map<string, OperationDecision>();
  for (const decision of operations.filter((d) => d.included)) {
    const other = seen.get(decision.name.toLowerCase());
    if (other) {
      throw new UserError({
        code: 'config-duplicate-name',
        file,
        line: decision.entry?.line ?? other.entry?.line,
        message: `two tools are named "${decision.name}": ${other.operation.key} and ${decision.operation.key}`,
        help: 'Give one of them another `name`.',
      });
    }
    seen.set(decision.name.toLowerCase(), decision);
  }
}

function defaultTitle(operation: OperationModel, name: string): string {
  const summary = operation.summary?.split('\n')[0]?.replace(/\.$/, '').trim();
  if (summary) return summary;
  const words = toWords(name).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The description proposed for an operation: its summary and description, trimmed to a sensible length. */
export function defaultDescription(operation: OperationModel): string {
  const parts = [operation.summary, operation.description].filter((text): text is string => Boolean(text));
  if (parts.length === 2 && parts[1]!.startsWith(parts[0]!.replace(/\.$/, ''))) parts.shift();
  if (parts.length === 2 && !/[.!?:]$/.test(parts[0]!)) parts[0] = `${parts[0]}.`;
  const text = parts.join('\n\n').replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (!text) return `${operation.method} ${operation.path}`;
  return text.length <= maxDescriptionLength ? text : cutAtSentence(text, maxDescriptionLength);
}

function cutAtSentence(text: string, limit: number): string {
  const cut = text.slice(0, limit - 1);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'));
  return end > limit / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
}

function slug(title: string): string {
  return toWords(title).join('-') || 'api';
}
