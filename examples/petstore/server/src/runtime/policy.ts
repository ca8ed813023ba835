import type { ToolDefinition } from './definition.js';
import { ConfigError } from './env.js';

/** The run-time switches that narrow the tools a server offers. */
export type ToolPolicy = {
  /** Only tools whose `readOnlyHint` is true are served. */
  readOnly: boolean;
  /** When set, only the tools named here are served. */
  allowedTools?: string[];
};

/**
 * The tools this process serves after the read-only switch and the allow-list; the others are neither listed
 * nor callable. Throws a `ConfigError` for an allow-list entry that names no tool, so that a typo never
 * silently hides a tool.
 */
export function selectServedTools(tools: ToolDefinition[], policy: ToolPolicy, variable = 'the tool allow-list'): ToolDefinition[] {
  const names = new Set(tools.map((tool) => tool.name));
  const unknown = policy.allowedTools?.filter((name) => !names.has(name)) ?? [];
  if (unknown.length > 0) {
    const known = [...names].slice(0, 20).join(', ');
    throw new ConfigError(`${variable} names unknown tools: ${unknown.join(', ')}. Known tools: ${known}${names.size > 20 ? ', ...' : ''}.`);
  }
  const allowed = policy.allowedTools ? new Set(policy.allowedTools) : undefined;
  return tools.filter((tool) => (!policy.readOnly || tool.annotations.readOnlyHint) && (!allowed || allowed.has(tool.name)));
}
