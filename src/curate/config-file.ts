import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';
import { toolNamePattern } from '../model/names.js';

/** The decisions recorded for one operation in `toolwright.yaml`. */
export type OperationEntry = {
  /** The operationId or `METHOD /path` the entry names. */
  ref: string;
  line?: number;
  include: boolean;
  name?: string;
  title?: string;
  description?: string;
};

export type ServerSettings = {
  name?: string;
  version?: string;
  envPrefix?: string;
};

/** `toolwright.yaml`, parsed and checked; paths in it are resolved against the file's folder. */
export type CurationConfig = {
  file: string;
  spec?: string;
  out?: string;
  server: ServerSettings;
  operations: OperationEntry[];
};

export const envPrefixPattern = /^[A-Z][A-Z0-9_]*$/;

type FieldKind = 'string' | 'boolean' | 'map';
const rootFields: Record<string, FieldKind> = { spec: 'string', out: 'string', server: 'map', operations: 'map' };
const serverFields: Record<string, FieldKind> = { name: 'string', version: 'string', envPrefix: 'string' };
const operationFields: Record<string, FieldKind> = { include: 'boolean', name: 'string', title: 'string', description: 'string' };

/** Reads and checks a `toolwright.yaml`. Every problem names its line. */
export async function readCurationConfig(file: string): Promise<CurationConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError({
      code: 'config-unreadable',
      file,
      message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`,
      help: 'Pass the path of a toolwright.yaml with --config.',
    });
  }
  return parseCurationConfig(text, file);
}

/** Parses the text of a `toolwright.yaml`. */
export function parseCurationConfig(text: string, file: string): CurationConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: YamlNode | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const fail = (node: YamlNode | null | undefined, message: string, help?: string): never => {
    throw new UserError({ code: 'config-invalid', file, line: lineOf(node), message, help });
  };
  const syntaxError = document.errors[0];
  if (syntaxError) {
    throw new UserError({
      code: 'config-syntax',
      file,
      line: syntaxError.linePos?.[0]?.line,
      message: `invalid YAML: ${syntaxError.message.split('\n')[0]}`,
    });
  }
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return { file, server: {}, operations: [] };
  }
  if (!isMap(root)) return fail(root, 'the file must be a YAML mapping with keys such as `server` and `operations`');

  const readFields = (map: YAMLMap, fields: Record<string, FieldKind>, where: string): Map<string, YamlNode> => {
    const values = new Map<string, YamlNode>();
    for (const pair of map.items) {
      const keyNode = pair.key as YamlNode;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const kind = fields[key];
      if (!kind) {
        fail(keyNode, `unknown key "${key}" in ${where}`, `Allowed keys: ${Object.keys(fields).join(', ')}.`);
      }
      const value = pair.value as YamlNode | null;
      const ok =
        kind === 'map'
          ? isMap(value) || (isScalar(value) && value.value === null)
          : isScalar(value) && typeof value.value === kind;
      if (!ok) fail(value ?? keyNode, `"${key}" in ${where} must be ${kind === 'map' ? 'a mapping' : `a ${kind}`}`);
      values.set(key, value as YamlNode);
    }
    return values;
  };
  const scalar = <T>(node: YamlNode | undefined): T | undefined => (node && isScalar(node) ? (node.value as T) : undefined);

  const rootValues = readFields(root, rootFields, 'the top level');
  const relative = (node: YamlNode | undefined): string | undefined => {
    const value = scalar<string>(node);
    return value === undefined ? undefined : path.resolve(path.dirname(file), value);
  };

  const server: ServerSettings = {};
  const serverNode = rootValues.get('server');
  if (isMap(serverNode)) {
    const values = readFields(serverNode, serverFields, '`server`');
    server.name = scalar<string>(values.get('name'));
    server.version = scalar<string>(values.get('version'));
    server.envPrefix = scalar<string>(values.get('envPrefix'));
    if (server.envPrefix !== undefined && !envPrefixPattern.test(server.envPrefix)) {
      fail(values.get('envPrefix'), `envPrefix "${server.envPrefix}" is not a valid environment variable prefix`, 'Use capital letters, digits and underscores, starting with a letter, e.g. PETSTORE.');
    }
  }

  const operations: OperationEntry[] = [];
  const operationsNode = rootValues.get('operations');
  if (isMap(operationsNode)) {
    for (const pair of operationsNode.items) {
      const keyNode = pair.key as YamlNode;
      const ref = isScalar(keyNode) ? String(keyNode.value).trim() : '';
      if (!ref) fail(keyNode, 'an operation key must be an operationId or "METHOD /path"');
      const value = pair.value as YamlNode | null;
      const entry: OperationEntry = { ref, line: lineOf(keyNode), include: true };
      if (isMap(value)) {
        const values = readFields(value, operationFields, `operation "${ref}"`);
        entry.include = scalar<boolean>(values.get('include')) ?? true;
        entry.name = scalar<string>(values.get('name'));
        entry.title = scalar<string>(values.get('title'));
        entry.description = scalar<string>(values.get('description'));
        if (entry.name !== undefined && !toolNamePattern.test(entry.name)) {
          fail(values.get('name'), `tool name "${entry.name}" is not valid`, 'Use 1 to 64 letters, digits, "_" or "-".');
        }
      } else if (!(isScalar(value) && value.value === null) && value !== null) {
        fail(value, `operation "${ref}" must be a mapping (or empty to include it with its defaults)`);
      }
      operations.push(entry);
    }
  }
  return {
    file,
    spec: relative(rootValues.get('spec')),
    out: relative(rootValues.get('out')),
    server,
    operations,
  };
}
