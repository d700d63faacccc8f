/**
 * `npm run test:stress`: the stress tier (test/stress/), kept out of `npm test` for its
 * minutes of load. Each file starts its own PostgreSQL and API process, so the test
 * database of the global setup is not needed; one file at a time.
 */
import base from './jest.config.js';

const { globalSetup: _setup, globalTeardown: _teardown, ...shared } = base;

export default {
  ...shared,
  testMatch: ['<rootDir>/test/stress/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600_000,
  maxWorkers: 1,
};
