import { defineConfig } from 'vitest/config';

/**
 * TEST_SCOPE picks the suites: unit (beside each workspace), integration (tests/, real Kafka
 * broker from infra/kafka, real chDB, real Chromium), or all. An unknown value is an error,
 * not an empty run.
 */
const scope = process.env.TEST_SCOPE ?? 'all';
const scopes: Record<string, string[]> = {
  unit: ['stream/test/**/*.test.ts', 'city/test/**/*.test.ts', 'ingest/test/**/*.test.ts', 'api/test/**/*.test.ts', 'dashboard/test/**/*.test.{ts,tsx}'],
  integration: ['tests/**/*.test.ts'],
};
scopes.all = [...scopes.unit!, ...scopes.integration!];
const include = scopes[scope];
if (!include) throw new Error(`TEST_SCOPE must be one of ${Object.keys(scopes).join(', ')}; got "${scope}"`);

export default defineConfig({
  test: {
    include,
    // chDB is one engine per process: every test file gets its own process
    pool: 'forks',
    isolate: true,
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: include.some((g) => g.startsWith('tests/')) ? ['tests/setup/infrastructure.ts'] : [],
    reporters: ['default'],
  },
});
