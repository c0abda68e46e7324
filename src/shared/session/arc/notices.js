// What the Sandbox says about sessions when it starts (docs/development.md, "Session settings in the
// Sandbox"): one line with the mode, the table, the lifetime and the secret, each with where it came
// from, then one notice per mistake that would otherwise change the session mode or settings without
// a word. Pure: ./sandbox-start.js gathers what it reads. Never a secret's value.
const { SESSION_VARIABLES, meantVariable } = require('./session-variables')

const DEFAULT_TTL_SECONDS = 604_800 // ../core/lifetime.ts
const SECRETS = new Set(['ARC_APP_SECRET', 'ARC_APP_SECRET_PREVIOUS'])

/**
 * @typedef {object} SessionSetup
 * @property {string} environment  the ARC_ENV the Sandbox runs as
 * @property {string} projectFile  where the project's `@env` is (prefs.arc, or .env)
 * @property {Record<string, string | undefined>} shell  the shell's variables
 * @property {Record<string, string>} project  the project's `@env` block for `environment`, as Architect read it
 * @property {Record<string, string>} passed  shell variables handed to the functions (./shell-env.js)
 * @property {Record<string, string | undefined>} functions  what the functions get, for the session variables
 * @property {{ name: string, where: string }[]} names  every variable name the project and the shell set
 * @property {{ line: number | undefined, names: string[] }} cutOff  names a comment pushed out of the @env block
 */

/**
 * Where the functions' value of `name` came from.
 * @param {SessionSetup} setup
 * @param {string} name
 */
function sourceOf(setup, name) {
  const value = setup.functions[name]
  if (value === undefined) return undefined
  if (setup.project[name] !== undefined && String(setup.project[name]) === value) return setup.projectFile
  if (setup.passed[name] === value || setup.shell[name] === value) return 'shell'
  if (name === 'ARC_SESSION_TABLE_NAME' && value === 'jwe') return 'default'
  return 'sandbox.start env'
}

/**
 * The first of `names` the functions get, with its value and source.
 * @param {SessionSetup} setup
 * @param {string[]} names
 */
function setting(setup, names) {
  for (const name of names) {
    const value = setup.functions[name]
    if (value !== undefined && value !== '') return { name, value, source: sourceOf(setup, name) }
  }
  return undefined
}

/** @param {number} seconds */
function duration(seconds) {
  for (const [unit, size] of /** @type {[string, number][]} */ ([['day', 86_400], ['hour', 3_600], ['minute', 60]])) {
    if (seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? '' : 's'}`
  }
  return `${seconds} s`
}

/**
 * The start line. The mode follows ../core/config.ts: `jwe` in either name, else the table named.
 * @param {SessionSetup} setup
 */
function startLine(setup) {
  const table = setting(setup, ['ARC_SESSION_TABLE_NAME', 'SESSION_TABLE_NAME'])
  const jwe = !table || setup.functions['ARC_SESSION_TABLE_NAME'] === 'jwe' || setup.functions['SESSION_TABLE_NAME'] === 'jwe'
  const mode = jwe
    ? `encrypted cookies (jwe, ${table?.value === 'jwe' ? table.source : 'default'})`
    : `DynamoDB, table ${table.value} (${table.source})`
  const ttl = setting(setup, ['ARC_SESSION_TTL', 'SESSION_TTL'])
  const lifetime = ttl && /^\d+$/.test(ttl.value) ? `${duration(Number(ttl.value))} unused (${ttl.source})` : `${duration(DEFAULT_TTL_SECONDS)} unused (default)`
  const secret = setting(setup, ['ARC_APP_SECRET'])
  const key = secret ? `ARC_APP_SECRET (${secret.source})` : setup.environment === 'testing' ? 'the development key (default)' : 'none: ARC_APP_SECRET is not set'
  return `[session] sessions: ${mode} · lifetime: ${lifetime} · key: ${key} · ARC_ENV=${setup.environment}`
}

/**
 * @param {string} name
 * @param {string} value
 */
function shown(name, value) {
  return SECRETS.has(name) ? name : `${name}=${value}`
}

/**
 * One line per mistake, in a fixed order.
 * @param {SessionSetup} setup
 */
function sessionNotices(setup) {
  /** @type {string[]} */
  const notices = []
  const { environment, projectFile } = setup
  const block = `${projectFile}'s @env ${environment}`

  for (const name of SESSION_VARIABLES) {
    const shell = setup.shell[name]
    if (shell === undefined || shell === '') continue
    const project = setup.project[name]
    if (project !== undefined && String(project) !== shell) {
      notices.push(`[session] ${shown(name, shell)} in the shell is not used: ${block} sets ${shown(name, project)}, and the project's wins; change it there, or remove it there to use the shell's`)
    } else if (project === undefined && setup.functions[name] !== shell) {
      notices.push(`[session] ${name} is set in the shell, but the functions do not get it: put it in ${block}`)
    }
  }

  /** @type {Set<string>} */
  const misspelled = new Set()
  for (const { name, where } of setup.names) {
    const meant = meantVariable(name)
    if (meant && !misspelled.has(`${name} ${where}`)) {
      misspelled.add(`${name} ${where}`)
      notices.push(`[session] ${name} (${where}) is not a session setting, so it changes nothing: did you mean ${meant}?`)
    }
  }

  if (setup.cutOff.names.length > 0) {
    const at = setup.cutOff.line === undefined ? '' : ` (line ${setup.cutOff.line})`
    notices.push(
      `[session] a comment inside ${projectFile}'s @env block${at} ends the block, so ${setup.cutOff.names.join(', ')} after it belong to no environment and are not set; move the comment above @env`,
    )
  }

  if (environment !== 'testing') {
    notices.push(
      `[session] the Sandbox runs as ARC_ENV=${environment}: sessions are checked as when deployed (no development key; a strong ARC_APP_SECRET), from ${block} or the shell; \`npx arc env\` sets the deployed app's variables, not the Sandbox's`,
    )
  } else if (!setting(setup, ['ARC_APP_SECRET'])) {
    notices.push(
      `[session] ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing (set one in ${block}, or in the shell, to try a real secret)`,
    )
  }
  return notices
}

module.exports = { sessionNotices, startLine }
