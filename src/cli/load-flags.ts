import type { Command } from 'commander';
import { limitSettings, resolveLimits, type LimitFlags } from '../load/limits.js';
import type { LoadOptions } from '../load/load-spec.js';
import { formatCount } from '../format-count.js';

/** The flags that bound loading a spec and widen its `$ref` policy, as commander parses them. */
export type LoadFlags = { allowRef?: string[]; maxSpecBytes?: string; maxDepth?: string; maxYamlAliases?: string; fetchTimeout?: string };

/** Adds `--allow-ref` and the limit flags to a command that loads a spec. */
export function addLoadFlags(command: Command): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  command.option('--allow-ref <prefix>', 'let $refs read under this URL or local path (repeatable); by default a remote spec reads only under its own folder and a local one never the network', collect);
  for (const setting of Object.values(limitSettings)) {
    command.option(`${setting.flag} <${setting.unit}>`, `${setting.what} limit (default ${formatCount(setting.defaultValue)}, or ${setting.env})`);
  }
  return command;
}

/** The load options the flags (and environment) ask for. */
export function loadOptionsFrom(flags: LoadFlags): LoadOptions {
  const limitFlags: LimitFlags = { maxSpecBytes: flags.maxSpecBytes, maxDepth: flags.maxDepth, maxYamlAliases: flags.maxYamlAliases, fetchTimeoutMs: flags.fetchTimeout };
  return { limits: resolveLimits(limitFlags), allowRefs: flags.allowRef ?? [] };
}
