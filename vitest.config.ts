import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'tests', include: ['test/**/*.test.ts'], exclude: ['test/**/*.process.test.ts'] } },
      // Tests that run several bot processes at once and measure rates at the stand-in: they run
      // after the others, alone, so that the 2-core machine's other tests do not skew the figures.
      { extends: true, test: { name: 'instances', include: ['test/**/*.process.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
