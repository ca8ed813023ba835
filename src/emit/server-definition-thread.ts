import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import type { ServerDefinition } from '../../templates/runtime/definition.js';
import { enableCompileCache } from '../compile-cache.js';

/** Lays out `src/server-definition.ts` (see `emitServerDefinition`); `stop` ends the thread when no layout is needed. */
export type ServerDefinitionThread = { emit(server: ServerDefinition): Promise<string>; stop(): void };

/**
 * Starts loading ts-morph on a second thread, where it loads while the spec is read and translated on this
 * one. Run from TypeScript sources there is no compiled thread module: the layout is then done on this thread,
 * as it is when the thread fails.
 */
export function startServerDefinitionThread(): ServerDefinitionThread {
  const module = fileURLToPath(import.meta.url);
  if (!module.endsWith('.js') || !existsSync(module)) return inThisThread();
  const worker = new Worker(module);
  const answer = new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { text?: string; error?: string }) =>
      message.text !== undefined ? resolve(message.text) : reject(new Error(`laying out src/server-definition.ts failed: ${message.error}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the thread laying out src/server-definition.ts stopped (exit code ${code})`)));
  });
  answer.catch(() => undefined);
  return {
    // Should the thread fail (it could not start, or it stopped), the layout is done on this thread.
    emit: (server) => {
      worker.postMessage(server);
      return answer.catch(() => inThisThread().emit(server));
    },
    stop: () => void worker.terminate(),
  };
}

function inThisThread(): ServerDefinitionThread {
  return { emit: async (server) => (await import('./server-definition.js')).emitServerDefinition(server), stop: () => undefined };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  enableCompileCache();
  const { emitServerDefinition } = await import('./server-definition.js');
  port.once('message', (server: ServerDefinition) => {
    try {
      port.postMessage({ text: emitServerDefinition(server) });
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}
