// Extra esbuild options for @architect/plugin-typescript (app.arc: @typescript esbuild-config),
// for functions that start fast (docs/dynamodb.md, "Start-up"). The AWS SDK clients the session
// core uses are bundled, only the parts it uses, into files beside each index.js that are read
// only in DynamoDB mode (scripts/esbuild-aws-sdk.js), instead of loading the copy the Lambda
// runtime ships, which is slower to load (aws-sdk-js-v3#5516).
const { awsSdkUsedParts } = require('./scripts/esbuild-aws-sdk')

module.exports = {
  target: 'node24',
  plugins: [awsSdkUsedParts()],
  // The SDK's HTTP handler loads node:http with import(); left as is, that call would start Node's
  // ES module loader on the first request, several milliseconds for one built-in module.
  supported: { 'dynamic-import': false },
  minify: true,
}
