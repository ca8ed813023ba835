import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { userOwnedFiles, type FilePlan } from '../emit/plan-files.js';
import { UserError } from '../errors.js';
import { assertOutFolder, resolveInside, writeFailure } from './safe-path.js';
import { findLeftovers, journalPath, manifestPath, readFileHashes, stagingSuffix, type FileHashes } from './staging.js';

export { manifestPath } from './staging.js';

/** How a planned (or previously generated) file compares with what is on disk. */
export type FileState =
  | { file: string; state: 'unchanged' }
  /** Not on disk yet. */
  | { file: string; state: 'missing'; planned: string }
  /** Generated, untouched since, and the plan differs. */
  | { file: string; state: 'outdated'; planned: string; current: string }
  /** Differs from the plan and from what was generated: edited by hand (or never generated here). */
  | { file: string; state: 'edited'; planned: string; current: string }
  /** Generated before but no longer planned; `edited` when changed by hand since. */
  | { file: string; state: 'stale'; current: string; edited: boolean }
  /** Belongs to the user once created: never compared, never overwritten. */
  | { file: string; state: 'user-owned' }
  /** A staged file left behind by an interrupted run; the next write removes it. */
  | { file: string; state: 'leftover' };

export type WriteResult = { written: string[]; unchanged: string[]; removed: string[] };

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Compares a file plan with the output folder, file by file, using the manifest of the last run and, when
 * a run was interrupted, its journal. Only paths inside `outDir` are read, never through a symbolic link.
 */
export async function compareWithDisk({ plan, outDir, userOwned = userOwnedFiles }: { plan: FilePlan; outDir: string; userOwned?: ReadonlySet<string> }): Promise<{
  states: FileState[];
  manifest?: FileHashes;
  journal?: FileHashes;
}> {
  assertOutFolder(outDir);
  const manifest = readFileHashes(outDir, manifestPath, readIfExists);
  const journal = readFileHashes(outDir, journalPath, readIfExists);
  const previous = manifest?.files ?? {};
  const staged = journal?.files ?? {};
  const generatedHere = (file: string, text: string): boolean => [previous[file], staged[file]].includes(hash(text));
  const read = (file: string) => readIfExists(resolveInside(outDir, file, path.join(outDir, manifestPath)));
  const states: FileState[] = [];
  for (const [file, planned] of plan) {
    const current = read(file);
    if (current === undefined) states.push({ file, state: 'missing', planned });
    else if (userOwned.has(file)) states.push({ file, state: 'user-owned' });
    else if (current === planned) states.push({ file, state: 'unchanged' });
    else if (generatedHere(file, current)) states.push({ file, state: 'outdated', planned, current });
    else states.push({ file, state: 'edited', planned, current });
  }
  const earlier = [...new Set([...Object.keys(previous), ...Object.keys(staged)])].sort();
  for (const file of earlier) {
    if (plan.has(file)) continue;
    const current = read(file);
    if (current !== undefined) states.push({ file, state: 'stale', current, edited: !generatedHere(file, current) });
  }
  const leftovers = findLeftovers(outDir, [...plan.keys(), ...earlier, manifestPath]);
  for (const file of journal ? [journalPath, ...leftovers] : leftovers) states.push({ file, state: 'leftover' });
  return { states, manifest, journal };
}

/**
 * Writes a file plan into `outDir`. Refuses to touch a folder that Toolwright did not generate, or
 * generated files that were edited by hand since, unless `force` is set. User-owned files are created
 * once and then left alone. Files are written to temporary names and renamed into place together, so
 * a failure leaves no half-written file.
 */
export async function writeFiles(options: { plan: FilePlan; outDir: string; force?: boolean; userOwned?: ReadonlySet<string> }): Promise<WriteResult> {
  assertOutFolder(options.outDir);
  try {
    return await writeInto(options);
  } catch (error) {
    throw writeFailure(error, options.outDir);
  }
}

