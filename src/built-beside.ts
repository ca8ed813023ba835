import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A CommonJS module the build compiled beside a module (validators, templates, the server definition's
 * layout), or undefined when that module runs from the TypeScript sources, where the build wrote none.
 */
export function builtBeside<T>(moduleUrl: string, file: string): T | undefined {
  const built = fileURLToPath(new URL(file, moduleUrl));
  return existsSync(built) ? (createRequire(moduleUrl)(built) as T) : undefined;
}
