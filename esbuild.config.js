// Extra esbuild options for @architect/plugin-typescript (app.arc: @typescript esbuild-config).
// The AWS SDK v3 ships in the Lambda Node.js runtime, and Sandbox resolves it from node_modules,
// so it stays out of the bundles: JWE-mode handlers never load it at all.
module.exports = {
  external: ['@aws-sdk/*'],
  target: 'node24',
}
