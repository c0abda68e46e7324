// The app's own Architect plugin (app.arc: @plugins sessions).
//
// sandbox.start: the Sandbox runs every request in a new process, so a notice the session core
// gave once per process would print on every request. What is worth saying about the local
// configuration (the development key, a secret that would be refused when deployed) is said here
// instead, once per start, and the core stays quiet under the Sandbox (../core/config.ts).
//
// deploy.start: every function gets the physical names of the app's tables (./table-names.js).
const { addTableNames } = require('./table-names')
const { secretNotices } = require('./secret-notice')

// The Sandbox's own environment, as it was when Architect loaded this plugin: functions do not get
// it (a secret exported in the shell is not a secret the app uses).
const shellSecret = process.env.ARC_APP_SECRET

module.exports = {
  sandbox: {
    async start({ inventory }) {
      const arcEnv = process.env.ARC_ENV || 'testing'
      if (arcEnv !== 'testing') return
      // While start plugins run, the Sandbox puts the functions' variables into process.env: the
      // project's (prefs.arc @env or .env), or those given to `sandbox.start({ env })`.
      const projectSecret = inventory.inv._project.env.local?.[arcEnv]?.ARC_APP_SECRET
      const given = process.env.ARC_APP_SECRET
      const secret = projectSecret || (given && given !== shellSecret ? given : undefined)
      for (const notice of secretNotices({ ...process.env, ARC_APP_SECRET: secret })) console.warn(notice)
    },
  },
  deploy: {
    async start({ cloudformation }) {
      return addTableNames(cloudformation)
    },
  },
}
