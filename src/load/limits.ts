import { UserError } from '../errors.js';
import { formatCount } from '../format-count.js';

/** Bounds on what loading a spec may cost, so that a hostile or broken document fails fast with a clear message. */
export type LoadLimits = {
  /** Largest spec file (or file a `$ref` names), in bytes. */
  maxSpecBytes: number;
  /** Deepest nesting of objects and arrays in a document. */
  maxDepth: number;
  /** YAML alias expansion budget (the `yaml` package's `maxAliasCount`). */
  maxYamlAliases: number;
  /** Longest a download may take, headers and body, in milliseconds. */
  fetchTimeoutMs: number;
};

type LimitName = keyof LoadLimits;

/** How each limit is named to the user and raised: a command-line flag or an environment variable. */
export const limitSettings: Record<LimitName, { flag: string; env: string; what: string; defaultValue: number; unit: 'bytes' | 'levels' | 'aliases' | 'seconds' }> = {
  maxSpecBytes: { flag: '--max-spec-bytes', env: 'TOOLWRIGHT_MAX_SPEC_BYTES', what: 'spec size', defaultValue: 100 * 1024 * 1024, unit: 'bytes' },
  maxDepth: { flag: '--max-depth', env: 'TOOLWRIGHT_MAX_DEPTH', what: 'nesting depth', defaultValue: 1000, unit: 'levels' },
  maxYamlAliases: { flag: '--max-yaml-aliases', env: 'TOOLWRIGHT_MAX_YAML_ALIASES', what: 'YAML alias expansion', defaultValue: 10_000, unit: 'aliases' },
  fetchTimeoutMs: { flag: '--fetch-timeout', env: 'TOOLWRIGHT_FETCH_TIMEOUT', what: 'download time', defaultValue: 30, unit: 'seconds' },
};

/** Command-line values of the limits, as given (strings), by limit name. */
export type LimitFlags = Partial<Record<LimitName, string>>;

/** The limits in force: a flag wins over the environment, which wins over the default. */
export function resolveLimits(flags: LimitFlags = {}, env: NodeJS.ProcessEnv = process.env): LoadLimits {
  const limits = {} as LoadLimits;
  for (const [name, setting] of Object.entries(limitSettings) as [LimitName, (typeof limitSettings)[LimitName]][]) {
    const given = flags[name] ?? env[setting.env];
    let value = setting.defaultValue;
    if (given !== undefined && given !== '') {
      value = Number(given);
      if (!Number.isFinite(value) || value <= 0) {
        throw new UserError({
          code: 'bad-limit',
          message: `${flags[name] !== undefined ? setting.flag : setting.env} must be a positive number of ${setting.unit}, not "${given}"`,
          help: `The default is ${setting.defaultValue}.`,
        });
      }
    }
    limits[name] = setting.unit === 'seconds' ? Math.round(value * 1000) : Math.floor(value);
  }
  return limits;
}

/** The error for a limit that was reached: which one, where, and how to raise it. */
export function limitReached(name: LimitName, limits: LoadLimits, file: string, what: string): UserError {
  const setting = limitSettings[name];
  const current = name === 'fetchTimeoutMs' ? limits[name] / 1000 : limits[name];
  return new UserError({
    code: 'spec-limit',
    file,
    message: `${what}: over the ${setting.what} limit of ${formatCount(current)} ${setting.unit}`,
    help: `If the spec is trusted and really needs more, raise the limit with ${setting.flag} <${setting.unit}> or ${setting.env}=<${setting.unit}>.`,
  });
}

/**
 * Throws when objects and arrays in `value` nest deeper than the limit. Iterative, so depth cannot overflow
 * the stack. A document parsed from YAML may hold an object twice (aliases), even inside itself; one parsed
 * from JSON is a tree (`tree`), and needs no record of the objects already met.
 */
export function assertDepth(value: unknown, limits: LoadLimits, file: string, { tree = false }: { tree?: boolean } = {}): void {
  const seen = tree ? undefined : new Set<object>();
  const nodes: unknown[] = [value];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (node === null || typeof node !== 'object' || seen?.has(node)) continue;
    if (depth >= limits.maxDepth) throw limitReached('maxDepth', limits, file, 'objects and arrays nest too deep');
    seen?.add(node);
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (child === null || typeof child !== 'object') continue;
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
}
