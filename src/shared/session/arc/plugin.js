// The session core's own Architect plugin (app.arc: @plugins sessions); each hook is a small module.
//
// set.env: the shell's session variables reach the Sandbox's functions (./shell-env.js).
// sandbox.start: the Sandbox runs every request in a new process, so a notice the session core gave
// once per process would print on every request. What is worth saying about the local configuration
// (the session mode and where it came from, and each mistake) is said here instead, once per start
// (./sandbox-start.js), and the core stays quiet under the Sandbox (../core/config.ts).
// deploy.start: every function gets the physical names of the app's tables (./table-names.js).
const { setShellEnv } = require('./shell-env')
const { printSessionSetup } = require('./sandbox-start')
const { addTableNames } = require('./table-names')

// The shell's environment, as it was when Architect loaded this plugin, before the Sandbox put the
// functions' variables into process.env.
const shell = { ...process.env }

module.exports = {
  set: {
    /** @param {Parameters<typeof setShellEnv>[0]} params */
    env(params) {
      return setShellEnv(params, shell)
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
