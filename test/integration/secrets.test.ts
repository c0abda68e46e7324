/**
 * Secrets through the real Sandbox (docs/guarantees.md#g-no-default-key, docs/security.md): run as a deployed stage
 * (ARC_ENV=staging) with no secret, a short one or a weak one, every route in app.arc fails closed with a 500 page and
 * the handler logs one line naming the variable and the fix, and never the secret or a cookie.
 * The handlers' console output is captured from the Sandbox, which pipes it into this process.
 */
import t from 'tap'
import { appRoutes } from '../helpers/app-routes'
import { request } from '../helpers/http-client'
import { captureOutput } from '../helpers/output'
import { startSandbox } from '../helpers/sandbox'

const COOKIE = '_idx=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.c2VjcmV0LWNvb2tpZS12YWx1ZQ.AAAAAAAAAAAAAAAAAAAAAA'

const SCENARIOS: Record<string, { env: Record<string, string>; line: RegExp; secret?: string }> = {
  'no secret': {
    env: { ARC_SESSION_TABLE_NAME: 'jwe' },
    // Under the Sandbox the fix names prefs.arc and the shell too: `arc env` configures the deployed app only.
    line: /^\[session\] configuration error: ARC_APP_SECRET: is not set and ARC_ENV is 'staging'; set a strong secret with `npx arc env -e <staging\|production> -a ARC_APP_SECRET "\$\(openssl rand -base64 32\)"` when deployed; under the Sandbox \(ARC_ENV=staging\) put it in prefs\.arc's @env staging block, or export it in the shell$/,
  },
  'a short secret': {
    env: { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'sandbox-short-secret' },
    line: /^\[session\] configuration error: ARC_APP_SECRET: is 20 characters; A256GCM needs at least 32; set a strong secret with `npx arc env/,
    secret: 'sandbox-short-secret',
  },
  'a long but hand-written secret': {
    env: { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'our-staging-secret-for-the-counter-app' },
    line: /^\[session\] configuration error: ARC_APP_SECRET: contains the word 'secret': it was written by hand, not generated; outside the Sandbox a secret must be generated; set a strong secret with `npx arc env/,
    secret: 'our-staging-secret-for-the-counter-app',
  },
}

t.test('outside testing, a missing or short secret fails closed with one clear log line', async (t) => {
  // Sandbox gives handlers the ARC_ENV of its own process (staging or production are kept).
  const arcEnv = process.env['ARC_ENV']
  process.env['ARC_ENV'] = 'staging'
  t.teardown(() => {
    if (arcEnv === undefined) delete process.env['ARC_ENV']
    else process.env['ARC_ENV'] = arcEnv
  })

  const routes = await appRoutes()
  for (const [name, { env, line, secret }] of Object.entries(SCENARIOS)) {
    await t.test(name, async (t) => {
      const { url } = await startSandbox(t, env)
      const output = captureOutput(t)
      for (const { method, path } of routes) {
        const before = output.sessionLines().length
        const response = await request(method, `${url}${path}`, { headers: { cookie: COOKIE } })
        t.equal(response.status, 500, `${method} ${path} fails closed`)
        t.match(response.body, /<h1>Not configured<\/h1>/)
        t.equal(response.headers['set-cookie'], undefined, `${method} ${path}: no session read or written`)
        const lines = output.sessionLines().slice(before)
        // Sandbox starts a new process per request, so each request is a cold start: one line each
        // (a warm Lambda logs it once). Lambda pipes are written synchronously, before the answer.
        t.equal(lines.length, 1, `${method} ${path}: one log line`)
        t.match(lines[0], line)
      }
      const text = output.text()
      if (secret) t.notOk(text.includes(secret), 'the secret is not in the output')
      t.notOk(text.includes('c2VjcmV0LWNvb2tpZS12YWx1ZQ'), 'the cookie is not in the output')
    })
  }
})

t.test('under the Sandbox (ARC_ENV=testing), a weak secret works, with one notice at start and none per request', async (t) => {
  const weak = 'sandbox-weak-secret-0123456789abcdefgh'
  const output = captureOutput(t)
  const { url } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: weak })
  for (const { method, path } of await appRoutes()) {
    const response = await request(method, `${url}${path}`)
    t.ok(response.status === 200 || response.status === 303, `${method} ${path} works`)
  }
  t.strictSame(output.sessionLines(), [
    "[session] a weak secret is allowed under the Sandbox only, and refused when deployed: ARC_APP_SECRET contains the word 'secret': it was written by hand, not generated. Make a real one with `openssl rand -base64 32`",
  ])
  t.notOk(output.text().includes(weak), 'the secret is not in the output')
})
