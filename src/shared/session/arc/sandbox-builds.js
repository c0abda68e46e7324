// The Sandbox's TypeScript builds, so that a function is never without a handler
// (docs/development.md, "Live reload").
//
// @architect/plugin-typescript builds a function by deleting its folder under .build and then
// writing the new bundle there, and the Sandbox answers a request that comes in between with its
// 502 "Lambda handler not found": on every change, and for the whole first build on a fresh clone.
// Here the same build (plugin-typescript's options, ./sandbox-build-options.js) is written into a
// staging folder that then takes the function folder's place in one rename. Until a first build is
// written, the handler is a stand-in that waits for it; a build that fails leaves a handler that
// shows the esbuild message as a page, until the next build.
const { existsSync, mkdirSync, renameSync, writeFileSync } = require('node:fs')
const { rm } = require('node:fs/promises')
const path = require('node:path')
const { setTimeout } = require('node:timers')
const { build: esbuild, formatMessagesSync } = require('esbuild')
const { sandboxBuildOptions } = require('./sandbox-build-options')
const { buildErrorHandler, waitingHandler } = require('./sandbox-handlers')

/**
 * The parts of Architect's inventory read here: the functions (a folder shared by several functions
 * lists them all, the first being the one built), the shared and views folders, and the project.
 * @typedef {object} Lambda
 * @property {string} name
 * @property {string} pragma
 * @property {string} src
 * @property {string} build
 * @property {string} handlerFile
 * @property {{ runtime: string, timeout: number }} config
 * @typedef {object} Inventory
 * @property {object} inv
 * @property {Record<string, Lambda | [Lambda, ...Lambda[]]> | null} [inv.lambdasBySrcDir]
 * @property {{ src?: string } | null} [inv.shared]
 * @property {{ src?: string } | null} [inv.views]
 * @property {import('./sandbox-build-options').Project} inv._project
 */

/**
 * The functions plugin-typescript builds: those of the `typescript` runtime.
 * @param {Inventory} inventory
 * @returns {Lambda[]}
 */
function typescriptLambdas(inventory) {
  return Object.values(inventory.inv.lambdasBySrcDir ?? {})
    .map((lambda) => (Array.isArray(lambda) ? lambda[0] : lambda))
    .filter((lambda) => lambda.config.runtime === 'typescript')
}

/**
 * What a changed file asks to rebuild: every function for a shared file, its own for a function's.
 * @param {Inventory} inventory
 * @param {string} filename
 * @returns {Lambda[]}
 */
function lambdasToRebuild(inventory, filename) {
  if (!/\.tsx?$/.test(filename)) return []
  const { shared, views } = inventory.inv
  const lambdas = typescriptLambdas(inventory)
  const inside = (/** @type {unknown} */ dir) => typeof dir === 'string' && filename.startsWith(dir + path.sep)
  if (inside(shared?.src) || inside(views?.src)) return lambdas
  // The function whose folder holds the file (its folder, not a name it starts with: get-a vs get-ab).
  return lambdas.filter((lambda) => inside(lambda.src))
}

/**
 * Before the first build: a handler that waits for it, wherever there is none yet. Synchronous on purpose.
 * @param {Inventory} inventory
 */
function writeWaitingHandlers(inventory) {
  for (const lambda of typescriptLambdas(inventory)) {
    if (existsSync(lambda.handlerFile)) continue
    mkdirSync(path.dirname(lambda.handlerFile), { recursive: true })
    writeFileSync(lambda.handlerFile, waitingHandler())
  }
}

let staged = 0

/**
 * Builds one function into a staging folder beside .build's own, then swaps it in.
 * Returns undefined, or the esbuild messages of a failed build.
 * @param {Inventory} inventory
 * @param {Lambda} lambda
 * @returns {Promise<string | undefined>}
 */
async function buildLambda(inventory, lambda) {
  const staging = path.join(path.dirname(lambda.build), `.staging-${path.basename(lambda.build)}-${process.pid}-${++staged}`)
  const outfile = path.join(staging, path.relative(lambda.build, lambda.handlerFile))
  /** @type {string | undefined} */
  let failure
  try {
    await esbuild(sandboxBuildOptions(inventory.inv._project, lambda, outfile))
  } catch (error) {
    failure = describeBuildError(error)
    await rm(staging, { recursive: true, force: true })
    mkdirSync(path.dirname(outfile), { recursive: true })
    writeFileSync(outfile, buildErrorHandler(`@${lambda.pragma} ${lambda.name}`, failure))
  }
  swapIn(staging, lambda.build, lambda.config.timeout)
  return failure
}

// Two renames in one turn of the event loop: the Sandbox, which checks for the handler in this same
// process, cannot see the folder missing in between. The old folder is the working directory of any
// function still running from it, so it is deleted only once such a function has timed out.
/**
 * @param {string} staging
 * @param {string} build
 * @param {number} timeoutSeconds
 */
function swapIn(staging, build, timeoutSeconds) {
  const old = `${staging}-old`
  const hadOld = existsSync(build)
  if (hadOld) renameSync(build, old)
  renameSync(staging, build)
  if (hadOld) setTimeout(() => void rm(old, { recursive: true, force: true }), (timeoutSeconds + 1) * 1000).unref()
}

/**
 * esbuild's messages as its CLI prints them (file, line, the code, a caret), without colours.
 * @param {unknown} error  esbuild's failure (with `errors`), or whatever else was thrown
 */
function describeBuildError(error) {
  const thrown = /** @type {{ errors?: unknown, message?: unknown } | null | undefined} */ (error)
  const messages = thrown?.errors
  if (Array.isArray(messages) && messages.length > 0) {
    return formatMessagesSync(messages, { kind: 'error', color: false }).join('\n').trim()
  }
  return String(thrown?.message ?? error)
}

/**
 * Builds the given functions together; one line for the result, and esbuild's messages for each that failed.
 * @param {Inventory} inventory
 * @param {Lambda[]} lambdas
 */
async function buildLambdas(inventory, lambdas) {
  const start = Date.now()
  const failures = await Promise.all(lambdas.map((lambda) => buildLambda(inventory, lambda)))
  failures.forEach((failure, i) => {
    // esbuild has printed its message above; the page says it too.
    if (failure && lambdas[i]) console.error(`Build failed: @${lambdas[i].pragma} ${lambdas[i].name} answers with esbuild's message until its next build`)
  })
  if (failures.every((failure) => !failure)) console.log(`Compiled ${lambdas.length} function${lambdas.length === 1 ? '' : 's'} in ${(Date.now() - start) / 1000}s`)
  return failures
}

module.exports = { buildLambdas, lambdasToRebuild, typescriptLambdas, writeWaitingHandlers }
