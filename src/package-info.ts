import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The toolwright package's folder, found from this module whether it runs from `src/` or `dist/src/`. */
export const packageRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates', 'project')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the folder of the toolwright package');
    dir = parent;
  }
  return dir;
})();

/** The version in toolwright's package.json. */
export const packageVersion = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
