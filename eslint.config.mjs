// ESLint flat config: typescript-eslint's type-aware recommended rules for the TypeScript, the plain
// recommended rules for the JavaScript config files. `npm run lint` allows no warnings.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['.build/', 'node_modules/', 'docs/', 'coverage/', '.tap/', 'test/.tmp/', 'bench/.tmp/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
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
