// The session core's esbuild options, for @architect/plugin-typescript (app.arc: @typescript
// esbuild-config). An app's esbuild config is then one line (docs/use-the-core.md):
//
//   module.exports = withSessionCore({ target: 'node24' })
//
// A function, not an object to spread: plugin-typescript spreads the config into new options for
// every bundle it builds, and the banner must be a new object each time (see `banner` below);
// spreading it into the app's config would read the getter once and share one object again.
const { awsSdkUsedParts } = require('./aws-sdk-parts')

// Under the Sandbox every request is a new Node process: Node's compile cache keeps V8's compiled
// code of these files between them. Node writes it at exit, but the Sandbox ends a function's
// process with a signal once it has answered, so it is written as soon as the function has
// initialised (DynamoDB mode loads the SDK then). A deployed function skips it: Lambda keeps one
// process per environment, and a new environment has no cache to read (docs/dynamodb.md, "Start-up").
// ("use strict" first: a banner goes before esbuild's own directive, which would then not count.)
const COMPILE_CACHE_BANNER = `"use strict"; if (process.env.ARC_SANDBOX) { const m = require('node:module'); m.enableCompileCache?.(); setImmediate(() => m.flushCompileCache?.()) }`

/**
 * The app's esbuild options with the core's added: its plugin for the AWS SDK parts
 * (./aws-sdk-parts.js) first, `import()` turned into `require`, and the compile-cache banner
 * before the app's own banner, if it has one.
 * @param {import('esbuild').BuildOptions} [app] the app's own options (`target`, more plugins, ...)
 * @returns {import('esbuild').BuildOptions}
 */
function withSessionCore(app = {}) {
  const { banner: appBanner, plugins = [], supported = {}, ...rest } = app
  return {
    ...rest,
    plugins: [awsSdkUsedParts(), ...plugins],
    // The SDK's HTTP handler loads node:http with import(); left as is, that call would start Node's
    // ES module loader on the first request, several milliseconds for one built-in module.
    supported: { 'dynamic-import': false, ...supported },
    // A getter, so each build gets its own object: for staging builds plugin-typescript appends its
    // source-map line to `banner.js` in place, which on a shared object would add one per function.
    get banner() {
      const js = appBanner?.['js'] ? `${COMPILE_CACHE_BANNER}\n${appBanner['js']}` : COMPILE_CACHE_BANNER
      return { ...appBanner, js }
    },
  }
}

module.exports = { withSessionCore }
