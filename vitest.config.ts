import { defineConfig } from 'vitest/config';

// Two suites: `unit` never touches the network; `integration` talks to a real Redis
// (REDIS_URL, or a redis-server the suite starts on a free port).
export default defineConfig({
  test: {
    // The integration suite may be empty while a feature has no stateful part yet.
    passWithNoTests: true,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-redis.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The pages in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
        // on a real Redis like the integration suite.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/global-redis.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
