// The Sandbox's notice about the functions' secrets, judged by the core's own secret rule
// (../core/secrets.ts), given once per `npm start` by the app's plugin (./plugin.js): under the
// Sandbox every request is a new process, and the core stays quiet there (../core/config.ts).
const path = require('node:path')


/**
 * The rule, bundled from its TypeScript source with the esbuild the project builds with.
 * @returns {typeof import('../core/secrets')}
 */
function loadSecretRule() {
  const { buildSync } = require('esbuild')
  const { outputFiles } = buildSync({
    entryPoints: [path.join(path.dirname(require.resolve('./secret-notice')), '..', 'core', 'secrets.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
  })
  const rule = { exports: /** @type {typeof import('../core/secrets')} */ ({}) }
  // write: false with one entry point: one output file.
  new Function('module', 'exports', 'require', /** @type {import('esbuild').OutputFile} */ (outputFiles[0]).text)(rule, rule.exports, require)
  return rule.exports
}

/**
 * The notice for the functions' variables `env` (ARC_ENV=testing), at most one: which secrets would
 * be refused when deployed, and why. Never a secret itself.
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
function secretNotices(env) {
  const secret = env['ARC_APP_SECRET']
  // No secret at all: the development-key notice (./notices.js) says so.
  if (!secret) return []
  const { judgeSecret } = loadSecretRule()
  const table = env['ARC_SESSION_TABLE_NAME'] || env['SESSION_TABLE_NAME'] || 'jwe'
  // ARC_APP_SECRET_ALGO is not checked here: the cast takes it as one of the algorithms.
  const use = /** @type {import('../core/secrets').KeyUse} */ (
    table !== 'jwe' ? { kind: 'signing' } : env['ARC_FORCE_LEGACY_JWE_SECRET'] ? { kind: 'legacy-jwe' } : { kind: 'jwe', enc: env['ARC_APP_SECRET_ALGO'] || 'A256GCM' }
  )
  const context = { appName: env['ARC_APP_NAME'] }
  /** @type {[string, string][]} */
  const secrets = [['ARC_APP_SECRET', secret]]
  for (const [i, previous] of (env['ARC_APP_SECRET_PREVIOUS'] || '').split(',').map((s) => s.trim()).filter(Boolean).entries()) {
    secrets.push([`ARC_APP_SECRET_PREVIOUS (its secret number ${i + 1})`, previous])
  }
  /** @type {string[]} */
  const weak = []
  for (const [name, value] of secrets) {
    const verdict = judgeSecret(value, use, context)
    if (!verdict.strong) weak.push(`${name} ${verdict.why}`)
  }
  if (weak.length === 0) return []
  return [
    `[session] a weak secret is allowed under the Sandbox only, and refused when deployed: ${weak.join('; ')}. Make a real one with \`openssl rand -base64 32\``,
  ]
}

module.exports = { secretNotices }
