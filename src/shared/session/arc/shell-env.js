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

/** The ARC_ENV the Sandbox will run as: prefs.arc's @sandbox env, else the shell's, else testing. */
function sandboxEnvironment(preferences, shell) {
  const chosen = preferences?.sandbox?.env ?? shell.ARC_ENV
  return ENVIRONMENTS.includes(chosen) ? chosen : 'testing'
}

/** The shell's session variables that the project's @env block for `environment` does not set. */
function shellSessionVariables(shell, projectBlock) {
  const passed = {}
  for (const name of SESSION_VARIABLES) {
    if (shell[name] !== undefined && shell[name] !== '' && projectBlock?.[name] === undefined) passed[name] = shell[name]
  }
  return passed
}

/** The set.env hook: always an object with one key (Architect refuses an empty one). */
function setShellEnv({ inventory }, shell = process.env) {
  const project = inventory.inv._project
  const environment = sandboxEnvironment(project.preferences, shell)
  return { [environment]: shellSessionVariables(shell, project.env?.local?.[environment]) }
}

module.exports = { sandboxEnvironment, setShellEnv, shellSessionVariables }
