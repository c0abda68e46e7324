/**
 * The Sandbox's functions find the local sessions table in ARC_TABLE_NAMES, as deployed ones do,
 * instead of asking the Sandbox's service discovery on every request (the Sandbox starts a process
 * per request): the session core's plugin gives the variable through set.env, to the `testing`
 * environment only (docs/development.md, "Session settings in the Sandbox").
 */
import t from 'tap'
import path from 'node:path'

/* eslint-disable @typescript-eslint/no-require-imports -- the plugin is CommonJS, loaded as Architect loads it */
type Env = Record<string, Record<string, string> | null>
const { sandboxTableNames } = require('../../src/shared/session/arc/sandbox-table-names') as {
  sandboxTableNames: (arc: { app?: unknown[]; tables?: unknown[] } | undefined) => Record<string, string> | undefined
}
const plugin = require('../../src/shared/session/arc/plugin') as { set: { env: (params: unknown) => Record<string, Record<string, string>> } }
const inventory = require('@architect/inventory') as (options: { cwd: string }) => Promise<{ inv: { _project: { env: { plugins: Env; local: Env } } } }>
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, '..', '..')

t.test("this app under Architect: the Sandbox's testing environment carries the local table names, staging and production nothing", async (t) => {
  const { inv } = await inventory({ cwd: ROOT })
  t.strictSame(inv._project.env.plugins, { testing: { ARC_TABLE_NAMES: '{"sessions":"arc-sessions-ts-staging-sessions"}' }, staging: null, production: null })
  t.equal(inv._project.env.local['testing']?.['ARC_TABLE_NAMES'], '{"sessions":"arc-sessions-ts-staging-sessions"}', 'what the Sandbox gives its functions')
})

t.test("the names follow the Sandbox's rule, <app>-staging-<table>, for every table in app.arc", async (t) => {
  t.strictSame(sandboxTableNames({ app: ['my-app'], tables: [{ sessions: { _idx: '*String' } }, 'notes', { things: {} }] }), {
    sessions: 'my-app-staging-sessions',
    notes: 'my-app-staging-notes',
    things: 'my-app-staging-things',
  })
  t.equal(sandboxTableNames({ app: ['my-app'], tables: [] }), undefined, 'no tables: no variable')
  t.equal(sandboxTableNames({ app: ['my-app'] }), undefined, 'no @tables: no variable')
  t.equal(sandboxTableNames({ tables: ['sessions'] }), undefined, 'no app name: no variable')
  t.equal(sandboxTableNames(undefined), undefined)
})

t.test("a project that sets ARC_TABLE_NAMES in its own @env testing keeps its value: the plugin adds nothing", async (t) => {
  const params = (testing: Record<string, string> | null) => ({
    arc: { app: ['my-app'], tables: ['sessions'] },
    inventory: { inv: { _project: { preferences: {}, env: { local: { testing } } } } },
  })
  t.strictSame(plugin.set.env(params({ ARC_TABLE_NAMES: '{"sessions":"mine"}' })), { testing: {} })
  t.strictSame(plugin.set.env(params(null)), { testing: { ARC_TABLE_NAMES: '{"sessions":"my-app-staging-sessions"}' } })
})
