import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { UserError, type Diagnostic } from '../errors.js';
import type { CurationConfig } from './config-file.js';

const role = 'toolwright-config-thread';

type Answer = { config?: CurationConfig; diagnostic?: Diagnostic; error?: string };

/**
 * Reads and checks a toolwright.yaml on another thread (see `readCurationConfig`), so that `generate` parses
 * it while this thread reads the spec. Run from the TypeScript sources, or should the thread fail, the file is
 * read on this thread, and says what is wrong with it the way it always does.
 */
export function readCurationConfigAside(file: string): Promise<CurationConfig> {
  const readHere = async () => (await import('./config-file.js')).readCurationConfig(file);
  const module = fileURLToPath(import.meta.url);
  if (!module.endsWith('.js') || !existsSync(module)) return readHere();
  const answer = new Promise<Answer>((resolve) => {
    const worker = new Worker(module, { workerData: { role, file } });
    worker.once('message', resolve);
    worker.once('error', (error) => resolve({ error: error.message }));
    worker.once('exit', (code) => resolve({ error: `the thread stopped (exit code ${code})` }));
  });
  const config = answer.then((answered) => {
    if (answered.diagnostic) throw new UserError(answered.diagnostic);
    return answered.config ?? readHere();
  });
  // Its problems are reported where it is awaited; should the run stop before that, they are not news.
  config.catch(() => undefined);
  return config;
}

async function answer(file: string): Promise<Answer> {
  try {
    const { readCurationConfig } = await import('./config-file.js');
    return { config: await readCurationConfig(file) };
  } catch (error) {
    return error instanceof UserError ? { diagnostic: error.diagnostic } : { error: String(error) };
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === role) {
  parentPort!.postMessage(await answer((workerData as { file: string }).file));
}
