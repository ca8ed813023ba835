import { Document, isMap, parseDocument, type YAMLMap } from 'yaml';
import type { JsonValue, ServerMode } from '../../templates/runtime/definition.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-info.js';
import type { Decisions } from './select.js';

/** What the developer chose for one operation in an interactive session. */
export type Choice = {
  included: boolean;
  reason: string;
  name: string;
  /** Set only when the developer changed the proposed description. */
  description?: string;
  /** Hidden and pinned arguments, and credential parameters kept as arguments (`credential: false`). */
  arguments: Record<string, { hidden: true } | { value: JsonValue } | { credential: false }>;
  /** Listed on its own in `hybrid` mode. */
  core?: true;
  /** Response fields replaced by `[REDACTED]`; set only when the developer answered, an empty list removes them. */
  redact?: string[];
};

export type RecordInput = {
  decisions: Decisions;
  choices: Map<string, Choice>;
  spec: string;
  out: string;
  /** The current file's text, whose comments and unrelated settings are kept. */
  existing?: string;
  /** The folder of toolwright.yaml, from which the schema reference is relative. */
  configDir: string;
  /** The server's name and environment prefix to record; by default those of `decisions` for a new file. */
  server?: { name: string; envPrefix: string };
  /** How the server offers its tools; unchanged in the file when absent. */
  mode?: ServerMode;
};

/** Where editors find the JSON Schema of toolwright.yaml when toolwright is a dev dependency of the project. */
export const installedSchemaPath = 'node_modules/toolwright/schema/toolwright.schema.json';

/**
 * The first line of toolwright.yaml: points editors at the JSON Schema that ships in the package, by a path
 * relative to the file, so that it works offline and matches the installed version. The path is to the
 * nearest `node_modules/toolwright` above `configDir`, or to this package itself when `configDir` is inside it,
 * else to `./node_modules/toolwright/...` (there once the project adds toolwright as a dev dependency).
 */
export function schemaComment(configDir: string): string {
  const own = path.join(packageRoot, 'schema', 'toolwright.schema.json');
  let target = path.relative(packageRoot, configDir).startsWith('..') ? undefined : own;
  for (let dir = path.resolve(configDir); !target; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, installedSchemaPath))) target = path.join(dir, installedSchemaPath);
    else if (path.dirname(dir) === dir) target = path.join(configDir, installedSchemaPath);
  }
  const relative = path.relative(configDir, target).split(path.sep).join('/');
  return ` yaml-language-server: $schema=${relative.startsWith('.') ? relative : `./${relative}`}`;
}

/**
 * Writes the record of every decision as toolwright.yaml text: one entry per operation of the spec,
 * keyed by operationId (or "METHOD /path"), so that `toolwright generate` replays it exactly.
 */
export function renderRecord({ decisions, choices, spec, out, existing, configDir, server, mode }: RecordInput): string {
  const document = existing ? parseDocument(existing) : new Document({});
  if (!existing) document.commentBefore = schemaComment(configDir);
  if (!document.has('spec')) document.set('spec', spec);
  if (!document.has('out')) document.set('out', out);
  if (!document.has('server')) document.set('server', document.createNode({ name: decisions.server.name, envPrefix: decisions.server.envPrefix }));
  if (server) {
    document.setIn(['server', 'name'], server.name);
    document.setIn(['server', 'envPrefix'], server.envPrefix);
  }
  if (mode) document.set('mode', mode);
  if (!document.has('newOperations')) document.set('newOperations', 'exclude');
  const previous = document.get('operations');
  const previousEntries = isMap(previous) ? (previous as YAMLMap) : undefined;
  const operations = document.createNode({}) as YAMLMap;
  for (const decision of decisions.operations) {
    const choice = choices.get(decision.operation.key);
    if (!choice) continue;
    const key = decision.entry?.ref ?? refFor(decision.operation.operationId, decision.operation.key, decisions);
    const kept = previousEntries?.get(key, true);
    const entry = isMap(kept) ? (kept as YAMLMap) : (document.createNode({}) as YAMLMap);
    const set = (field: string, value: unknown): void => {
      if (value === undefined) entry.delete(field);
      else entry.set(field, document.createNode(value));
    };
    set('include', choice.included);
    set('reason', choice.reason);
    if (choice.included) {
      set('name', choice.name);
      if (choice.description !== undefined) set('description', choice.description);
      if (Object.keys(choice.arguments).length > 0) set('arguments', choice.arguments);
      set('core', choice.core);
      if (choice.redact) setRedactions(entry, choice.redact, document);
    }
    entry.flow = !choice.included;
    operations.set(document.createNode(key), entry);
  }
  document.set('operations', operations);
  return document.toString({ lineWidth: 100 });
}

/** Records `responseFields.redact`, keeping the entry's other field selections. */
function setRedactions(entry: YAMLMap, redact: string[], document: Document): void {
  const fields = entry.get('responseFields', true);
  const map = isMap(fields) ? (fields as YAMLMap) : (document.createNode({}) as YAMLMap);
  if (redact.length > 0) map.set('redact', document.createNode(redact));
  else map.delete('redact');
  if (map.items.length > 0) entry.set('responseFields', map);
  else entry.delete('responseFields');
}

/** Entries are keyed by operationId when it is unique, else by "METHOD /path". */
function refFor(operationId: string | undefined, key: string, decisions: Decisions): string {
  if (!operationId) return key;
  const shared = decisions.operations.filter((decision) => decision.operation.operationId === operationId).length;
  return shared === 1 ? operationId : key;
}
