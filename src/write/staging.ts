import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { isContainedPath, resolveInside } from './safe-path.js';

/** The record of what was generated, so that later runs can tell generated files from hand edits. */
export const manifestPath = '.toolwright/manifest.json';

/**
 * Written before any file is staged and removed once every file is in place: when a run is killed, the
 * next one knows which files it had begun to write (and their contents' hashes), so it can finish the job.
 */
export const journalPath = '.toolwright/staging.json';

/** Files staged by a writer are named like their target plus this suffix until they are renamed into place. */
export function stagingSuffix(pid: number): string {
  return `.toolwright-${pid}.tmp`;
}

const stagingName = /\.toolwright-\d+\.tmp$/;

/** Generated files and the SHA-256 of the text each was generated with. */
export type FileHashes = { generator: 'toolwright'; files: Record<string, string> };

/** Reads the manifest or the journal; undefined when absent. Refuses one that names a path outside the folder. */
export function readFileHashes(outDir: string, which: typeof manifestPath | typeof journalPath, read: (file: string) => string | undefined): FileHashes | undefined {
  const text = read(resolveInside(outDir, which, outDir));
  if (text === undefined) return undefined;
  const source = path.join(outDir, which);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const files = (parsed as FileHashes | undefined)?.files;
  if (!parsed || typeof files !== 'object' || files === null || Array.isArray(files) || !Object.values(files).every((digest) => typeof digest === 'string')) {
    throw new UserError({
      code: 'out-manifest-invalid',
      file: source,
      message: 'is not a toolwright manifest (JSON with a `files` object of path → SHA-256)',
      help: 'Delete it, then run generate again with --force (files edited by hand would be overwritten).',
    });
  }
  for (const file of Object.keys(files)) {
    if (!isContainedPath(file)) resolveInside(outDir, file, source);
  }
  return { generator: 'toolwright', files: Object.fromEntries(Object.entries(files)) };
}

/**
 * Staged files left behind by an interrupted run: `*.toolwright-<pid>.tmp` next to any file that this
 * run, the manifest or the journal names. Folders that hold no generated file (node_modules) are not read.
 */
export function findLeftovers(outDir: string, files: Iterable<string>): string[] {
  const folders = new Set<string>();
  for (const file of files) folders.add(path.posix.dirname(file));
  const leftovers: string[] = [];
  for (const folder of [...folders].sort()) {
    const absolute = folder === '.' ? outDir : resolveInside(outDir, folder, outDir);
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch {
      // A folder that does not exist yet holds no leftovers.
    }
    for (const entry of entries) {
      if (entry.isFile() && stagingName.test(entry.name)) leftovers.push(folder === '.' ? entry.name : `${folder}/${entry.name}`);
    }
  }
  return leftovers.sort();
}
