/**
 * Jest in native ESM mode (NestJS 12 ships ES modules): TypeScript through @swc/jest with
 * decorator metadata, `.js` import specifiers mapped back to the `.ts` sources.
 * One embedded PostgreSQL per run (test/harness/global-setup.js), one database per file.
 */
const swc = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    // ES-only packages that a CommonJS dependency require()s (@fastify/static ->
    // content-disposition): Jest on Node 20 can only run them compiled to CommonJS.
    '/node_modules/content-disposition/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!.*content-disposition/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // The stress tier runs apart: npm run test:stress (jest.stress.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/stress/'],
  globalSetup: '<rootDir>/test/harness/global-setup.js',
  globalTeardown: '<rootDir>/test/harness/global-teardown.js',
  setupFiles: ['<rootDir>/test/harness/setup-file.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
