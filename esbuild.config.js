// esbuild options for @architect/plugin-typescript (app.arc: @typescript esbuild-config): the
// session core's (src/shared/session/build/esbuild.js: the bundled AWS SDK parts, no dynamic
// import(), the compile cache under the Sandbox; docs/development.md, "The build"), plus the app's
// own. Not minified: it made no difference to start-up that we could measure (bench/history.md), and
// production has no source maps (app.arc), so its stack traces stay readable.
const { withSessionCore } = require('./src/shared/session/build/esbuild')

module.exports = withSessionCore({ target: 'node24' })
