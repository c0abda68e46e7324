// The session core's esbuild options, for @architect/plugin-typescript (app.arc: @typescript
// esbuild-config). An app's esbuild config is then one line (docs/use-the-core.md):
//
//   module.exports = withSessionCore({ target: 'node24' })
//
// A function, not an object to spread: plugin-typescript spreads the config into new options for
// every bundle it builds, and an app's banner must be a new object each time (see `banner` below);
// spreading it into the app's config would read the getter once and share one object again.
const { awsSdkUsedParts } = require('./aws-sdk-parts')

/**
 * The app's esbuild options with the core's added: its plugin for the AWS SDK parts
 * (./aws-sdk-parts.js) first and `import()` turned into `require`. No banner of the core's: the
 * DynamoDB client's code, the one file worth caching, comes with a V8 code cache made at build time
 * (./aws-sdk-code-cache.js), which Node's compile cache (tried before, under the Sandbox) cannot
 * add to (bench/history.md).
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
    // A getter, so each build gets its own copy of the app's banner: for staging builds
    // plugin-typescript appends its source-map line to `banner.js` in place, which on a shared
    // object would add one per function.
    get banner() {
      return { ...appBanner }
    },
  }
}

module.exports = { withSessionCore }
