/**
 * The adapter under generated hostile requests, through the app's real handlers: whatever the
 * method, headers, cookies and body, the answer is a page, a redirect or a 403, never a 5xx or an
 * exception (the handlers never read a body, so no body is refused); it always carries the security headers; a cross-site write is refused without
 * touching the session; a count moves only by one, and only on an accepted POST /count; and
 * nothing but fixed text is ever logged.
 */
import t from 'tap'
import fc from 'fast-check'
import { isDeepStrictEqual } from 'node:util'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { type SessionData } from '../../src/shared/session'
import { loadConfig, resetConfig, resetLogRates } from '../../src/shared/session/testing'
import { readSessionCookie } from '../../src/shared/session/cookie/codec'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { handler as getIndex } from '../../src/http/get-index'
import { handler as postCount } from '../../src/http/post-count'
import { handler as postReset } from '../../src/http/post-reset'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { APP_ORIGIN, apiGatewayEvent, captureConsole, setCookieValue } from '../helpers/lambda-event'
import { PROPERTY_RUNS, anyString, checkAsyncProperty, stringOf } from '../helpers/property'
import { generatedSecret } from '../helpers/secrets'

const SECRET = generatedSecret()
const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const keys = loadConfig(ENV).jweKeys
/** The count a session holds: every session these tests make holds a valid one, or none. */
const countIn = (data: SessionData) => (typeof data['count'] === 'number' ? data['count'] : 0)
const now = Date.now()
const ROUTES = { '/': getIndex, '/count': postCount, '/reset': postReset } as const

/** Live sessions with known counts, and what an attacker can make without the key. */
const validTokens = [0, 1, 41, 1000].map((count) => writeJweSession({ count }, keys[0]!, now))
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const forged = [
  `${b64({ alg: 'none' })}.${b64({ count: 99, iat: 1e9 })}.`,
  `${validTokens[1]!.slice(0, -4)}AAAA`,
  validTokens[2]!.split('.').reverse().join('.'),
]
const cookieValue = fc.oneof(
  fc.constantFrom(...validTokens, ...forged),
  stringOf(['eyJ', '.', '..', '%', '%E0%A4%A', '"', ' ', '\u0000', '\u007f', ';'], 12),
  anyString(80),
)
const cookiePair = fc.oneof(cookieValue.map((value) => `_idx=${value}`), stringOf(['a=1', '_idx', '=', ';'], 4))

const EVIL = 'https://evil.example'
const originHeader = fc.oneof({ arbitrary: fc.constant(APP_ORIGIN), weight: 3 }, fc.constantFrom(APP_ORIGIN, EVIL, 'null', '', `${APP_ORIGIN}/`, 'http://app.example', `${APP_ORIGIN}, ${EVIL}`), anyString(30))
const refererHeader = fc.oneof(fc.constantFrom(`${APP_ORIGIN}/`, `${EVIL}/page`, 'about:blank'), anyString(30))
const fetchSite = fc.oneof({ arbitrary: fc.constantFrom('same-origin', 'none'), weight: 3 }, fc.constantFrom('same-site', 'cross-site', 'CROSS-SITE'), anyString(12))

const request = fc.record({
  route: fc.constantFrom(...(Object.keys(ROUTES) as (keyof typeof ROUTES)[])),
  method: fc.oneof({ arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'post'), weight: 4 }, anyString(8)),
  noContext: fc.boolean(),
  headerFormat: fc.constantFrom('cookie header', 'Cookie header', 'v2 cookies array'),
  cookies: fc.array(cookiePair, { maxLength: 4 }),
  // Each browser header is absent half the time.
  origin: fc.option(originHeader, { freq: 2 }),
  referer: fc.option(refererHeader, { freq: 2 }),
  fetchSite: fc.option(fetchSite, { freq: 2 }),
  extra: fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, fc.dictionary(fc.constantFrom('host', 'x-forwarded-proto', 'content-type', 'x-anything'), anyString(20), { maxKeys: 2 })),
  body: fc.option(anyString(200)),
})

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never

function eventOf(r: Generated): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { ...r.extra }
  if (r.origin !== null) headers['origin'] = r.origin
  if (r.referer !== null) headers['referer'] = r.referer
  if (r.fetchSite !== null) headers['sec-fetch-site'] = r.fetchSite
  if (r.cookies.length > 0 && r.headerFormat !== 'v2 cookies array') headers[r.headerFormat === 'Cookie header' ? 'Cookie' : 'cookie'] = r.cookies.join('; ')
  const event = apiGatewayEvent({ method: r.method, path: r.route, headers, ...(r.body === null ? {} : { body: r.body }) })
  if (r.headerFormat === 'v2 cookies array' && r.cookies.length > 0) event.cookies = r.cookies
  if (r.noContext) (event as { requestContext?: unknown }).requestContext = undefined
  return event
}

