import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');
export const githubSpec = 'octokit__api.github.com.json';
const cacheDir = path.join(repoRoot, '.cache', 'npm-corpus');

/**
 * Fetches the named files of the npm part of the corpus (pinned by version and integrity) into
 * `.cache/npm-corpus` and returns their paths; undefined when the shared corpus is not beside the project.
 * @param {string[]} destinations file names as in the fourth column of npm-specs.tsv
 * @returns {string[] | undefined}
 */
export function fetchNpmSpecs(destinations) {
  const script = path.join(corpusDir, 'fetch-npm-specs.sh');
  if (!existsSync(script)) return undefined;
  const files = destinations.map((destination) => path.join(cacheDir, destination));
  if (files.every((file) => existsSync(file))) return files;
  const rows = readFileSync(path.join(corpusDir, 'npm-specs.tsv'), 'utf8')
    .split('\n')
    .filter((row) => destinations.includes(row.split('\t')[3] ?? ''));
  const packages = new Set(rows.map((row) => row.split('\t')[1]));
  const pins = readFileSync(path.join(corpusDir, 'npm-specs.pins'), 'utf8')
    .split('\n')
    .filter((row) => packages.has(row.split('\t')[0]));
  mkdirSync(cacheDir, { recursive: true });
  const manifest = path.join(cacheDir, 'subset.tsv');
  writeFileSync(manifest, `${rows.join('\n')}\n`);
  writeFileSync(path.join(cacheDir, 'subset.pins'), `${pins.join('\n')}\n`);
  execFileSync('bash', [script, cacheDir, manifest], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  return files;
}
