/**
 * What the Sandbox says about sessions at start (src/shared/session/arc/notices.js and its inputs,
 * docs/development.md "Session settings in the Sandbox"): the start line names the mode, the table,
 * the lifetime and the key with where each came from; each mistake gets one notice; secrets are
 * never printed; the shell's session variables reach the functions unless the project sets them.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/shared/session/testing'
import { PROJECT_ROOT } from '../helpers/sandbox'

type Vars = Record<string, string | undefined>
interface Setup {
  environment: string
  projectFile: string
  shell: Vars
  project: Record<string, string>
  passed: Record<string, string>
  functions: Vars
  names: { name: string; where: string }[]
  cutOff: { line: number | undefined; names: string[] }
}
/* eslint-disable @typescript-eslint/no-require-imports -- the plugin's modules are CommonJS JavaScript, as Architect loads them */
const { sessionNotices, startLine } = require('../../src/shared/session/arc/notices') as {
  sessionNotices: (setup: Setup) => string[]
  startLine: (setup: Setup) => string
}
const { sessionSetup } = require('../../src/shared/session/arc/sandbox-start') as {
  sessionSetup: (inventory: unknown, shell: Vars, running: Vars) => Setup
}
const { setShellEnv } = require('../../src/shared/session/arc/shell-env') as {
  setShellEnv: (params: { inventory: unknown }, shell: Vars) => Record<string, Record<string, string>>
}
const { SESSION_VARIABLES, meantVariable } = require('../../src/shared/session/arc/session-variables') as {
  SESSION_VARIABLES: string[]
  meantVariable: (name: string) => string | undefined
}
const inventory_ = require('@architect/inventory') as (options: { cwd: string }, callback: (error: Error | null, result: unknown) => void) => void
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRET = 'a-shell-secret-that-must-not-be-printed-0123'
const PREFS_SECRET = 'a-prefs-secret-that-must-not-be-printed-4567'

/** The inventory's shape as the plugin reads it: the project's @env as Architect parsed it, and what set.env added. */
function inventory(prefsEnv: Record<string, unknown>, plugins: Record<string, Record<string, string>> | null = null, raw = '') {
  const local = JSON.parse(JSON.stringify(prefsEnv)) as Record<string, Record<string, string> | null>
  for (const [env, vars] of Object.entries(plugins ?? {})) local[env] = { ...local[env], ...vars }
  return {
    inv: {
      _project: {
        cwd: '/nonexistent/project',
        localPreferencesFile: '/nonexistent/project/prefs.arc',
        localPreferences: { env: prefsEnv, _raw: raw },
        preferences: {},
        env: { local, plugins },
      },
    },
  }
}

/** What the Sandbox does: the functions' variables (the project's block, ARC_SESSION_TABLE_NAME) over the shell. */
function running(shell: Vars, block: Record<string, unknown>): Vars {
  // Architect's parser gives numbers for numeric values; the functions' environment holds strings.
  const functions = Object.fromEntries(Object.entries(block).map(([name, value]) => [name, String(value)]))
  return { ...shell, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: shell['ARC_SESSION_TABLE_NAME'] ?? 'jwe', ...functions }
}

/** The plugin's whole path for one start: set.env, then the Sandbox's env, then what start reads. */
function startWith(shell: Vars, prefsEnv: Record<string, unknown>, raw = ''): { line: string; notices: string[] } {
  const passed = setShellEnv({ inventory: inventory(prefsEnv) }, shell)
  const inv = inventory(prefsEnv, passed, raw)
  const block = inv.inv._project.env.local['testing'] ?? {}
  const setup = sessionSetup(inv, shell, running(shell, block))
  return { line: startLine(setup), notices: sessionNotices(setup) }
}

const DEV_KEY = "[session] ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing (set one in prefs.arc's @env testing, or in the shell, to try a real secret)"

