// The app's own Architect plugin (app.arc: @plugins sessions).
//
// sandbox.start: the Sandbox runs every request in a new process, so a notice the session core
// gave once per process would print on every request. What is worth saying about the local
// configuration is said here instead, once per `npm start`, and the core stays quiet under the
// Sandbox (src/shared/session/config.ts).
//
// deploy.start: every function gets the physical names of the app's tables (./table-names.js).
const { addTableNames } = require('./table-names')

const DEV_KEY_NOTICE =
  '[session] ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing (set one in prefs.arc @env to try a real secret)'

module.exports = {
  sandbox: {
    async start({ inventory }) {
      // The variables the Sandbox gives functions: prefs.arc's (or .env's) block for this ARC_ENV.
      const arcEnv = process.env.ARC_ENV || 'testing'
      const env = inventory.inv._project.env.local?.[arcEnv] ?? {}
      if (arcEnv === 'testing' && !env.ARC_APP_SECRET) console.warn(DEV_KEY_NOTICE)
    },
  },
  deploy: {
    async start({ cloudformation }) {
      return addTableNames(cloudformation)
    },
  },
}
