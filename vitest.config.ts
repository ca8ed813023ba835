import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Most test files wait on processes they start (servers, builds, a terminal): one file per core keeps
    // every core busy, where the default (one fewer) runs them one at a time on two cores.
    maxWorkers: availableParallelism(),
  },
});
