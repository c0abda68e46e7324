// An esbuild plugin (esbuild.config.js) that bundles the parts of the AWS SDK the app uses, and
// nothing else, into a file of their own beside each function's index.js: `aws-sdk/<client>.js`.
//
// - Only what is used: each SDK package the app imports is bundled from its ES module build
//   with just the exports listed in USED_EXPORTS, which lets esbuild leave out every other
//   command. (Inlined into index.js it could not: the session core reaches the SDK through a lazy
//   require(), and esbuild does not tree-shake the SDK's `export *` index files in a module reached
//   that way, evanw/esbuild#1420 and #2477.)
// - A file of its own: index.js requires `./aws-sdk/client-dynamodb.js` only when the core first
//   needs DynamoDB, so a JWE-mode function never reads, compiles or runs any of it.
// - No credential chain that Lambda does not need: Lambda gives a function its role's credentials
//   in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the
//   Sandbox passes its own the same way, so the SDK's default provider is replaced by the
//   environment provider, the first link of the default chain: no profile files, SSO, web
//   identity, instance metadata, or the STS and SSO clients they bring.
const { mkdir, writeFile } = require('node:fs/promises')
const path = require('node:path')
const esbuild = require('esbuild')

/** @typedef {keyof typeof USED_EXPORTS} SdkPackage */

/** What the app imports from each SDK package. Importing another name fails the build, loudly. */
const USED_EXPORTS = {
  '@aws-sdk/client-dynamodb': ['DynamoDBClient', 'GetItemCommand', 'PutItemCommand', 'DeleteItemCommand'],
  '@aws-sdk/client-ssm': ['SSMClient', 'GetParametersByPathCommand'],
}

/** Where a package's file goes, relative to index.js. @param {string} pkg */
const fileOf = (pkg) => `./aws-sdk/${pkg.replace(/^@aws-sdk\//, '')}.js`

/** Replaces the SDK's default credential chain with the environment provider (see above). @type {import('esbuild').Plugin} */
const envCredentialsOnly = {
  name: 'aws-sdk-env-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({ path: args.path, namespace: 'env-credentials', pluginData: args.resolveDir }))
    build.onLoad({ filter: /.*/, namespace: 'env-credentials' }, (args) => ({
      contents: "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env'",
      resolveDir: args.pluginData,
    }))
  },
}

/**
 * The used part of one package, as a CommonJS file (and its source map), with the function's own
 * options. Every function of an app gets the same part: it is built once per process (a Sandbox
 * rebuilds on every change) and written into each function's folder.
 * @type {Map<string, Promise<import('esbuild').OutputFile[]>>}
 */
const parts = new Map()
/**
 * @param {SdkPackage} pkg
 * @param {string} resolveDir
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} options
 */
function usedPart(pkg, resolveDir, outfile, options) {
  // Identical for every function whose folder is as far from the packages (a source map names them relatively).
  const key = JSON.stringify([pkg, path.relative(path.dirname(outfile), resolveDir), options.target, options.minify, options.supported, options.sourcemap])
  let part = parts.get(key)
  if (!part) parts.set(key, (part = buildUsedPart(pkg, resolveDir, outfile, options).then((result) => result.outputFiles)))
  return part
}

/**
 * @param {SdkPackage} pkg
 * @param {string} resolveDir
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} options
 */
function buildUsedPart(pkg, resolveDir, outfile, options) {
  return esbuild.build({
    stdin: { contents: `export { ${USED_EXPORTS[pkg].join(', ')} } from '${pkg}'`, resolveDir, sourcefile: `${pkg}, used exports` },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    outfile,
    // The function's own settings; when it has none, esbuild's defaults, spelled out.
    target: options.target ?? 'esnext',
    minify: options.minify ?? false,
    supported: options.supported ?? {},
    sourcemap: options.sourcemap ? 'external' : false,
    // The SDK's ES module build, which tree-shakes; its CommonJS build is one file per package.
    mainFields: ['module', 'main'],
    plugins: [envCredentialsOnly],
    logLevel: 'silent',
  })
}

/** @returns {import('esbuild').Plugin} */
function awsSdkUsedParts() {
  return {
    name: 'aws-sdk-used-parts',
    setup(build) {
      const { outfile, outdir, write } = build.initialOptions
      const dir = outfile ? path.dirname(outfile) : outdir
      if (dir === undefined) throw new Error('aws-sdk-used-parts writes beside the bundle: give esbuild an outfile or an outdir')
      const names = Object.keys(USED_EXPORTS).map((pkg) => pkg.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&'))
      // Written once per build, as soon as the import is met: before esbuild writes index.js, so
      // that no one (a Sandbox rebuilding on a change) finds an index.js without its parts.
      /** @type {Map<SdkPackage, Promise<void>>} */
      let written = new Map()
      build.onStart(() => void (written = new Map()))
      // `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'` gets a module that re-exports the
      // used names from `./aws-sdk/client-dynamodb.js`, left for Node to require at run time. Since
      // the names are listed, esbuild refuses an import of any other, at build time.
      build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, async (args) => {
        const pkg = /** @type {SdkPackage} */ (args.path) // the filter matches only USED_EXPORTS' names
        if (write !== false && !written.has(pkg)) written.set(pkg, writePart(pkg, args.resolveDir, path.join(dir, fileOf(pkg))))
        await written.get(pkg)
        return { path: args.path, namespace: 'aws-sdk-used' }
      })
      build.onLoad({ filter: /.*/, namespace: 'aws-sdk-used' }, (args) => ({
        contents: `export { ${USED_EXPORTS[/** @type {SdkPackage} */ (args.path)].join(', ')} } from '${fileOf(args.path)}'`,
        loader: 'js',
      }))
      build.onResolve({ filter: /^\.\/aws-sdk\//, namespace: 'aws-sdk-used' }, (args) => ({ path: args.path, external: true }))

      /** @param {SdkPackage} pkg @param {string} resolveDir @param {string} file */
      async function writePart(pkg, resolveDir, file) {
        const outputs = await usedPart(pkg, resolveDir, file, build.initialOptions)
        await mkdir(path.dirname(file), { recursive: true })
        for (const output of outputs) await writeFile(output.path.endsWith('.map') ? `${file}.map` : file, output.contents)
      }
    },
  }
}

module.exports = { awsSdkUsedParts, USED_EXPORTS }
