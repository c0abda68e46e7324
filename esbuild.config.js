// Extra esbuild options for @architect/plugin-typescript (app.arc: @typescript esbuild-config),
// for functions that start fast (docs/dynamodb.md, "Start-up"). The AWS SDK clients the session
// core uses are bundled, only the parts it uses, into files beside each index.js that are read
// only in DynamoDB mode (src/shared/session/build/aws-sdk-parts.js), instead of loading the copy the Lambda
// runtime ships, which is slower to load (aws-sdk-js-v3#5516).
const { awsSdkUsedParts } = require('./src/shared/session/build/aws-sdk-parts')

module.exports = {
  target: 'node24',
  plugins: [awsSdkUsedParts()],
  // The SDK's HTTP handler loads node:http with import(); left as is, that call would start Node's
  // ES module loader on the first request, several milliseconds for one built-in module.
  supported: { 'dynamic-import': false },
  // Under the Sandbox every request is a new Node process: Node's compile cache keeps V8's compiled
  // code of these files between them. Node writes it at exit, but the Sandbox ends a function's
  // process with a signal once it has answered, so it is written as soon as the function has
  // initialised (DynamoDB mode loads the SDK then). A deployed function skips it: Lambda keeps one
  // process per environment, and a new environment has no cache to read (docs/dynamodb.md, "Start-up").
  // ("use strict" first: a banner goes before esbuild's own directive, which would then not count.)
  // A getter, so each build gets its own object: for staging builds plugin-typescript appends its
  // source-map line to `banner.js` in place, which on a shared object would add one per function.
  get banner() {
    return {
      js: `"use strict"; if (process.env.ARC_SANDBOX) { const m = require('node:module'); m.enableCompileCache?.(); setImmediate(() => m.flushCompileCache?.()) }`,
    }
  },
  // Not minified: it made no difference to start-up that we could measure (bench/history.md), and
  // production has no source maps (app.arc), so its stack traces stay readable.
}
