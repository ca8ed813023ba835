import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * Checks a path that a plan or a manifest names inside the output folder: relative, `/`-separated, with no
 * `.`, `..` or empty segment, no backslash, drive letter or NUL. Such a path cannot leave the folder by
 * its spelling; {@link resolveInside} makes sure it does not leave it through a symbolic link either.
 */
export function isContainedPath(file: string): boolean {
  if (file === '' || file.includes('\\') || file.includes('\0') || file.startsWith('/') || /^[A-Za-z]:/.test(file)) return false;
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * The absolute path of `file` inside `outDir`, after checking that no existing component of it (inside
 * `outDir`) is a symbolic link, so that reading, writing or removing it stays in the folder.
 */
export async function resolveInside(outDir: string, file: string, source: string): Promise<string> {
  if (!isContainedPath(file)) {
    throw new UserError({
      code: 'out-path-outside',
      file: source,
      message: `names the path ${JSON.stringify(file)}, which is not inside the output folder`,
      help: 'Toolwright only reads, writes and removes files inside --out. Delete .toolwright/manifest.json if it was not written by toolwright, then run again with --force.',
    });
  }
  let current = outDir;
  for (const segment of file.split('/')) {
    current = path.join(current, segment);
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (!stats) break;
    if (stats.isSymbolicLink()) {
      throw new UserError({
        code: 'out-symlink',
        file: current,
        message: `is a symbolic link; toolwright does not read or write generated files through links (for ${file})`,
        help: 'Replace the link with a real folder or file, or generate into a folder without links.',
      });
    }
  }
  return path.join(outDir, ...file.split('/'));
}
