// sandbox.start for the session core's Architect plugin (./plugin.js): reads what the Sandbox is
// about to give its functions, and prints the start line and the notices of ./notices.js.
//
// While start plugins run, the Sandbox puts the functions' variables into process.env (the project's
// @env block, or those given to `sandbox.start({ env })`, and ARC_SESSION_TABLE_NAME); keys the
// functions do not get keep the shell's values, so the shell is read apart, when the plugin loads.
const { secretNotices } = require('./secret-notice')
const { existsSync } = require('node:fs')
const path = require('node:path')
const { sessionNotices, startLine } = require('./notices')
const { SESSION_VARIABLES } = require('./session-variables')

const ENVIRONMENTS = ['testing', 'staging', 'production']

/**
 * The parts of Architect's inventory read here. `localPreferences.env` is prefs.arc's @env as parsed:
 * an object of variables per environment, and beside them any name a comment cut off.
 * @typedef {Record<string, string | undefined>} Variables
 * @typedef {Record<string, unknown> | null | undefined} PrefsEnv
 * @typedef {object} Project
 * @property {string} cwd
 * @property {string | null} [localPreferencesFile]
 * @property {{ env?: PrefsEnv, _raw?: string } | null} [localPreferences]
 * @property {{ local?: Record<string, Record<string, string> | null | undefined> | null, plugins?: Record<string, Record<string, string> | undefined> | null }} [env]
 * @typedef {{ inv: { _project: Project } }} Inventory
 */

/**
 * Names the `@env` parser put beside the environments, not in one: cut off by a comment line.
 * @param {PrefsEnv} prefsEnv
 * @param {string | null | undefined} raw
 */
function cutOffByComment(prefsEnv, raw) {
  const names = Object.keys(prefsEnv ?? {}).filter((key) => !ENVIRONMENTS.includes(key))
  if (names.length === 0) return { line: undefined, names }
  const lines = String(raw ?? '').split('\n')
  const start = lines.findIndex((line) => /^@env\b/.test(line.trim()))
  const index = start < 0 ? -1 : lines.findIndex((line, i) => i > start && /^\s+#/.test(line))
  return { line: index < 0 ? undefined : index + 1, names }
}

/**
 * Every name set in the project's `@env` blocks and in the shell, with where it is.
 * @param {PrefsEnv} prefsEnv
 * @param {string} file
 * @param {Variables} shell
 */
function namesSet(prefsEnv, file, shell) {
  const names = Object.keys(shell).map((name) => ({ name, where: 'the shell' }))
  for (const [key, block] of Object.entries(prefsEnv ?? {})) {
    if (!ENVIRONMENTS.includes(key)) names.push({ name: key, where: `${file} @env` })
    else for (const name of Object.keys(block ?? {})) names.push({ name, where: `${file} @env ${key}` })
  }
  return names
}

/**
 * The setup ./notices.js describes, from the inventory and the process's environment as they are during start.
 * @param {Inventory} inventory
 * @param {Variables} shell
 * @param {Variables} [running]
 * @returns {import('./notices').SessionSetup}
 */
function sessionSetup(inventory, shell, running = process.env) {
  const project = inventory.inv._project
  const environment = running['ARC_ENV'] || 'testing'
  const projectFile = existsSync(path.join(project.cwd, '.env')) ? '.env' : path.basename(project.localPreferencesFile ?? 'prefs.arc')
  const passed = project.env?.plugins?.[environment] ?? {}
  const block = { ...project.env?.local?.[environment] }
  for (const name of Object.keys(passed)) if (block[name] === passed[name]) delete block[name]
  /** @type {Variables} */
  const functions = {}
  for (const name of SESSION_VARIABLES) {
    const given = name in block || name in passed || name === 'ARC_SESSION_TABLE_NAME' || running[name] !== shell[name]
    functions[name] = given ? running[name] : undefined
  }
  const prefsEnv = project.localPreferences?.env
  return {
    environment,
    projectFile,
    shell,
    project: block,
    passed,
    functions,
    names: namesSet(prefsEnv, projectFile, shell),
    cutOff: cutOffByComment(prefsEnv, project.localPreferences?._raw),
  }
}

/**
 * @param {Inventory} inventory
 * @param {Variables} shell
 */
function printSessionSetup(inventory, shell) {
  const setup = sessionSetup(inventory, shell)
  console.log(startLine(setup))
  for (const notice of sessionNotices(setup)) console.warn(notice)
  // While start plugins run, process.env holds the functions' variables (prefs.arc, the shell's that
  // reach them, or those given to `sandbox.start({ env })`): the secrets they will use.
  if (setup.environment === 'testing') for (const notice of secretNotices(process.env)) console.warn(notice)
}

module.exports = { cutOffByComment, printSessionSetup, sessionSetup }
