// The session core's own Architect plugin (app.arc: @plugins sessions); each hook is a small module.
//
// set.env: the shell's session variables reach the Sandbox's functions (./shell-env.js), and so do
// the names of the local tables (./sandbox-table-names.js).
// sandbox.start: the Sandbox runs every request in a new process, so a notice the session core gave
// once per process would print on every request. What is worth saying about the local configuration
// (the session mode and where it came from, and each mistake) is said here instead, once per start
// (./sandbox-start.js), and the core stays quiet under the Sandbox (../core/config.ts).
// deploy.start: every function gets the physical names of the app's tables (./table-names.js).
const { setShellEnv } = require('./shell-env')
const { sandboxTableNames } = require('./sandbox-table-names')
const { printSessionSetup } = require('./sandbox-start')
const { addTableNames } = require('./table-names')

// The shell's environment, as it was when Architect loaded this plugin, before the Sandbox put the
// functions' variables into process.env.
const shell = { ...process.env }

module.exports = {
  set: {
    /** @param {Parameters<typeof setShellEnv>[0] & { arc?: import('./sandbox-table-names').ParsedArc }} params */
    env(params) {
      const variables = setShellEnv(params, shell)
      const tables = sandboxTableNames(params.arc)
      // The project's own @env testing, if it sets the variable, is left to decide.
      if (tables === undefined || params.inventory.inv._project.env?.local?.['testing']?.['ARC_TABLE_NAMES'] !== undefined) return variables
      return { ...variables, testing: { ...variables['testing'], ARC_TABLE_NAMES: JSON.stringify(tables) } }
    },
  },
  sandbox: {
    /** @param {{ inventory: import('./sandbox-start').Inventory }} params */
    async start({ inventory }) {
      printSessionSetup(inventory, shell)
    },
  },
  deploy: {
    /** @param {{ cloudformation: import('./table-names').Template }} params */
    async start({ cloudformation }) {
      return addTableNames(cloudformation)
    },
  },
}
