// The two handlers the Sandbox's builds (./sandbox-builds.js) put where a bundle is not, as source
// text: written into .build by the Sandbox only, never part of a deployed function.

/** The first line of the waiting handler, by which it knows it has been replaced. */
const WAITING_MARK = '// sandbox: the first build of this function is not written yet'

/**
 * A request that comes before the first build is held until the bundle replaces this file (in one
 * rename), and then answered by it. The Sandbox ends the function at its timeout, as for any function.
 */
function waitingHandler() {
  return `${WAITING_MARK}
"use strict"
const { readFileSync } = require('node:fs')
const replaced = () => { try { return !readFileSync(__filename, 'utf8').startsWith(${JSON.stringify(WAITING_MARK)}) } catch { return false } }
exports.handler = async function waitForTheBuild(event, context) {
  while (!replaced()) await new Promise((resolve) => setTimeout(resolve, 50))
  // This folder was swapped for the built one: start from the new one.
  process.chdir(__dirname)
  delete require.cache[__filename]
  return require(__filename).handler(event, context)
}
`
}

/**
 * HTML escaping for the five characters that matter in text (the esbuild message holds code).
 * @param {unknown} text
 */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * The page a function answers while its build is broken: esbuild's message, as the terminal shows
 * it. The Sandbox adds its live-reload script to it, so the page goes once the next build is written.
 * @param {string} functionName
 * @param {string} message
 */
function buildErrorPage(functionName, message) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · ${escapeHtml(functionName)}</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 2rem auto; width: min(100% - 2rem, 60rem); }
pre { padding: 1rem; overflow-x: auto; border: 1px solid currentColor; border-radius: 0.5rem; }
</style>
</head>
<body>
<main>
<h1>Build failed</h1>
<p><code>${escapeHtml(functionName)}</code> did not build, so the Sandbox has nothing to run. esbuild says:</p>
<pre>${escapeHtml(message)}</pre>
<p>Fix the file and save it: this page reloads once the build is written.</p>
</main>
</body>
</html>
`
}

/**
 * A handler that answers every request with the build error page (Sandbox only).
 * @param {string} functionName
 * @param {string} message
 */
function buildErrorHandler(functionName, message) {
  const response = {
    statusCode: 500,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: buildErrorPage(functionName, message),
  }
  return `// sandbox: this function did not build; the page below says why
"use strict"
const response = ${JSON.stringify(response)}
exports.handler = async function buildFailed() {
  return response
}
`
}

module.exports = { buildErrorHandler, buildErrorPage, waitingHandler }