const REFUSAL_LOG = /^\[session\] refused a cross-site request: its (origin|referer|sec-fetch-site) header names another site\. If your own pages are refused, a proxy may be changing Host: list the public origin in ARC_TRUSTED_ORIGINS$/

t.test('generated hostile requests through the real handlers', async (t) => {
  resetLogRates()
  const logs = captureConsole(t)
  const startedMs = Date.now()
  let refused = 0
  let counted = 0
  await withEnv(ENV, async () => {
    resetConfig()
    await checkAsyncProperty(t, 'hostile Lambda events', request, async (r) => {
      const event = eventOf(r)
      const result = await ROUTES[r.route](event)
      const fail = (why: string) => {
        throw new Error(`${why}: ${result.statusCode} ${JSON.stringify(result.headers)}`)
      }
      if (![200, 302, 303, 403].includes(result.statusCode)) fail('not a page, a redirect or a refusal')
      const redirect = result.statusCode === 302 || result.statusCode === 303
      // Post/redirect/get: 303 after a write; a redirect answering a GET or HEAD is 302 (docs/sessions.md).
      // Without requestContext the method is still in the routeKey.
      if (redirect && result.statusCode !== (['GET', 'HEAD'].includes(r.method.toUpperCase()) ? 302 : 303)) fail('the wrong redirect')
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (result.headers[name] !== value) fail(`no ${name}`)

      const method = r.noContext ? undefined : r.method.toUpperCase()
      const safe = method === 'GET' || method === 'HEAD' || method === 'OPTIONS'
      const standardHost = !('host' in r.extra) && !('x-forwarded-proto' in r.extra)
      const browserHeaders = r.origin !== null || r.referer !== null || r.fetchSite !== null
      const mustRefuse = !safe && (r.fetchSite === 'cross-site' || r.origin === EVIL || (r.origin === null && r.referer === `${EVIL}/page`))
      const mustAccept =
        safe ||
        !browserHeaders ||
        (standardHost && r.origin === APP_ORIGIN && (r.fetchSite === null || r.fetchSite === 'same-origin' || r.fetchSite === 'none'))
      if (mustRefuse && result.statusCode !== 403) fail('a cross-site write was accepted')
      if (mustAccept && result.statusCode === 403) fail('a same-origin or header-less request was refused')

      const setCookie = setCookieValue(result)
      if (result.statusCode === 403) {
        refused++
        if (setCookie !== undefined) fail('a refusal touched the session')
        return
      }
      // What the session held, read the way the adapter reads it.
      const sent = readSessionCookie(event)
      const before = sent === undefined ? undefined : readJweSession(sent, keys, Date.now())
      const count = before?.ok ? countIn(before.data) : 0
      if (r.route === '/') {
        if (setCookie !== undefined) fail('GET / wrote a session')
        if (!result.body.includes(`id="count">${count}<`)) fail(`the page does not show ${count}`)
      } else if (r.route === '/count') {
        const after = setCookie ? readJweSession(setCookie, keys, Date.now()) : undefined
        if (!after?.ok || countIn(after.data) !== count + 1) fail(`count ${count} did not become ${count + 1}`)
        counted++
      } else {
        // Reset starts a new session that holds only the one-time notice.
        const after = setCookie ? readJweSession(setCookie, keys, Date.now()) : undefined
        if (!after?.ok || !isDeepStrictEqual(after.data, { notice: 'reset' })) fail('reset did not start a fresh session')
      }
    })
  })
  logs.restore()
  t.ok(refused > PROPERTY_RUNS / 10 && counted > PROPERTY_RUNS / 10, `both sides ran: ${refused} refused, ${counted} counted`)
  const unexpected = logs.lines.filter((line) => !REFUSAL_LOG.test(line))
  t.strictSame(unexpected, [], 'nothing but the fixed refusal line was logged')
  // At most one line a minute, however many were refused (core/log.ts).
  const minutes = Math.floor((Date.now() - startedMs) / 60_000)
  t.ok(logs.lines.length >= 1 && logs.lines.length <= 1 + minutes, `${logs.lines.length} lines for ${refused} refusals in ${minutes + 1} minute(s) or less`)
})
