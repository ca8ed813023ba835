import { lstatSync, type Stats } from 'node:fs';
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
export function resolveInside(outDir: string, file: string, source: string): string {
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
    const stats = lstatIfPresent(current);
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

/** Throws unless `outDir` is a folder or can be made one: neither it nor a parent may be a file. */
export function assertOutFolder(outDir: string): void {
  for (let current = path.resolve(outDir); ; current = path.dirname(current)) {
    const stats = lstatIfPresent(current, { anyError: true });
    if (stats && !stats.isDirectory() && !(stats.isSymbolicLink() && current !== path.resolve(outDir))) {
      throw new UserError({
        code: 'out-not-folder',
        file: current,
        message: 'is a file, not a folder, so the server project cannot be written there',
        help: 'Pass --out a new or empty folder (or one toolwright generated before).',
      });
    }
    if (stats || path.dirname(current) === current) return;
  }
}

/** Turns a file-system error met while writing into a message with the path and what to do. */
export function writeFailure(error: unknown, outDir: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof UserError || !code) return error;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'a folder is where a generated file goes',
    EEXIST: 'a file is in the way',
  };
  return new UserError({
    code: 'out-write-failed',
    file: (error as NodeJS.ErrnoException).path ?? outDir,
    message: `cannot write the server project: ${reasons[code] ?? code}`,
    help: 'Check the output folder and its permissions, or pass another --out.',
  });
}

/** The entry's `lstat`, or undefined when it (or a folder on its way) does not exist. */
function lstatIfPresent(file: string, { anyError = false } = {}): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (anyError || code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
