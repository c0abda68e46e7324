// Extra esbuild options for @architect/plugin-typescript (app.arc: @typescript esbuild-config),
// for functions that start fast (docs/dynamodb.md, "Start-up"). The AWS SDK clients the session
// core uses are bundled, only the parts it uses, into files beside each index.js that are read
// only in DynamoDB mode (src/shared/session/build/aws-sdk-parts.js), instead of loading the copy the Lambda
// runtime ships, which is slower to load (aws-sdk-js-v3#5516); DynamoDB's with a V8 code cache.
const { awsSdkUsedParts } = require('./src/shared/session/build/aws-sdk-parts')

module.exports = {
  target: 'node24',
  plugins: [awsSdkUsedParts()],
  // The SDK's HTTP handler loads node:http with import(); left as is, that call would start Node's
  // ES module loader on the first request, several milliseconds for one built-in module.
  supported: { 'dynamic-import': false },
  // No banner of our own: the DynamoDB client's code, the one file worth caching, comes with a V8
  // code cache made at build time (src/shared/session/build/aws-sdk-code-cache.js), which Node's
  // compile cache (tried here before, under the Sandbox) cannot add to: bench/history.md.
  // (plugin-typescript adds its source-map banner in staging to its own copy of these options.)
  // Not minified: it made no difference to start-up that we could measure (bench/history.md), and
  // production has no source maps (app.arc), so its stack traces stay readable.
}
