import { UserError, type Diagnostic } from '../errors.js';
import { proposeToolName, resolveToolNames, toWords } from '../model/names.js';
import type { ApiModel, OperationModel } from '../model/types.js';
import type { CurationConfig, OperationEntry } from './config-file.js';

/** What was decided for one operation: whether it becomes a tool, why, and as what. */
export type OperationDecision = {
  operation: OperationModel;
  included: boolean;
  reason: string;
  name: string;
  title: string;
  description: string;
};

export type ServerIdentity = {
  name: string;
  version: string;
  envPrefix: string;
};

/** Every operation's decision, in the spec's order, plus the server's identity. */
export type Decisions = {
  server: ServerIdentity;
  operations: OperationDecision[];
};

const maxDescriptionLength = 1_000;
const readMethods = new Set(['GET', 'HEAD']);

/**
 * Decides which operations become tools and what they are called. Without a config, GET and HEAD
 * operations are included and everything else is left out; with one, exactly the operations it
 * includes become tools.
 */
export function selectTools({ model, config }: { model: ApiModel; config?: CurationConfig }): { decisions: Decisions; warnings: Diagnostic[] } {
  const entries = config ? matchEntries(model, config) : new Map<OperationModel, OperationEntry>();
  const proposed = resolveToolNames(model.operations.map((operation) => ({ key: operation.key, name: proposeToolName(operation) })));
  const operations = model.operations.map((operation): OperationDecision => {
    const entry = entries.get(operation);
    const name = entry?.name ?? proposed.get(operation.key)!;
    return {
      operation,
      ...inclusion(operation, entry, config !== undefined),
      name,
      title: entry?.title ?? defaultTitle(operation, name),
      description: entry?.description?.trim() || defaultDescription(operation),
    };
  });
  if (config) checkUniqueNames(operations, entries, config.file);
  const serverName = config?.server.name ?? slug(model.title);
  return {
    decisions: {
      server: {
        name: serverName,
        version: config?.server.version ?? model.version,
        envPrefix: config?.server.envPrefix ?? (toWords(serverName).join('_').toUpperCase() || 'API'),
      },
      operations,
    },
    warnings: [],
  };
}

function inclusion(operation: OperationModel, entry: OperationEntry | undefined, hasConfig: boolean): { included: boolean; reason: string } {
  if (entry) {
    return entry.include
      ? { included: true, reason: 'included in toolwright.yaml' }
      : { included: false, reason: 'excluded in toolwright.yaml' };
  }
  if (hasConfig) return { included: false, reason: 'not listed in toolwright.yaml' };
  return readMethods.has(operation.method)
    ? { included: true, reason: `${operation.method} only reads: included by default` }
    : { included: false, reason: `${operation.method} changes data: left out unless toolwright.yaml includes it` };
}

function matchEntries(model: ApiModel, config: CurationConfig): Map<OperationModel, OperationEntry> {
  const byRef = new Map<string, OperationModel>();
  for (const operation of model.operations) {
    byRef.set(operation.key, operation);
    if (operation.operationId && !byRef.has(operation.operationId)) byRef.set(operation.operationId, operation);
  }
  const matched = new Map<OperationModel, OperationEntry>();
  for (const entry of config.operations) {
    const operation = byRef.get(entry.ref) ?? byRef.get(normalizeKey(entry.ref));
    if (!operation) {
      throw new UserError({
        code: 'config-unknown-operation',
        file: config.file,
        line: entry.line,
        message: `operation "${entry.ref}" does not exist in the spec`,
        help: `Name an operation by its operationId or as "METHOD /path"; \`toolwright inspect ${model.source}\` lists them.`,
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

function normalizeKey(ref: string): string {
  const match = /^([a-zA-Z]+)\s+(\S.*)$/.exec(ref.trim());
  return match ? `${match[1]!.toUpperCase()} ${match[2]}` : ref;
}

function checkUniqueNames(operations: OperationDecision[], entries: Map<OperationModel, OperationEntry>, file: string): void {
  const seen = new Map<string, OperationDecision>();
  for (const decision of operations.filter((d) => d.included)) {
    const other = seen.get(decision.name.toLowerCase());
    if (other) {
      const entry = entries.get(decision.operation) ?? entries.get(other.operation);
      throw new UserError({
        code: 'config-duplicate-name',
        file,
        line: entry?.line,
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

function defaultDescription(operation: OperationModel): string {
  const parts = [operation.summary, operation.description].filter((text): text is string => Boolean(text));
  if (parts.length === 2 && parts[1]!.startsWith(parts[0]!.replace(/\.$/, ''))) parts.shift();
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