t.test('the start line: mode, table, lifetime and key, each with its source', async (t) => {
  t.strictSame(startWith({}, { testing: { ARC_SESSION_TABLE_NAME: 'sessions' } }), {
    line: '[session] sessions: DynamoDB, table sessions (prefs.arc) · lifetime: 7 days unused (default) · key: the development key (default) · ARC_ENV=testing',
    notices: [DEV_KEY],
  })
  t.strictSame(startWith({}, {}).line, '[session] sessions: encrypted cookies (jwe, default) · lifetime: 7 days unused (default) · key: the development key (default) · ARC_ENV=testing')
  t.strictSame(
    startWith({ ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET }, { testing: { ARC_SESSION_TTL: 3600 } }),
    { line: '[session] sessions: encrypted cookies (jwe, shell) · lifetime: 1 hour unused (prefs.arc) · key: ARC_APP_SECRET (shell) · ARC_ENV=testing', notices: [] },
  )
  t.strictSame(
    startWith({ ARC_SESSION_TTL: '90' }, { testing: { ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: PREFS_SECRET } }).line,
    '[session] sessions: DynamoDB, table sessions (prefs.arc) · lifetime: 90 s unused (shell) · key: ARC_APP_SECRET (prefs.arc) · ARC_ENV=testing',
  )
})

t.test("the shell's session variables reach the functions, unless the project sets them", async (t) => {
  const shell = { ARC_APP_SECRET: SECRET, ARC_SESSION_TTL: '3600', ARC_SESSION_TABLE_NAME: 'jwe', HOME: '/root' }
  t.strictSame(setShellEnv({ inventory: inventory({ testing: { ARC_SESSION_TABLE_NAME: 'sessions' } }) }, shell), {
    testing: { ARC_APP_SECRET: SECRET, ARC_SESSION_TTL: '3600' },
  })
  t.strictSame(setShellEnv({ inventory: inventory({}) }, {}), { testing: {} }, 'nothing to pass: still one key, as Architect requires')
  const staging = { ...inventory({}), inv: { _project: { ...inventory({}).inv._project, preferences: { sandbox: { env: 'staging' } } } } }
  t.strictSame(setShellEnv({ inventory: staging }, { ARC_SESSION_TTL: '60' }), { staging: { ARC_SESSION_TTL: '60' } }, 'for the environment the Sandbox runs as')
})

t.test('a shell variable that the project overrides: one notice, no secret printed', async (t) => {
  const { notices } = startWith({ ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET }, { testing: { ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: PREFS_SECRET } })
  t.strictSame(notices, [
    "[session] ARC_APP_SECRET in the shell is not used: prefs.arc's @env testing sets ARC_APP_SECRET, and the project's wins; change it there, or remove it there to use the shell's",
    "[session] ARC_SESSION_TABLE_NAME=jwe in the shell is not used: prefs.arc's @env testing sets ARC_SESSION_TABLE_NAME=sessions, and the project's wins; change it there, or remove it there to use the shell's",
  ])
})

