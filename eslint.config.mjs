// ESLint flat config: typescript-eslint's strict type-aware rules for the TypeScript, the plain
// recommended rules for the JavaScript build pieces (which `npm run typecheck` type-checks through
// their JSDoc). `npm run lint` allows no warnings.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  // test/fixtures/: apps that compile only once a test has copied the session core beside them
  // (test/integration/portable-app.test.ts type-checks them there).
  { ignores: ['.build/', 'node_modules/', 'docs/', 'coverage/', '.tap/', 'test/.tmp/', 'bench/.tmp/', 'test/fixtures/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `async` here marks functions that implement a Promise-returning interface (a SessionStore,
      // a handler given to `http`) even when their body happens not to wait for anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        // tap tracks the subtests that `t.test` starts and waits for them itself.
        { allowForKnownSafeCalls: [{ from: 'package', package: '@tapjs/test', name: 'test' }] },
      ],
      // A number in a message reads as itself; what stays refused is an object, a possibly
      // undefined value or a union that would print as `[object Object]` or `undefined`.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => client.destroy()` as a callback says what it does; a void value returned or
      // assigned anywhere else is still refused.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // `rows[0]!` in a test is an assertion of its own: when it is wrong, the test fails on the
      // TypeError. (The code under test may not use it: noUncheckedIndexedAccess is the point.)
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests compare strictly (docs/testing.md#strict-assertions): tap's loose forms take '1' for 1,
    // so a bug that turns numbers into strings passes them.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // t.notSame too: one rule for every deep comparison, strict in both directions.
          selector: "CallExpression[callee.property.name=/^(same|notSame|matchOnly)$/]",
          message: 'Loose deep comparison: use t.strictSame or t.strictNotSame (t.equal / t.not on primitives).',
        },
        {
          selector: "CallExpression[callee.object.name='t'][callee.property.name=/^(has|notHas|hasProp|hasProps|hasOwnProp|hasOwnProps)$/]",
          message: 'Loose subset comparison: compare the whole value with t.strictSame.',
        },
        {
          selector: "CallExpression[callee.property.name=/^(match|notMatch)$/] > :matches(ObjectExpression, ArrayExpression).arguments:nth-child(2)",
          message: 't.match with an object or array compares loosely: use t.strictSame; keep t.match for a string and a RegExp.',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    // CommonJS files that Node runs or tools require: esbuild.config.js, the session core's Architect
    // plugin and build pieces (src/shared/session/arc/, build/), the start script.
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
)
