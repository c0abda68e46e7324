// Loads a bundled part of the AWS SDK (`aws-sdk/client-dynamodb.js`, src/shared/session/build/aws-sdk-parts.js)
// with a V8 code cache made at build time, after the part had already served a GetItem, a
// PutItem and a DeleteItem (src/shared/session/build/aws-sdk-make-code-cache.js): the cache then holds the code
// of every function the first request compiles, not only the top level, which Node's own compile
// cache holds and which cannot be used on Lambda anyway (docs/dynamodb.md, "Start-up").
//
// Run-time code, bundled into each function's index.js, but reached only in DynamoDB mode (the
// session core requires the DynamoDB client lazily): JWE mode never loads it, nor node:vm.
//
// V8 accepts a cache only from the same V8 version run with the same V8 flags, which
// `v8.cachedDataVersionTag()` sums up, so the build writes one cache per target, `<part>.<tag>.v8cache`:
// the Sandbox's plain `node`, and Lambda's, which runs with `--expose-gc`. This picks the one made
// with the process's own exposure of `gc` without asking node:v8 for the tag: under Lambda's flags
// Node compiles each of its own modules from source (its built-in code cache is made for the
// default flags), so loading node:v8 costs about 8 M instructions of a 530 M cold request
// (bench/history.md). V8 checks the rest itself: a cache from another V8 version or other flags is
// rejected. Each cache starts with a key, the SHA-256 of the source it was made from: V8 itself
// checks only the source's length. Whenever the cache does not fit, the part is compiled as any
// other file (require), and one line says so, with this Node's tag and the caches' (on that path
// only, node:v8 is asked): on Lambda it means an automatic runtime update changed Node under the
// function.
const { readFileSync, readdirSync } = require('node:fs')
const { createHash } = require('node:crypto')
const path = require('node:path')
const vm = require('node:vm')
const Module = require('node:module')

/** Node's own CommonJS wrapper, so the part runs as if required. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { '
const WRAPPER_END = '\n})'
const KEY_BYTES = 32
const CACHE_SUFFIX = '.v8cache'

/** Where the cache for a V8 tag goes: beside the part. @param {string} file @param {number | string} tag */
function cacheFileFor(file, tag) {
  return `${file}.${tag}${CACHE_SUFFIX}`
}

/** What ties a cache to the exact source it was made from. @param {string} source */
function sourceKey(source) {
  return createHash('sha256').update(source).digest()
}

/**
 * Compiles the part as vm.Script (with `cachedData` when given), wrapped as Node wraps a CommonJS file.
 * @param {string} file
 * @param {string} source
 * @param {Buffer} [cachedData]
 */
function compilePart(file, source, cachedData) {
  return new vm.Script(WRAPPER_START + source + WRAPPER_END, cachedData ? { filename: file, cachedData } : { filename: file })
}

/**
 * Runs a compiled part as a CommonJS module, registered in require.cache as `require` would.
 * @param {vm.Script} script
 * @param {string} file
 * @returns {unknown} the part's exports
 */
function runPart(script, file) {
  const module = new Module(file, undefined)
  module.filename = file
  // Node's own table of loaded modules, the one `require` fills (`require.cache`); not in its types.
  const loaded = /** @type {typeof Module & { _cache: Record<string, Module> }} */ (Module)._cache
  loaded[file] = module
  try {
    /** @type {(this: unknown, ...args: unknown[]) => void} */ (script.runInThisContext()).call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file))
  } catch (error) {
    delete loaded[file]
    throw error
  }
  module.loaded = true
  return module.exports
}

/** The tags the shipped caches were made for (read only when this Node's tag has none, to say so). @param {string} file */
function shippedTags(file) {
  const prefix = `${path.basename(file)}.`
  try {
    return readdirSync(path.dirname(file))
      .filter((name) => name.startsWith(prefix) && name.endsWith(CACHE_SUFFIX))
      .map((name) => name.slice(prefix.length, -CACHE_SUFFIX.length))
  } catch {
    return []
  }
}

/**
 * The exports of the part at `relative` to `dir`, from the cache made for this process's flags when
 * it fits; otherwise compiled as any other file, with one line on stderr that says why and names
 * this Node's V8 tag and those of the caches. `tags`: the V8 tag of each cache the build made, for
 * plain `node` and for `node --expose-gc`.
 * @param {string} dir
 * @param {string} relative
 * @param {{ plain?: number, exposedGc?: number }} [tags]
 * @returns {unknown} the part's exports
 */
function loadPart(dir, relative, tags = {}) {
  const file = path.join(dir, relative)
  const tag = typeof globalThis.gc === 'function' ? tags.exposedGc : tags.plain
  let cache
  try {
    cache = tag === undefined ? undefined : readFileSync(cacheFileFor(file, tag))
  } catch {
    cache = undefined
  }
  let why
  if (cache === undefined) {
    why = `the build made no cache for ${typeof globalThis.gc === 'function' ? 'node --expose-gc' : 'plain node'}`
  } else {
    const source = readFileSync(file, 'utf8')
    if (!cache.subarray(0, KEY_BYTES).equals(sourceKey(source))) {
      why = `the cache for V8 tag ${tag} was made from another build of ${path.basename(file)}`
    } else {
      const script = compilePart(file, source, cache.subarray(KEY_BYTES))
      if (!script.cachedDataRejected) return runPart(script, file)
      why = `V8 rejected the cache made for V8 tag ${tag}`
    }
  }
  const own = require('node:v8').cachedDataVersionTag()
  console.warn(
    `[session] the AWS SDK's code cache is not used, so cold starts are slower: ${why}; this Node's V8 tag is ${own}, ` +
      `the build's caches are for V8 tags ${shippedTags(file).join(', ') || 'none'}; ` +
      'pin the Lambda runtime version to the Node the app was built with (docs/dynamodb.md, "Start-up")',
  )
  return require(file)
}

module.exports = { loadPart, compilePart, runPart, cacheFileFor, sourceKey, KEY_BYTES }
