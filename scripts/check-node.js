// Run first by `npm start` and `npm test` (package.json): on a Node.js that package.json's `engines`
// does not allow, one line that names the version needed, and exit code 1, instead of whatever the
// tools would do on it (the AWS SDK warns on every request, Architect crashes, tests fail with a
// diff). `npm install` is stopped earlier by npm itself: `.npmrc` sets `engine-strict`
// (docs/development.md, "Node.js versions").
//
// It runs before anything is installed and on any old Node, so it needs nothing from node_modules
// and uses no syntax newer than Node 12's.
'use strict'

const pkg = require('../package.json')

/**
 * The forms of `engines.node` this understands: clauses joined by `||`, each `^X.Y.Z` (that major,
 * at least that version) or `>=X[.Y[.Z]]`. Another form is refused, so that a change to
 * package.json cannot make this check wave everything through.
 * @typedef {{ caret: boolean, at: [number, number, number] }} Clause
 * @param {string} range
 * @returns {Clause[]}
 */
function parseRange(range) {
  return range.split('||').map((text) => {
    const match = /^\s*(\^|>=)(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(text)
    if (!match) throw new Error(`scripts/check-node.js cannot read "${range}" (package.json engines.node): use clauses like ^22.13.0 or >=24, joined by ||`)
    return { caret: match[1] === '^', at: [Number(match[2]), Number(match[3] || 0), Number(match[4] || 0)] }
  })
}

/** @param {string} version e.g. `20.20.2` @returns {[number, number, number]} */
function parseVersion(version) {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => parseInt(part, 10) || 0)
  return [major, minor, patch]
}

/** @param {[number, number, number]} a @param {[number, number, number]} b @returns {number} */
function compare(a, b) {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** @param {Clause} clause @returns {string} */
function describe(clause) {
  const [major, minor, patch] = clause.at
  const shown = patch ? `${major}.${minor}.${patch}` : minor ? `${major}.${minor}` : `${major}`
  return clause.caret ? `${shown} or a later ${major}.x` : `${shown} or newer`
}

/**
 * The one line to print when `version` is not allowed by `range`, or undefined when it is.
 * @param {string} version the running Node.js, as in process.versions.node
 * @param {string} range package.json's engines.node
 * @returns {string | undefined}
 */
function nodeVersionProblem(version, range) {
  const clauses = parseRange(range)
  const running = parseVersion(version)
  const allowed = clauses.some((clause) => compare(running, clause.at) >= 0 && (!clause.caret || running[0] === clause.at[0]))
  if (allowed) return undefined
  return `${pkg.name} needs Node.js ${clauses.map(describe).join(', or ')} (24 recommended, as .nvmrc says); this is Node.js ${version}. Install Node.js 24 (https://nodejs.org, or \`nvm install\` in this folder) and run the command again.`
}

if (require.main === module) {
  const problem = nodeVersionProblem(process.versions.node, pkg.engines.node)
  if (problem !== undefined) {
    console.error(problem)
    process.exit(1)
  }
}

module.exports = { nodeVersionProblem }
