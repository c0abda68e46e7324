// The app's own Architect plugin (app.arc: @plugins sessions).
//
// sandbox.start: the Sandbox runs every request in a new process, so a notice the session core
// gave once per process would print on every request. What is worth saying about the local
// configuration is said here instead, once per start, and the core stays quiet under the Sandbox
// (../core/config.ts).
//
// deploy.start: every function gets the physical names of the app's tables (./table-names.js).
const { addTableNames } = require('./table-names')

const DEV_KEY_NOTICE =
  '[session] ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing (set one in prefs.arc @env to try a real secret)'

// The Sandbox's own environment, as it was when Architect loaded this plugin: functions do not get
// it (a secret exported in the shell is not a secret the app uses).
const shellSecret = process.env['ARC_APP_SECRET']

module.exports = {
  sandbox: {
    /** @param {{ inventory: { inv: { _project: { env: { local?: Record<string, Record<string, string> | undefined> | null } } } } }} params */
    async start({ inventory }) {
      const arcEnv = process.env['ARC_ENV'] || 'testing'
      if (arcEnv !== 'testing') return
      // While start plugins run, the Sandbox puts the functions' variables into process.env: the
      // project's (prefs.arc @env or .env), or those given to `sandbox.start({ env })`.
      const projectSecret = inventory.inv._project.env.local?.[arcEnv]?.['ARC_APP_SECRET']
      const given = process.env['ARC_APP_SECRET']
      const functionsHaveSecret = Boolean(projectSecret) || (Boolean(given) && given !== shellSecret)
      if (!functionsHaveSecret) console.warn(DEV_KEY_NOTICE)
    },
  },
  deploy: {
    /** @param {{ cloudformation: import('./table-names').Template }} params */
    async start({ cloudformation }) {
      return addTableNames(cloudformation)
    },
  },
}
