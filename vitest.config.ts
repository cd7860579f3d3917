import { defineConfig } from 'vitest/config';

// Tests by kind: `npm test` runs every project, `npm run test:unit` the unit tests alone.
export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // Pure modules, in process: no servers, no processes (test/unit/ mirrors src/; repo/ checks
      // the repository's own files: docs, Dockerfile, the bundle).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // The real bot and the stand-in over real HTTP and WebSocket, Redis where it is used, in process.
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      // Processes (npm start, npm run doctor) and the browser.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: ['test/e2e/**/*.alone.test.ts'] } },
      // Tests that run several bot processes at once and measure rates at the stand-in: they run
      // after the others, alone, so that the 2-core machine's other tests do not skew the figures.
      { extends: true, test: { name: 'e2e-alone', include: ['test/e2e/**/*.alone.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
