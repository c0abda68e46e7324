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
// - Event streams in a file of their own: the SDK's protocol code reaches its event-stream support
//   through one dynamic import of `@smithy/core/event-streams` (a dependency of the clients), made
//   only for an operation that streams events, which neither DynamoDB nor SSM has. Left in, that one import makes esbuild wrap every
//   module the two share (about 160) in a closure run on first use, which V8 parses twice and
//   esbuild cannot tree-shake, and brings the CRC32 that needs `node:zlib`. So that import names a
//   file of its own, `aws-sdk/event-streams.js`, which nothing the app does loads.
// - Lighter Node built-ins where they do the same job: the SDK reads `~/.aws/config` with
//   `readFile` from `node:fs/promises`, whose module graph (file handles, readline, watchers: a
//   dozen modules) Node must load and, under Lambda's `--expose-gc`, compile from source; the part
//   gets `readFile` over `node:fs` instead, which every process has loaded already. Likewise its UUIDs
//   come from `node:crypto`'s `randomUUID`, which the session core has loaded, rather than from the
//   global `crypto` (web crypto, loaded on first touch). Its HTTP handler gets `node:https` on
//   first use (an http:// endpoint, the Sandbox's local DynamoDB, never loads it, nor TLS with it),
//   and its checks for a web ReadableStream, which its Node streams and string bodies never are,
//   no longer load Node's web streams to ask. Same results, fewer modules (bench/history.md
//   measures it).
const { execFile: execFileCallback } = require('node:child_process')
const { mkdir, readFile, writeFile } = require('node:fs/promises')
const path = require('node:path')
const { promisify } = require('node:util')
const esbuild = require('esbuild')

const execFile = promisify(execFileCallback)

/** @typedef {keyof typeof USED_EXPORTS} SdkPackage */
/** @typedef {{ eventStreamsApart: boolean, codeCache: boolean, lighterBuiltins: boolean }} Variant */

/** What the app imports from each SDK package. Importing another name fails the build, loudly. */
const USED_EXPORTS = {
  '@aws-sdk/client-dynamodb': ['DynamoDBClient', 'GetItemCommand', 'PutItemCommand', 'DeleteItemCommand'],
  '@aws-sdk/client-ssm': ['SSMClient', 'GetParametersByPathCommand'],
}

/** Where a package's file goes, relative to index.js. @param {string} pkg */
const fileOf = (pkg) => `./aws-sdk/${pkg.replace(/^@aws-sdk\//, '')}.js`

/** The SDK's event-stream support, and where it goes beside the package files (see above). */
const EVENT_STREAMS = '@smithy/core/event-streams'
const EVENT_STREAMS_FILE = './event-streams.js'

/** Leaves the import of event streams to a file of their own, `aws-sdk/event-streams.js` (see above). @type {import('esbuild').Plugin} */
const eventStreamsOwnFile = {
  name: 'aws-sdk-event-streams-apart',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, () => ({ path: EVENT_STREAMS_FILE, external: true }))
  },
}

/** `readFile` over `node:fs`: the one name the SDK imports from `node:fs/promises` (another fails the build). */
const FS_PROMISES_STAND_IN = `import { readFile as readFileCallback } from 'node:fs'
import { promisify } from 'node:util'
export const readFile = promisify(readFileCallback)
`
/**
 * The SDK's `node:https`, looked up on first use: its HTTP handler imports it at the top, but an
 * http:// endpoint (the Sandbox's local DynamoDB) never needs it, and loading it brings TLS. The
 * handler uses `Agent` (constructed, and tested with instanceof: every https agent is an http
 * agent, so only those are looked at) and `request`; another name fails the build.
 */
const HTTPS_ON_FIRST_USE = `import http from 'node:http'
const https = () => process.getBuiltinModule('node:https')
class Agent {
  constructor(options) { return new (https().Agent)(options) }
  static [Symbol.hasInstance](value) { return value instanceof http.Agent && value instanceof https().Agent }
}
export default { Agent, request: (...args) => https().request(...args) }
`
/** The part's free `crypto` (web crypto) read as node:crypto, put in scope by a line at the top of the part. */
const NODE_CRYPTO = '__awsSdkNodeCrypto'

