import module from 'node:module';

/**
 * On Node.js 22.1 and newer, keeps the compiled code of the modules a run loads (ts-morph and TypeScript, the
 * tokenizer, the YAML parser) in the system's temporary folder, so that the next run starts faster; Node.js 20
 * has no such cache. `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
