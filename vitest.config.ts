import { defineConfig } from 'vitest/config';

// Four projects: unit (pure, fast), integration (real DynamoDB Local + fauxqs, started once per run),
// e2e (the whole local runtime over HTTP) and infra (CDK Template assertions).
export default defineConfig({
  test: {
    reporters: ['default'],
    // Metrics are counted (tests spy on them) but not printed as EMF lines between test results.
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // The files share one queue set; draining it from two files at once would steal messages.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 90_000 } },
      // Real headless Chromium against a local runtime; one file at a time (two browsers on two cores is slow).
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          // A page polled while other projects' tests load both cores: 1 s (the default) is too tight.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
