// StrykerJS: mutation testing of the session core (docs/testing.md#mutation-testing). Run with
// `npm run mutate`, never in `npm test` or CI: it runs the unit tests once per mutant.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    // The unit tests of the mutated files. Left out (they test files not mutated here, and would
    // only add runs): cross-site, live-reload-policy, dynamodb-client, dynamodb-discovery, notice, and
    // the checks on the docs and the core's imports (guarantees, portable-core).
    testFiles: [
      'test/unit/!(cross-site|live-reload-policy|dynamodb-client|dynamodb-discovery|notice|guarantees|portable-core).test.ts',
    ],
    // Each test file runs in its own Node process, TypeScript loaded by tsx (faster to start than
    // tap's ts-node, which matters once per file per mutant).
    nodeArgs: ['--import', 'tsx', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  // The session core's logic: stores, cookie codec, JWE, configuration, lifetime, typed view, the
  // adapter. Left out, each tested elsewhere: re-exports (index.ts, testing.ts), the AWS plumbing
  // that needs real sockets or AWS (ddb/client, target, table-name, timeouts: integration and deploy
  // suites), the Sandbox/build/plugin code (dev/, build/, arc/) and security/ (its own suites).
  mutate: [
    'src/shared/session/cookie/codec.ts',
    'src/shared/session/core/config.ts',
    'src/shared/session/core/lifetime.ts',
    'src/shared/session/core/log.ts',
    'src/shared/session/providers/index.ts',
    'src/shared/session/providers/store.ts',
    'src/shared/session/providers/jwe/*.ts',
    'src/shared/session/providers/ddb/store.ts',
    'src/shared/session/providers/ddb/item.ts',
    'src/shared/session/providers/ddb/signed-id.ts',
    'src/shared/session/providers/ddb/errors.ts',
    'src/shared/session/typed/view.ts',
    'src/shared/session/lambda/*.ts',
    'src/shared/session/define.ts',
  ],
  // A mutant in a module-level constant runs only while the module loads, so Stryker cannot tell
  // which tests cover it and would run the whole suite for each: not run, and counted apart in
  // bench/MUTATION.md.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  incremental: true,
  // Committed, so that the next run tests again only what changed.
  incrementalFile: 'bench/mutation/incremental.json',
  concurrency: 2,
  // The machine is shared: generous timeouts, so that a slow moment is not taken for an infinite loop.
  timeoutMS: 15000,
  dryRunTimeoutMinutes: 20,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
