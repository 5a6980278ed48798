import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: crash safety and concurrency on PostgreSQL (never part of `npm test`).
 * Uses TEST_DATABASE_URL when set, otherwise a private PostgreSQL instance the global setup starts; the crash
 * test always runs its own private instance, because it kills and restarts it.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/reliability/global-setup.ts'],
    pool: 'forks',
    isolate: false,
    // One file at a time: the crash test's kill -9 storms and the concurrency storms should not share 2 cores.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
