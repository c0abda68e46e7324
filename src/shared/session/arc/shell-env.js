// set.env for the session core's Architect plugin (./plugin.js): session variables set in the shell
// reach the Sandbox's functions (docs/development.md, "Session settings in the Sandbox").
//
// The Sandbox gives its functions the project's @env block (prefs.arc, or .env) and, of the shell,
// only ARC_SESSION_TABLE_NAME: `ARC_APP_SECRET=... npm start` would otherwise change nothing. This
// adds the shell's session variables to the environment the Sandbox runs as, except those the project
// sets itself: as for ARC_SESSION_TABLE_NAME, the project's value wins (and the start notices say so).
// Only that one local environment: staging and production are configured with `npx arc env`.
const { SESSION_VARIABLES } = require('./session-variables')

const ENVIRONMENTS = ['testing', 'staging', 'production']

/**
 * The parts of Architect's inventory read here: prefs.arc's @sandbox settings, and the project's
 * `@env` block per environment as Architect read it.
 * @typedef {Record<string, string | undefined>} Variables
 * @typedef {{ sandbox?: { env?: string } | null } | null | undefined} Preferences
 * @typedef {{ inv: { _project: { preferences?: Preferences, env?: { local?: Record<string, Record<string, string> | null | undefined> | null } } } }} Inventory
 */

/**
 * The ARC_ENV the Sandbox will run as: prefs.arc's `@sandbox` env, else the shell's, else testing.
 * @param {Preferences} preferences
 * @param {Variables} shell
 */
function sandboxEnvironment(preferences, shell) {
  const chosen = preferences?.sandbox?.env ?? shell['ARC_ENV']
  return chosen !== undefined && ENVIRONMENTS.includes(chosen) ? chosen : 'testing'
}

/**
 * The shell's session variables that the project's `@env` block for `environment` does not set.
 * @param {Variables} shell
 * @param {Record<string, string> | null | undefined} projectBlock
 */
function shellSessionVariables(shell, projectBlock) {
  /** @type {Record<string, string>} */
  const passed = {}
  for (const name of SESSION_VARIABLES) {
    if (shell[name] !== undefined && shell[name] !== '' && projectBlock?.[name] === undefined) passed[name] = shell[name]
  }
  return passed
}

/**
 * The set.env hook: always an object with one key (Architect refuses an empty one).
 * @param {{ inventory: Inventory }} params
 * @param {Variables} [shell]
 */
function setShellEnv({ inventory }, shell = process.env) {
  const project = inventory.inv._project
  const environment = sandboxEnvironment(project.preferences, shell)
  return { [environment]: shellSessionVariables(shell, project.env?.local?.[environment]) }
}

module.exports = { sandboxEnvironment, setShellEnv, shellSessionVariables }
