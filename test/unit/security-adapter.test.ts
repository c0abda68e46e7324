/**
 * The adapter's security (docs/security.md): cross-site writes refused before the session is
 * read, through the app's real handlers; security headers on every response it makes.
 */
import t from 'tap'
import { http, type HandlerResponse } from '../../src/shared/session'
import { loadConfig, resetConfig, resetLogRates } from '../../src/shared/session/testing'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { SessionStoreUnavailableError } from '../../src/shared/session'
import { generatedSecret } from '../helpers/secrets'
import { handler as getIndex } from '../../src/http/get-index'
import { handler as postCount } from '../../src/http/post-count'
import { handler as postReset } from '../../src/http/post-reset'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { APP_ORIGIN, apiGatewayEvent, captureConsole, setCookieValue, type EventParts, sessionSetCookie } from '../helpers/lambda-event'

const SECRET = 'security-adapter-secret-0123456789abcdef'
const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const keys = loadConfig(ENV).jweKeys

function call(lambda: typeof postCount, parts: EventParts, env: Record<string, string | undefined> = ENV) {
  return withEnv(env, async () => {
    resetConfig()
    return lambda(apiGatewayEvent(parts))
  })
}

const cookieFor = (count: number) => `_idx=${writeJweSession({ count }, keys[0]!, Date.now())}`
function sessionIn(value: string | undefined) {
  const read = value ? readJweSession(value, keys, Date.now()) : undefined
  return read?.ok ? read.data : undefined
}
const countIn = (value: string | undefined) => sessionIn(value)?.['count']

/** Each refused form, and the header the refusal must name (Sec-Fetch-Site is asked first, then Origin, then Referer). */
const CROSS_SITE: [string, Record<string, string>, 'origin' | 'referer' | 'sec-fetch-site'][] = [
  ['Origin of another site', { origin: 'https://evil.example' }, 'origin'],
  ['Referer of another site', { referer: 'https://evil.example/attack.html' }, 'referer'],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, 'sec-fetch-site'],
  ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site', origin: 'https://other.execute-api.us-west-2.amazonaws.com' }, 'sec-fetch-site'],
  ['Origin: null', { origin: 'null' }, 'origin'],
]
const refusalLine = (header: string) =>
  `[session] refused a cross-site request: its ${header} header names another site. If your own pages are refused, a proxy may be changing Host: list the public origin in ARC_TRUSTED_ORIGINS`

