import { readFileSync } from 'node:fs';

/** The process environment, or any map of variable names to values. */
export type Environment = { [name: string]: string | undefined };

/** Reads one configuration value: trimmed, or undefined when unset or empty. */
export type EnvReader = (name: string) => string | undefined;

/** The environment is missing a setting or holds an unusable one; the message says which and how to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Creates the reader every setting goes through. A variable `NAME` is looked up in the environment, then in
 * the file named by `NAME_FILE` (for mounted secrets), then in the `KEY=value` file named by
 * `<PREFIX>_CREDENTIALS_FILE`, so that secrets never have to sit in the environment or a client's configuration.
 */
export function createEnvReader(
  envPrefix: string,
  env: Environment,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): EnvReader {
  const plain = (name: string) => {
    const text = env[name]?.trim();
    return text ? text : undefined;
  };
  const load = (variable: string, path: string) => {
    try {
      return readFile(path);
    } catch (error) {
      const reason = (error as { code?: string }).code ?? String(error);
      throw new ConfigError(`${variable} names a file that cannot be read (${path}: ${reason}). Fix the path or unset ${variable}.`);
    }
  };
  const filesVariable = `${envPrefix}_CREDENTIALS_FILE`;
  const filesPath = plain(filesVariable);
  const fromFile = filesPath ? parseEnvFile(filesVariable, load(filesVariable, filesPath)) : new Map<string, string>();
  return (name) => {
    const direct = plain(name);
    const filePath = plain(`${name}_FILE`);
    if (direct !== undefined && filePath !== undefined) {
      throw new ConfigError(`Both ${name} and ${name}_FILE are set. Set only one of them.`);
    }
    if (direct !== undefined) return direct;
    if (filePath !== undefined) return load(`${name}_FILE`, filePath).trim() || undefined;
    return fromFile.get(name);
  };
}

/** Parses `KEY=value` lines as in a `.env` file: `#` comments, optional `export`, optional single or double quotes. */
export function parseEnvFile(variable: string, text: string): Map<string, string> {
  const values = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new ConfigError(`Line ${index + 1} of the file named by ${variable} is not KEY=value.`);
    const value = match[2]!.replace(/^(['"])(.*)\1$/, '$2').trim();
    if (value) values.set(match[1]!, value);
  });
  return values;
}

/** Reads a whole number within bounds, or the default when unset. */
export function readInteger(read: EnvReader, name: string, { fallback, min = 1, max }: { fallback: number; min?: number; max: number }): number {
  const text = read(name);
  if (text === undefined) return fallback;
  const parsed = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${text}"). Unset it to use the default, ${fallback}.`);
  }
  return parsed;
}

/** Reads `true`/`false` (also `1`/`0`, `yes`/`no`), or the default when unset. */
export function readBoolean(read: EnvReader, name: string, fallback: boolean): boolean {
  const text = read(name)?.toLowerCase();
  if (text === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false (got "${text}").`);
}

/** Reads a comma- or space-separated list; undefined when unset. */
export function readList(read: EnvReader, name: string): string[] | undefined {
  const text = read(name);
  return text === undefined ? undefined : text.split(/[\s,]+/).filter((item) => item !== '');
}

/** Reads an absolute http(s) URL; plain http is accepted only for loopback hosts unless `allowHttp` is set. */
export function readUrl(read: EnvReader, name: string, { allowHttp = false }: { allowHttp?: boolean } = {}): URL | undefined {
  const text = read(name);
  return text === undefined ? undefined : checkUrl(name, text, { allowHttp });
}

/** Checks that a text is an absolute https URL (or http on loopback, or any http when allowed); `source` names it in errors. */
export function checkUrl(source: string, text: string, { allowHttp = false }: { allowHttp?: boolean } = {}): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${source} is not an absolute URL: "${text}". Set it to an https URL, e.g. https://auth.example.com.`);
  }
  const http = url.protocol === 'http:';
  if (!(url.protocol === 'https:' || (http && (allowHttp || isLoopbackHost(url.hostname))))) {
    throw new ConfigError(`${source} must be an https URL (http only for localhost), not "${url.protocol}//${url.host}".`);
  }
  if (url.username || url.password) throw new ConfigError(`${source} must not contain a user name or password.`);
  return url;
}

/** True for `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}