t.test('a shell variable the functions do not get (sandbox.start with its own env): where to put it', async (t) => {
  const inv = inventory({ testing: {} })
  // `sandbox.start({ env })`: that env replaces the project's, and set.env's additions with it.
  const setup = sessionSetup(inv, { ARC_SESSION_TTL: '60' }, { ARC_SESSION_TTL: '60', ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe' })
  t.strictSame(sessionNotices(setup).slice(0, 1), ["[session] ARC_SESSION_TTL is set in the shell, but the functions do not get it: put it in prefs.arc's @env testing"])
  t.match(startLine(setup), /lifetime: 7 days unused \(default\)/)
})

t.test('a misspelled session variable, in prefs.arc or the shell: the name meant', async (t) => {
  t.strictSame(startWith({ ARC_SESION_TABLE_NAME: 'jwe' }, { testing: { ARC_SESSION_TTTL: '60', ARC_APP_SECRETS: PREFS_SECRET } }).notices.slice(0, 3), [
    '[session] ARC_SESION_TABLE_NAME (the shell) is not a session setting, so it changes nothing: did you mean ARC_SESSION_TABLE_NAME?',
    '[session] ARC_SESSION_TTTL (prefs.arc @env testing) is not a session setting, so it changes nothing: did you mean ARC_SESSION_TTL?',
    '[session] ARC_APP_SECRETS (prefs.arc @env testing) is not a session setting, so it changes nothing: did you mean ARC_APP_SECRET?',
  ])
  t.strictSame(
    ['ARC_SESSION_TABLE', 'arc_session_ttl', 'ARC_SESSION_FOO', 'SESION_TTL'].map((name) => meantVariable(name)),
    ['ARC_SESSION_TABLE_NAME', 'ARC_SESSION_TTL', 'ARC_SESSION_TTL', 'SESSION_TTL'],
  )
  // A desktop's or a shell's usual variables are not session settings gone wrong.
  const usual = ['SESSION_MANAGER', 'XDG_SESSION_TYPE', 'DBUS_SESSION_BUS_ADDRESS', 'ARC_ENV', 'ARC_APP_NAME', 'ARC_SANDBOX', 'HOME', 'PATH', 'SECRET']
  t.strictSame(usual.map((name) => meantVariable(name)), usual.map(() => undefined))
  t.strictSame(SESSION_VARIABLES.map((name) => meantVariable(name)), SESSION_VARIABLES.map(() => undefined), 'the known names themselves')
})

t.test('the known names are those the core reads', async (t) => {
  const config = readFileSync(path.join(PROJECT_ROOT, 'src', 'shared', 'session', 'core', 'config.ts'), 'utf8')
  // Every variable name in it, read directly (env['ARC_SESSION_TTL']) or chosen first ('SESSION_TTL').
  const names = [...config.matchAll(/'((?:ARC_)?[A-Z]+(?:_[A-Z]+)+)'/g)].map((m) => m[1]!)
  const read = [...new Set(names)].filter((name) => !['ARC_ENV', 'ARC_APP_NAME', 'ARC_SANDBOX'].includes(name))
  t.strictSame([...read].sort(), [...SESSION_VARIABLES].sort())
})

t.test("a comment inside the @env block, as Architect's parser reads it: what it cut off, and where", async (t) => {
  const project = t.testdir({
    'app.arc': '@app\ncomment-test\n@http\nget /\n',
    'prefs.arc': '@env\ntesting\n  ARC_SESSION_TABLE_NAME sessions\n  # the secret\n  ARC_APP_SECRET x\n  ARC_SESSION_TTL 100\n',
  })
  const inv = await new Promise<{ inv: { _project: { env: { local: Record<string, Record<string, string>> } } } }>((resolve, reject) =>
    inventory_({ cwd: project }, (error, result) => (error ? reject(error) : resolve(result as never))),
  )
  const block = inv.inv._project.env.local['testing'] ?? {}
  t.strictSame(block, { ARC_SESSION_TABLE_NAME: 'sessions' }, 'the parser kept only what came before the comment')
  const setup = sessionSetup(inv, {}, running({}, block))
  t.strictSame(sessionNotices(setup), [
    "[session] a comment inside prefs.arc's @env block (line 4) ends the block, so ARC_APP_SECRET, ARC_SESSION_TTL after it belong to no environment and are not set; move the comment above @env",
    DEV_KEY,
  ])
})

t.test('the Sandbox run as production: the notice does not send the user to `npx arc env` only', async (t) => {
  const inv = inventory({ production: { ARC_SESSION_TABLE_NAME: 'jwe' } })
  const setup = sessionSetup(inv, {}, { ARC_ENV: 'production', ARC_SESSION_TABLE_NAME: 'jwe' })
  t.strictSame(sessionNotices(setup), [
    "[session] the Sandbox runs as ARC_ENV=production: sessions are checked as when deployed (no development key; a strong ARC_APP_SECRET), from prefs.arc's @env production or the shell; `npx arc env` sets the deployed app's variables, not the Sandbox's",
  ])
  t.match(startLine(setup), /key: none: ARC_APP_SECRET is not set · ARC_ENV=production$/)
  // And the function's own configuration error says the same.
  t.throws(() => loadConfig({ ARC_ENV: 'production', ARC_SANDBOX: '{}' }), {
    message: /when deployed; under the Sandbox \(ARC_ENV=production\) put it in prefs\.arc's @env production block, or export it in the shell/,
  })
  t.throws(() => loadConfig({ ARC_ENV: 'production' }), { message: /ARC_APP_SECRET "\$\(openssl rand -base64 32\)"`$/ }, 'deployed: arc env only')
})

t.test('no notice ever holds a secret', async (t) => {
  const cases = [
    startWith({ ARC_APP_SECRET: SECRET, ARC_APP_SECRET_PREVIOUS: SECRET }, { testing: { ARC_APP_SECRET: PREFS_SECRET, ARC_APP_SECRET_PREVIOUS: PREFS_SECRET } }),
    startWith({ ARC_APP_SECRETT: SECRET }, { testing: { ARC_APP_SECRET: PREFS_SECRET } }),
  ]
  for (const { line, notices } of cases) {
    for (const text of [line, ...notices]) t.notMatch(text, /must-not-be-printed/, text)
  }
})
