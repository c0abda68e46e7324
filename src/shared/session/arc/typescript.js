// @architect/plugin-typescript, with Sandbox builds that never leave a function without a handler
// and live reload that waits for them (app.arc: @plugins typescript; docs/development.md, "Live reload").
//
// Everything but the Sandbox is plugin-typescript's own: the `typescript` runtime, `arc create`'s
// handlers, and the deploy build. Under the Sandbox, its start and watcher hooks are replaced by
// ./sandbox-builds.js (the same build, swapped in whole) and ./live-reload.js (the reload after it).
// List this plugin first in app.arc: its watcher must start its build before any other plugin waits.
const typescript = require('@architect/plugin-typescript')
const { buildLambdas, lambdasToRebuild, typescriptLambdas, writeWaitingHandlers } = require('./sandbox-builds')
const { liveReloadGate } = require('./live-reload')

const gate = liveReloadGate()

module.exports = {
  ...typescript,
  sandbox: {
    /** @param {{ inventory: import('./sandbox-builds').Inventory }} params */
    async start({ inventory }) {
      // First and synchronously: the Sandbox already serves requests, and has said it is ready.
      writeWaitingHandlers(inventory)
      gate.attach(inventory.inv._project.cwd)
      const built = gate.building()
      try {
        await buildLambdas(inventory, typescriptLambdas(inventory))
      } finally {
        built()
      }
    },
    /** @param {{ filename: string, inventory: import('./sandbox-builds').Inventory }} params */
    async watcher({ filename, inventory }) {
      const lambdas = lambdasToRebuild(inventory, filename)
      if (lambdas.length === 0) return
      const built = gate.building()
      try {
        await buildLambdas(inventory, lambdas)
      } finally {
        built()
      }
    },
  },
}