/** Lighter Node built-ins where they do the same job (see above). @type {import('esbuild').Plugin} */
const lighterBuiltins = {
  name: 'aws-sdk-lighter-builtins',
  setup(build) {
    // No web streams: the part's HTTP handler answers with Node streams and sends DynamoDB's and
    // SSM's JSON as strings, so its checks for a web ReadableStream can only say no; reading the
    // global to ask would load Node's web streams.
    build.initialOptions.define = { ...build.initialOptions.define, crypto: NODE_CRYPTO, ReadableStream: 'undefined' }
    build.initialOptions.banner = { js: `const ${NODE_CRYPTO} = require('node:crypto');` }
    build.onResolve({ filter: /^(node:)?fs\/promises$/ }, () => ({ path: 'fs-promises-read-file', namespace: 'aws-sdk-lighter-builtins' }))
    build.onResolve({ filter: /^(node:)?https$/ }, () => ({ path: 'https-on-first-use', namespace: 'aws-sdk-lighter-builtins' }))
    build.onLoad({ filter: /.*/, namespace: 'aws-sdk-lighter-builtins' }, (args) => ({
      contents: args.path === 'https-on-first-use' ? HTTPS_ON_FIRST_USE : FS_PROMISES_STAND_IN,
      loader: 'js',
    }))
  },
}

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

/** The parts that get a V8 code cache made at build time (src/shared/session/build/aws-sdk-code-cache.js): DynamoDB mode's client. */
/** @type {readonly string[]} */
const CODE_CACHED = ['@aws-sdk/client-dynamodb']
const LOADER = require.resolve('./aws-sdk-code-cache.js')
const CACHE_MAKER = require.resolve('./aws-sdk-make-code-cache.js')
/**
 * The V8 flags of each target, one cache each (the loader picks by whether `gc` is exposed): the
 * Sandbox runs functions with plain `node`; Lambda's Node bootstrap (nodejs24.x) passes
 * `--expose-gc`, which changes V8's tag, with `--max-http-header-size` and heap sizes from the
 * function's memory, which do not (checked on Node 24: `v8.cachedDataVersionTag()` is the same with
 * or without them), so the heap sizes are left out.
 */
/** @type {Record<string, string[]>} */
const TARGETS = {
  plain: [],
  exposedGc: ['--expose-gc', '--max-http-header-size', '81920'],
}

/**
 * The used part of one package, as a CommonJS file (and its source map), with the function's own
 * options. Every function of an app gets the same part: it is built once per process (a Sandbox
 * rebuilds on every change) and written into each function's folder; the code caches too.
 * @type {Map<string, Promise<unknown>>}
 */
const parts = new Map()
/**
 * @template T
 * @param {string} key
 * @param {() => Promise<T>} make
 * @returns {Promise<T>}
 */
function memo(key, make) {
  let made = parts.get(key)
  if (!made) parts.set(key, (made = make()))
  return /** @type {Promise<T>} */ (made)
}
/**
 * Identical for every function whose folder is as far from the packages (a source map names them relatively).
 * @param {string} name
 * @param {string} resolveDir
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} options
 * @param {Variant} [variant]
 */
function partKey(name, resolveDir, outfile, options, variant) {
  return JSON.stringify([name, path.relative(path.dirname(outfile), resolveDir), options.target, options.minify, options.supported, options.sourcemap, variant])
}

/**
 * @param {string} contents
 * @param {string} sourcefile
 * @param {string} resolveDir
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} options
 * @param {import('esbuild').Plugin[]} plugins
 * @returns {Promise<import('esbuild').OutputFile[]>}
 */
function buildPart(contents, sourcefile, resolveDir, outfile, options, plugins) {
  return esbuild
    .build({
      stdin: { contents, resolveDir, sourcefile },
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
      plugins,
      logLevel: 'silent',
    })
    .then((result) => result.outputFiles)
}

/**
 * @param {SdkPackage} pkg
 * @param {string} resolveDir
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} options
 * @param {Variant} variant
 */
const usedPart = (pkg, resolveDir, outfile, options, variant) =>
  memo(partKey(pkg, resolveDir, outfile, options, variant), () =>
    buildPart(`export { ${USED_EXPORTS[pkg].join(', ')} } from '${pkg}'`, `${pkg}, used exports`, resolveDir, outfile, options, [
      envCredentialsOnly,
      ...(variant.eventStreamsApart ? [eventStreamsOwnFile] : []),
      ...(variant.lighterBuiltins ? [lighterBuiltins] : []),
    ]),
  )

/**
 * @param {string} resolveDir
 * @param {string} outfile
 * @param {import('esbuild').BuildOptions} options
 */
const eventStreamsPart = (resolveDir, outfile, options) =>
  memo(partKey(EVENT_STREAMS, resolveDir, outfile, options), () => buildPart(`export * from '${EVENT_STREAMS}'`, EVENT_STREAMS, resolveDir, outfile, options, []))

/**
 * The code caches of a part just written to `file`, one per target (TARGETS), each made in a child
 * process started with that target's flags: the files ({ name, contents }) and each target's V8
 * tag, made once per part.
 * @param {string} key
 * @param {string} file
 * @returns {Promise<{ files: { name: string, contents: Buffer }[], tags: Record<string, number> }>}
 */