async function writeInto({
  plan,
  outDir,
  force = false,
  userOwned = userOwnedFiles,
}: {
  plan: FilePlan;
  outDir: string;
  force?: boolean;
  userOwned?: ReadonlySet<string>;
}): Promise<WriteResult> {
  const { states, manifest, journal } = await compareWithDisk({ plan, outDir, userOwned });
  if (!manifest && !journal && !force) {
    const existing = readdirIfPresent(outDir).filter((entry) => entry !== path.dirname(manifestPath));
    if (existing.length > 0) {
      throw new UserError({
        code: 'out-not-generated',
        file: outDir,
        message: 'the output folder is not empty and was not generated by toolwright',
        help: 'Choose an empty or new folder for --out, or pass --force to write into it anyway.',
      });
    }
  }
  const conflicts = states.filter((s) => s.state === 'edited' || (s.state === 'stale' && s.edited)).map((s) => s.file);
  if (conflicts.length > 0 && !force) {
    throw new UserError({
      code: 'out-edited',
      file: outDir,
      message: `these generated files were changed by hand since they were generated:\n${conflicts.map((f) => `    ${f}`).join('\n')}`,
      help: 'Move your changes into toolwright.yaml or the user-owned files (they are never overwritten), then run again with --force to overwrite them.',
    });
  }
  const toWrite: [string, string][] = states.flatMap((s) =>
    s.state === 'missing' || s.state === 'outdated' || s.state === 'edited' ? [[s.file, s.planned] as [string, string]] : [],
  );
  const toRemove = states.flatMap((s) => (s.state === 'stale' ? [s.file] : []));
  const leftovers = states.flatMap((s) => (s.state === 'leftover' ? [s.file] : []));
  const generatedFiles = [...plan].filter(([file]) => !userOwned.has(file));
  // The manifest and the journal list the same files: each is hashed once.
  const hashes = new Map(generatedFiles.map(([file, text]) => [file, hash(text)]));
  const nextManifest: FileHashes = { generator: 'toolwright', files: Object.fromEntries(hashes) };
  const manifestText = `${JSON.stringify(nextManifest, null, 2)}\n`;
  if (JSON.stringify(nextManifest) !== JSON.stringify(manifest)) toWrite.push([manifestPath, manifestText]);

  for (const file of leftovers) rmSync(resolveInside(outDir, file, outDir), { force: true });
  const suffix = stagingSuffix(process.pid);
  if (toWrite.length > 0 || toRemove.length > 0) {
    const journalFiles: FileHashes = { generator: 'toolwright', files: Object.fromEntries(toWrite.map(([file, text]) => [file, hashes.get(file) ?? hash(text)])) };
    stage(outDir, [[journalPath, `${JSON.stringify(journalFiles, null, 2)}\n`]], suffix);
  }
  stage(outDir, toWrite, suffix);
  for (const file of toRemove) rmSync(resolveInside(outDir, file, outDir), { force: true });
  rmSync(resolveInside(outDir, journalPath, outDir), { force: true });
  return {
    written: toWrite.map(([file]) => file).filter((file) => file !== manifestPath),
    unchanged: states.filter((s) => s.state === 'unchanged' || s.state === 'user-owned').map((s) => s.file),
    removed: toRemove,
  };
}

/**
 * Writes files to temporary names next to their targets, then renames them into place, so that a failure
 * leaves no half-written file. Neither the targets nor their folders may be symbolic links.
 */
function stage(outDir: string, files: [string, string][], suffix: string): void {
  const staged: string[] = [];
  const folders = new Set<string>();
  try {
    for (const [file, text] of files) {
      const target = resolveInside(outDir, file, outDir);
      if (!folders.has(path.dirname(target))) {
        mkdirSync(path.dirname(target), { recursive: true });
        folders.add(path.dirname(target));
        resolveInside(outDir, file, outDir);
      }
      writeFileSync(target + suffix, text, { flag: 'wx' });
      staged.push(target);
    }
  } catch (error) {
    for (const target of staged) rmSync(target + suffix, { force: true });
    throw error;
  }
  for (const target of staged) renameSync(target + suffix, target);
}

function readdirIfPresent(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
