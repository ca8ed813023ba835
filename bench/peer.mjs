// The closest peer, openapi-mcp-generator, installed outside the repository (in ~/.cache/toolwright-bench) with
// npm, and the pieces both generators are measured with: a process probe, medians, projects built with tsc.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './corpus.mjs';

export const peerPackage = 'openapi-mcp-generator@4.0.1';
export const cacheDir = process.env.TOOLWRIGHT_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'toolwright-bench');
const probe = path.join(repoRoot, 'bench/usage-probe.mjs');
const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

/** Installs the peer (once) and the dependencies of the projects it generates; returns its CLI script. */
export function installPeer() {
  const home = path.join(cacheDir, 'peer');
  const bin = path.join(home, 'node_modules/openapi-mcp-generator/bin/openapi-mcp-generator.js');
  if (!existsSync(bin)) {
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'package.json'), '{ "name": "toolwright-bench-peer", "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', peerPackage], { cwd: home, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return bin;
}

/** The node_modules folder that a project the peer generated runs with (its dependencies, installed once). */
export function peerRuntimeModules(sampleProject) {
  const home = path.join(cacheDir, 'peer-runtime');
  const modules = path.join(home, 'node_modules');
  if (!existsSync(path.join(modules, '@modelcontextprotocol/sdk'))) {
    mkdirSync(home, { recursive: true });
    const { dependencies, devDependencies } = JSON.parse(readFileSync(path.join(sampleProject, 'package.json'), 'utf8'));
    writeFileSync(path.join(home, 'package.json'), `${JSON.stringify({ name: 'toolwright-bench-peer-runtime', private: true, dependencies, devDependencies }, null, 2)}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: home, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return modules;
}

/** Runs a node script in a child process; wall time measured here, CPU and peak RSS by the probe inside it. */
export async function measureProcess(script, args, { env = {}, cwd = repoRoot } = {}) {
  const usageFile = path.join(os.tmpdir(), `toolwright-bench-usage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const started = performance.now();
  const { code, stderr } = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', probe, script, ...args], {
      cwd,
      env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    child.stderr.on('data', (chunk) => (text = (text + chunk).slice(-4000)));
    child.once('exit', (exitCode) => resolve({ code: exitCode, stderr: text }));
  });
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`${path.basename(script)} ${args.join(' ')} exited with ${code}:\n${stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  rmSync(usageFile, { force: true });
  return { wallMs, ...usage };
}

/** A toolwright.yaml that includes every operation of a spec (found with the built pipeline). */
export async function writeAllOperationsConfig(spec, file) {
  const { loadSpec } = await import(path.join(repoRoot, 'dist/src/load/load-spec.js'));
  const { buildModel } = await import(path.join(repoRoot, 'dist/src/model/build-model.js'));
  const { model } = buildModel(await loadSpec(spec));
  const lines = ['newOperations: exclude', 'operations:', ...model.operations.map((operation) => `  ${JSON.stringify(operation.key)}: { include: true }`)];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return model.operations.length;
}

/** The two generators, as commands that write a project into `out`. */
export function generators(peerBin) {
  return {
    toolwright: (spec, out, config) => measureProcess(cli, ['generate', spec, '--out', out, '--force', '--quiet', ...(config ? ['--config', config] : [])]),
    peer: (spec, out) => measureProcess(peerBin, ['--input', spec, '--output', out, '--force', '--base-url', 'http://127.0.0.1:9']),
  };
}

/**
 * Builds a generated project with tsc, against the given node_modules. With `tolerateTypeErrors`, type errors
 * are reported and the JavaScript tsc emitted anyway is used (returns false then).
 */
export function buildProject(dir, modules, { tolerateTypeErrors = false } = {}) {
  const link = path.join(dir, 'node_modules');
  if (!existsSync(link)) symlinkSync(modules, link, 'dir');
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    return true;
  } catch (error) {
    if (!tolerateTypeErrors || !existsSync(path.join(dir, 'build/index.js'))) throw error;
    return false;
  }
}

/** The median of some numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints rows of a table with aligned columns. */
export function printTable(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => String(row[column]).length)));
  for (const row of all) console.log(row.map((cell, column) => String(cell).padEnd(widths[column])).join('  ').trimEnd());
}

/** The environment variable prefix of a project toolwright generated. */
export function envPrefixOf(project) {
  return /envPrefix: "([A-Z0-9_]+)"/.exec(readFileSync(path.join(project, 'src/server-definition.ts'), 'utf8'))[1];
}
