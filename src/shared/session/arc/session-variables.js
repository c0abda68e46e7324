// The variables the session core reads (../core/config.ts; docs/sessions.md lists them), and the
// names that look like one of them but are not: a misspelled name is no setting at all, and the
// session quietly falls back to its default (a misspelled table name gives encrypted-cookie sessions).

/** Every name ../core/config.ts reads (test/unit/sandbox-notices.test.ts keeps the two in step). */
const SESSION_VARIABLES = [
  'ARC_APP_SECRET',
  'ARC_APP_SECRET_ALGO',
  'ARC_APP_SECRET_PREVIOUS',
  'ARC_FORCE_LEGACY_JWE_SECRET',
  'ARC_SESSION_ABSOLUTE_TTL',
  'ARC_SESSION_DOMAIN',
  'ARC_SESSION_SAME_SITE',
  'ARC_SESSION_TABLE_NAME',
  'ARC_SESSION_TTL',
  // Legacy names, still read, as @architect/functions does.
  'SESSION_DOMAIN',
  'SESSION_TABLE_NAME',
  'SESSION_TTL',
]

/** Names of the same families that mean something else: not settings of the core, not misspellings. */
const OTHER_KNOWN = ['ARC_APP_NAME', 'ARC_ENV', 'ARC_SANDBOX', 'ARC_TABLE_NAMES']

/**
 * Levenshtein distance, for names of a few dozen characters.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      // Indices 0 to b.length are always set: the casts only say so to noUncheckedIndexedAccess.
      current[j] = Math.min(/** @type {number} */ (previous[j]) + 1, /** @type {number} */ (current[j - 1]) + 1, /** @type {number} */ (previous[j - 1]) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return /** @type {number} */ (previous[b.length])
}

/**
 * The session variable `name` was probably meant to be, or undefined. A name is suspect when it is
 * within two edits of a known one (ARC_SESION_TABLE_NAME, arc_session_ttl) or the start of one, or has
 * a session prefix (ARC_SESSION_*, ARC_APP_SECRET*) without being known; the suggestion is the closest.
 * @param {string} name
 * @returns {string | undefined}
 */
function meantVariable(name) {
  if (SESSION_VARIABLES.includes(name) || OTHER_KNOWN.includes(name)) return undefined
  const upper = name.toUpperCase()
  // A name cut short (ARC_SESSION_TABLE) is nearest the one it begins.
  // SESSION_VARIABLES is never empty: there is always a closest.
  const [closest, distance] = /** @type {[string, number]} */ (
    SESSION_VARIABLES.map((known) => /** @type {[string, number]} */ ([known, known.startsWith(upper) ? 0 : editDistance(upper, known)])).sort((x, y) => x[1] - y[1])[0]
  )
  const prefixed = name.startsWith('ARC_SESSION_') || name.startsWith('ARC_APP_SECRET')
  if (distance <= 2 || prefixed) return closest
  return undefined
}

module.exports = { SESSION_VARIABLES, editDistance, meantVariable }
