/** Caps how many upstream requests are in flight at once; callers beyond the cap wait in order. */
export type Limiter = {
  /** Resolves with a release function once a slot is free; `undefined` when the signal aborted or the wait timed out. */
  acquire(signal: AbortSignal, timeoutMs: number): Promise<(() => void) | undefined>;
  /** Requests in flight and waiting, for tests and metrics. */
  readonly active: number;
  readonly waiting: number;
};

/** Creates a first-come, first-served limiter with `max` slots. */
export function createLimiter(max: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    acquire(signal, timeoutMs) {
      if (signal.aborted) return Promise.resolve(undefined);
      if (active < max) {
        active++;
        return Promise.resolve(once());
      }
      return new Promise((resolve) => {
        const grant = () => {
          cleanup();
          resolve(once());
        };
        const giveUp = () => {
          const index = queue.indexOf(grant);
          if (index >= 0) queue.splice(index, 1);
          cleanup();
          resolve(undefined);
        };
        const timer = setTimeout(giveUp, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', giveUp);
        };
        signal.addEventListener('abort', giveUp, { once: true });
        queue.push(grant);
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
