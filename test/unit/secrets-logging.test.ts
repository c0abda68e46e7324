/**
 * Secrets (docs/guarantees.md#g-no-default-key, docs/security.md): outside testing, a missing or short secret fails closed
 * in every handler with one log line that names the variable and the fix; no secret and no cookie
 * value is ever logged. Logs are captured from console, where Lambda's logging goes.
 */
import t, { type Test } from 'tap'
import { loadConfig, resetConfig } from '../../src/shared/session/testing'
import { writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { appHandlers } from '../helpers/app-routes'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { apiGatewayEvent, captureConsole, sessionSetCookie } from '../helpers/lambda-event'
import { generatedSecret } from '../helpers/secrets'

/** Every route in app.arc, with its handler. */
const handlers = appHandlers()

// A cookie that would be a live session under a development key: it must be neither used nor logged.
const devCookie = writeJweSession({ count: 5 }, loadConfig({ ARC_ENV: 'testing' }).jweKeys[0]!, Date.now())

/** Every handler, twice, under `env`: the responses and every console line they caused. */
async function runAll(t: Test, env: Record<string, string | undefined>) {
  const logs = captureConsole(t)
  const results = await withEnv({ ...CLEAN_SESSION_ENV, ...env }, async () => {
    resetConfig()
    const results = []
    for (let round = 0; round < 2; round++) {
      for (const { name, handler, method, path } of await handlers) {
        results.push({ name, result: await handler(apiGatewayEvent({ method, path, headers: { cookie: `_idx=${devCookie}` } })) })
      }
    }
    return results
  })
  logs.restore()
  return { results, lines: logs.lines }
}

function failsClosed(t: Test, results: Awaited<ReturnType<typeof runAll>>['results']) {
  for (const { name, result } of results) {
    t.equal(result.statusCode, 500, `${name} fails closed`)
    t.match(result.body, /not configured/i)
    t.equal(sessionSetCookie(result), undefined, `${name}: no session read or written`)
  }
}

function neverLeaks(t: Test, lines: readonly string[], secrets: readonly string[]) {
  for (const line of lines) {
    for (const secret of secrets) t.notOk(line.includes(secret), 'no secret in the log')
    t.notOk(line.includes(devCookie) || line.includes(devCookie.slice(-22)), 'no cookie value in the log')
  }
}

t.test('no secret in staging: every handler fails closed, one line for the process', async (t) => {
  const { results, lines } = await runAll(t, { ARC_ENV: 'staging' })
  failsClosed(t, results)
  t.equal(lines.length, 1)
  t.match(lines[0], /^\[session\] configuration error: ARC_APP_SECRET: is not set and ARC_ENV is 'staging'; set a strong secret with `npx arc env -e <staging\|production> -a ARC_APP_SECRET/)
  neverLeaks(t, lines, [])
})

t.test('a short secret in production: fails closed, one line, the value never logged', async (t) => {
  const short = 'short-production-secret-value'
  const { results, lines } = await runAll(t, { ARC_ENV: 'production', ARC_APP_SECRET: short })
  failsClosed(t, results)
  t.equal(lines.length, 1)
  t.match(lines[0], new RegExp(`^\\[session\\] configuration error: ARC_APP_SECRET: is ${short.length} characters; A256GCM needs at least 32; set a strong secret`))
  neverLeaks(t, lines, [short])
})

t.test('a weak secret in production: fails closed, one line naming the variable and the command, the value never logged', async (t) => {
  const weak = 'my-production-secret-for-the-app-2026'
  const { results, lines } = await runAll(t, { ARC_ENV: 'production', ARC_APP_SECRET: weak })
  failsClosed(t, results)
  t.strictSame(lines, [
    "[session] configuration error: ARC_APP_SECRET: contains the word 'secret': it was written by hand, not generated; outside the Sandbox a secret must be generated; set a strong secret with `npx arc env -e <staging|production> -a ARC_APP_SECRET \"$(openssl rand -base64 32)\"`",
  ])
  neverLeaks(t, lines, [weak])
})

t.test('a previous secret too short for a JWE key, in JWE mode: names ARC_APP_SECRET_PREVIOUS, logs neither value', async (t) => {
  const current = generatedSecret()
  const previous = 'old-and-short'
  const { results, lines } = await runAll(t, { ARC_ENV: 'production', ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: previous })
  failsClosed(t, results)
  t.equal(lines.length, 1)
  t.match(lines[0], /configuration error: ARC_APP_SECRET_PREVIOUS \(its 1st secret\): is 13 characters; A256GCM needs at least 32; no key is made from it/)
  neverLeaks(t, lines, [current, previous])
})

t.test('testing without a secret: works, warns once, never shows the development key', async (t) => {
  const { results, lines } = await runAll(t, { ARC_ENV: 'testing' })
  for (const { name, result } of results) t.ok(result.statusCode === 200 || result.statusCode === 303, `${name} works under testing`)
  t.equal(lines.length, 1)
  t.match(lines[0], /^\[session\] ARC_APP_SECRET is not set: sessions use the public development key/)
  neverLeaks(t, lines, ['12345678901234567890123456789012'])
})

t.test('a good configuration logs nothing for valid, forged or garbage cookies', async (t) => {
  const secret = generatedSecret()
  const logs = captureConsole(t)
  const cookies = [devCookie, writeJweSession({ count: 1 }, loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: secret }).jweKeys[0]!, Date.now()), 'garbage', '%E0%A4%A', '']
  await withEnv({ ...CLEAN_SESSION_ENV, ARC_ENV: 'production', ARC_APP_SECRET: secret }, async () => {
    resetConfig()
    for (const cookie of cookies) {
      for (const { handler, method, path } of await handlers) {
        const result = await handler(apiGatewayEvent({ method, path, headers: { cookie: `_idx=${cookie}` } }))
        t.ok(result.statusCode < 500)
      }
    }
  })
  logs.restore()
  t.strictSame(logs.lines, [])
})