t.test('a cross-site post is refused: 403, a short page, the session untouched, one log line a minute', async (t) => {
  for (const [name, headers, named] of CROSS_SITE) {
    for (const [route, lambda] of [['/count', postCount], ['/reset', postReset]] as const) {
      // Each case as the first refusal of a fresh process: one line; the bound is tested below.
      resetLogRates()
      const logs = captureConsole(t)
      const result = await call(lambda, { method: 'POST', path: route, headers: { ...headers, cookie: cookieFor(7) } })
      logs.restore()
      t.equal(result.statusCode, 403, `${name} → POST ${route}`)
      t.match(result.body, /<h1>Refused<\/h1>/)
      t.ok(result.body.length < 1000, "a short page: the app's error page, nothing of the request")
      t.equal(sessionSetCookie(result), undefined, 'no Set-Cookie: the session is as it was')
      t.equal(result.headers['cache-control'], 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0')
      t.strictSame(logs.lines, [refusalLine(named)], `one line naming the ${named} header, never its value`)
    }
  }
})

t.test('the refused handler never runs', async (t) => {
  let ran = 0
  const lambda = http(async (): Promise<HandlerResponse> => (ran++, { session: { count: 1 }, location: '/' }))
  const refused = await call(lambda, { method: 'POST', headers: { origin: 'https://evil.example' } })
  t.equal(refused.statusCode, 403)
  t.equal(ran, 0)
  const allowed = await call(lambda, { method: 'POST', headers: { origin: APP_ORIGIN } })
  t.equal(allowed.statusCode, 303)
  t.equal(ran, 1)
})

t.test('same-origin posts and header-less clients keep working', async (t) => {
  const ok: Record<string, Record<string, string>> = {
    'a browser form on our page': { origin: APP_ORIGIN, 'sec-fetch-site': 'same-origin', referer: `${APP_ORIGIN}/` },
    'an older browser: Referer only': { referer: `${APP_ORIGIN}/` },
    'curl: none of the headers': {},
  }
  for (const [name, headers] of Object.entries(ok)) {
    const counted = await call(postCount, { method: 'POST', path: '/count', headers: { ...headers, cookie: cookieFor(7) } })
    t.equal(counted.statusCode, 303, name)
    t.equal(countIn(setCookieValue(counted)), 8, `${name}: counted once`)
    const reset = await call(postReset, { method: 'POST', path: '/reset', headers: { ...headers, cookie: cookieFor(7) } })
    t.equal(reset.statusCode, 303, name)
    t.strictSame(sessionIn(setCookieValue(reset)), { notice: 'reset' }, `${name}: reset starts a new session holding only the notice`)
  }
})

t.test('GET is never refused: it changes nothing', async (t) => {
  const page = await call(getIndex, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', cookie: cookieFor(4) } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /id="count">4</)
})

t.test('allowCrossSite opts a handler out, for endpoints other sites must post to', async (t) => {
  const lambda = http(async () => ({ json: { ok: true } }), { allowCrossSite: true })
  const result = await call(lambda, { method: 'POST', headers: { origin: 'https://partner.example', 'sec-fetch-site': 'cross-site' } })
  t.equal(result.statusCode, 200)
})

t.test('ARC_TRUSTED_ORIGINS: listed origins may post; a bad value fails closed naming it', async (t) => {
  const cdn = 'https://www.example.com'
  const env = { ...ENV, ARC_TRUSTED_ORIGINS: cdn }
  const listed = await call(postCount, { method: 'POST', headers: { origin: cdn, 'sec-fetch-site': 'same-origin' } }, env)
  t.equal(listed.statusCode, 303)
  const logs = captureConsole(t)
  const bad = await call(postCount, { method: 'POST', headers: { cookie: cookieFor(2) } }, { ...ENV, ARC_TRUSTED_ORIGINS: 'www.example.com' })
  const badGet = await call(getIndex, {}, { ...ENV, ARC_TRUSTED_ORIGINS: 'www.example.com' })
  logs.restore()
  t.equal(bad.statusCode, 500)
  t.equal(badGet.statusCode, 500, 'every request, not only posts: the mistake shows at once')
  t.equal(sessionSetCookie(bad), undefined)
  t.equal(logs.lines.length, 1, 'one line per process')
  t.match(logs.lines[0], /^\[session\] configuration error: ARC_TRUSTED_ORIGINS: 'www\.example\.com' is not an origin/)
})

t.test('security headers on every response the adapter makes', async (t) => {
  const responses: Record<string, () => Promise<{ headers?: Record<string, unknown> | undefined; statusCode?: number | undefined }>> = {
    'the page': () => call(getIndex, {}),
    'a redirect': () => call(postCount, { method: 'POST' }),
    json: () => call(http(async () => ({ json: [1] })), {}),
    'the 403 page': () => call(postCount, { method: 'POST', headers: { origin: 'https://evil.example' } }),
    'the 413 page': () => call(http(async () => ({ session: { text: 'x'.repeat(5000) }, location: '/' })), {}),
    'the 500 page': () => call(http(async () => Promise.reject(new Error('bug'))), {}),
    'the not-configured page': () => call(getIndex, {}, { ...CLEAN_SESSION_ENV, ARC_ENV: 'production' }),
  }
  const logs = captureConsole(t)
  for (const [name, respond] of Object.entries(responses)) {
    const result = await respond()
    for (const [header, value] of Object.entries(SECURITY_HEADERS)) t.equal(result.headers?.[header], value, `${name}: ${header}`)
    t.equal(result.headers?.['cache-control'], 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0', `${name}: no-store`)
  }
  logs.restore()
  t.equal(
    SECURITY_HEADERS['content-security-policy'],
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'no inline script, no framing, forms post here only, no <base>',
  )
})

/** HSTS as a deployed app must send it (docs/security.md): a year at least, subdomains included. */
const HSTS = 'max-age=63072000; includeSubDomains'

t.test('HSTS on every response when deployed (200, 303, 403, 413, 500, 503, not configured); none under testing', async (t) => {
  const deployed = { ...CLEAN_SESSION_ENV, ARC_ENV: 'production', ARC_APP_SECRET: generatedSecret() }
  const responses: Record<string, [number, (env: Record<string, string | undefined>) => ReturnType<typeof call>]> = {
    'the page': [200, (env) => call(getIndex, {}, env)],
    'a redirect': [303, (env) => call(postCount, { method: 'POST', headers: { origin: APP_ORIGIN } }, env)],
    'the 403 page': [403, (env) => call(postCount, { method: 'POST', headers: { origin: 'https://evil.example' } }, env)],
    'the 413 page': [413, (env) => call(http(async () => ({ session: { text: 'x'.repeat(5000) }, location: '/' })), {}, env)],
    'the 500 page': [500, (env) => call(http(async () => Promise.reject(new Error('bug'))), {}, env)],
    'the 503 page': [503, (env) => call(http(async () => Promise.reject(new SessionStoreUnavailableError('down'))), {}, env)],
  }
  const logs = captureConsole(t)
  for (const [name, [status, respond]] of Object.entries(responses)) {
    const result = await respond(deployed)
    t.equal(result.statusCode, status, name)
    t.equal(result.headers['strict-transport-security'], HSTS, `deployed, ${name}: HSTS`)
    const local = await respond(ENV)
    t.equal(local.statusCode, status, name)
    t.equal(local.headers['strict-transport-security'], undefined, `under testing, ${name}: no HSTS`)
    const sandboxStaging = await respond({ ...deployed, ARC_SANDBOX: '{}' })
    t.equal(sandboxStaging.headers['strict-transport-security'], undefined, `a deployed stage under the Sandbox, ${name}: no HSTS`)
  }
  const unconfigured = await call(getIndex, {}, { ...CLEAN_SESSION_ENV, ARC_ENV: 'production' })
  t.equal(unconfigured.statusCode, 500)
  t.equal(unconfigured.headers['strict-transport-security'], HSTS, 'the not-configured page: HSTS')
  logs.restore()
})

t.test("a handler's own header wins, whatever its casing", async (t) => {
  const lambda = http(async () => ({ html: 'x', headers: { 'Content-Security-Policy': "default-src 'none'" } }))
  const result = await call(lambda, {})
  t.equal(result.headers['content-security-policy'], "default-src 'none'", 'under its lower-case name')
  t.equal(result.headers['Content-Security-Policy'], undefined, 'not sent twice')
  t.equal(result.headers['x-content-type-options'], 'nosniff')
})

t.test('the page itself has no inline script or style for the policy to block', async (t) => {
  const page = (await call(getIndex, {})).body
  t.notMatch(page, /<script/i)
  t.notMatch(page, /<style|\sstyle=|\son[a-z]+=/i)
  t.match(page, /<link rel="stylesheet" href="\/_static\/styles\.css">/, 'styles come from our own origin')
})