const codeCaches = (key, file) =>
  memo(`${key}, code caches`, async () => {
    /** @type {{ name: string, contents: Buffer }[]} */
    const files = []
    /** @type {Record<string, number>} */
    const tags = {}
    for (const [target, flags] of Object.entries(TARGETS)) {
      const { stdout } = await execFile(process.execPath, [...flags, CACHE_MAKER, file], { timeout: 60_000, env: { PATH: process.env['PATH'] ?? '' } }).catch(
        /** @param {Error & { stderr?: string }} error */ (error) => {
          throw new Error(`making the V8 code cache of ${file} for ${target} failed: ${error.stderr || error.message}`)
        },
      )
      const tag = /\.(\d+)\.v8cache$/.exec(stdout)?.[1]
      if (tag === undefined) throw new Error(`making the V8 code cache of ${file} for ${target} printed no cache file: ${stdout}`)
      tags[target] = Number(tag)
      if (!files.some((f) => f.name === path.basename(stdout))) files.push({ name: path.basename(stdout), contents: await readFile(stdout) })
    }
    return { files, tags }
  })

/**
 * The plugin. Its options exist for the benchmarks (bench/cold-dynamodb.ts), which measure each
 * change on its own: `eventStreamsApart`, `codeCache` and `lighterBuiltins`, each on unless set to false.
 * @param {Partial<Variant>} [options]
 * @returns {import('esbuild').Plugin}
 */
function awsSdkUsedParts({ eventStreamsApart: apart = true, codeCache = true, lighterBuiltins: lighter = true } = {}) {
  /** @type {Variant} */
  const variant = { eventStreamsApart: apart, codeCache, lighterBuiltins: lighter }
  /** @param {string} pkg */
  const cached = (pkg) => codeCache && CODE_CACHED.includes(pkg)
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
      // The V8 tags of each code-cached part's caches, for its loader.
      /** @type {Map<SdkPackage, Record<string, number>>} */
      let cacheTags = new Map()
      build.onStart(() => {
        written = new Map()
        cacheTags = new Map()
      })
      // `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'` gets a module that re-exports the
      // used names from `./aws-sdk/client-dynamodb.js`, left for Node to load at run time (through
      // the code-cache loader for DynamoDB's). Since the names are listed, esbuild refuses an
      // import of any other, at build time.
      build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, async (args) => {
        const pkg = /** @type {SdkPackage} */ (args.path) // the filter matches only USED_EXPORTS' names
        if (write !== false && !written.has(pkg)) written.set(pkg, writePart(pkg, args.resolveDir, path.join(dir, fileOf(pkg))))
        await written.get(pkg)
        return { path: args.path, namespace: 'aws-sdk-used' }
      })
      build.onLoad({ filter: /.*/, namespace: 'aws-sdk-used' }, (args) => {
        const pkg = /** @type {SdkPackage} */ (args.path) // resolved above, from USED_EXPORTS' names only
        return {
          contents: cached(pkg)
            ? [
                `import { loadPart } from ${JSON.stringify(LOADER)}`,
                `const part = loadPart(__dirname, ${JSON.stringify(fileOf(pkg))}, ${JSON.stringify(cacheTags.get(pkg) ?? {})})`,
                ...USED_EXPORTS[pkg].map((name) => `export const ${name} = part.${name}`),
              ].join('\n')
            : `export { ${USED_EXPORTS[pkg].join(', ')} } from '${fileOf(pkg)}'`,
          loader: 'js',
          resolveDir: path.dirname(LOADER),
        }
      })
      build.onResolve({ filter: /^\.\/aws-sdk\//, namespace: 'aws-sdk-used' }, (args) => ({ path: args.path, external: true }))

      /** @param {SdkPackage} pkg @param {string} resolveDir @param {string} file */
      async function writePart(pkg, resolveDir, file) {
        const outputs = await usedPart(pkg, resolveDir, file, build.initialOptions, variant)
        await mkdir(path.dirname(file), { recursive: true })
        for (const output of outputs) await writeFile(output.path.endsWith('.map') ? `${file}.map` : file, output.contents)
        if (apart) {
          const eventStreams = path.join(path.dirname(file), EVENT_STREAMS_FILE)
          for (const output of await eventStreamsPart(resolveDir, eventStreams, build.initialOptions)) {
            await writeFile(output.path.endsWith('.map') ? `${eventStreams}.map` : eventStreams, output.contents)
          }
        }
        if (!cached(pkg)) return
        const { files, tags } = await codeCaches(partKey(pkg, resolveDir, file, build.initialOptions, variant), file)
        for (const cache of files) await writeFile(path.join(path.dirname(file), cache.name), cache.contents)
        cacheTags.set(pkg, tags)
      }
    },
  }
}

module.exports = { awsSdkUsedParts, USED_EXPORTS }
