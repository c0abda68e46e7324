// set.env for the session core's Architect plugin (./plugin.js): the Sandbox's functions learn the
// names of the app's local tables from their environment, ARC_TABLE_NAMES, as deployed functions do
// (./table-names.js). The Sandbox starts a process for every request, and without the variable each
// one in DynamoDB mode would first ask the Sandbox's service discovery for the table, one more local
// HTTP round trip per request (bench/history.md measures it). The names are the Sandbox's own rule
// for its local tables (`<app>-staging-<table>`, whatever the environment) and the variable is given
// to the `testing` environment only, the one the Sandbox runs as: staging and production never see it.

/**
 * The parts of the parsed app.arc read here: `@app` and `@tables`, each entry a name or `{ name: settings }`.
 * @typedef {{ app?: unknown[], tables?: unknown[] }} ParsedArc
 */

/**
 * `{ logical name: the Sandbox's physical name }` for every table in app.arc; undefined without any.
 * @param {ParsedArc | undefined} arc
 * @returns {Record<string, string> | undefined}
 */
function sandboxTableNames(arc) {
  const app = arc?.app?.[0]
  const entries = arc?.tables ?? []
  if (typeof app !== 'string' || entries.length === 0) return undefined
  /** @type {Record<string, string>} */
  const names = {}
  for (const entry of entries) {
    const name = typeof entry === 'string' ? entry : entry !== null && typeof entry === 'object' ? Object.keys(entry)[0] : undefined
    if (name !== undefined) names[name] = `${app}-staging-${name}`
  }
  return names
}

module.exports = { sandboxTableNames }
