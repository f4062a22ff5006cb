// Jest's module runtime cannot load the ESM-only NestJS 12, jose 6 and cel-js packages, so @swc/jest compiles them
// (and our TypeScript, with legacy decorators and their metadata) to CommonJS.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: ['node_modules/(?!(@nestjs|jose|@marcbachmann/cel-js)/)'],
  moduleNameMapper: {
    '^@lanyard/migrations$': '<rootDir>/migrations/index.ts',
    '^@lanyard/(.*)$': '<rootDir>/libs/$1/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  // One file at a time: the embedded database has a single session, and on any database an instance runner in one
  // file would take the pending jobs another file is waiting for (runners pick from a shared queue).
  maxWorkers: 1,
  // That one worker keeps about 28 MB of every file it ran (each file's module registry stays reachable; measured with
  // --logHeapUsage --expose-gc), which outgrew the heap at 242 files. Jest 30 runs the files in a child process when a
  // limit is set, and starts a fresh one after a file leaves it over the limit, so the suite's size does not matter.
  workerIdleMemoryLimit: '2GB',
  // Integration tests start the application and talk to a database; a slow machine must not fail them.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/api/test/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/apps/api/test/support/global-setup.js',
      globalTeardown: '<rootDir>/apps/api/test/support/global-teardown.js',
    },
  ],
};
