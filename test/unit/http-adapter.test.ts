/**
 * The Lambda adapter (docs/guarantees.md#g-compat-handler, #g-no-default-key, #g-size-guard, #g-lazy-writes): handler results become responses with the right
 * cookie, unchanged sessions are not rewritten, and failures become clear pages, not crashes.
 */
import t from 'tap'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { http, type HandlerResponse, type SessionRequest } from '../../src/shared/session'
import { loadConfig, resetConfig } from '../../src/shared/session/testing'
import { readJweSession } from '../../src/shared/session/providers/jwe/store'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { fixClock, FIXED_NOW } from '../helpers/clock'
import { sessionSetCookie } from '../helpers/lambda-event'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: 'adapter-test-secret-0123456789abcdef' }
const KEYS = loadConfig(ENV).jweKeys
/** What a session cookie under ENV holds, read at the fixed time. */
const dataIn = (value: string | undefined) => {
  const read = readJweSession(value ?? '', KEYS, FIXED_NOW)
  return read.ok ? read.data : read.reason
}
/** Set-Cookie under ENV at FIXED_NOW, the value aside: the reference's attributes, in its order. */
const SESSION_ATTRIBUTES = 'Max-Age=788400000; Path=/; Expires=Sat, 07 Nov 2048 22:13:20 GMT; HttpOnly; SameSite=Lax'
const CLEARED = '_idx=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax'

// The adapter reads the clock itself: every case runs at FIXED_NOW.
t.beforeEach((t) => void fixClock(t))

function event(cookie?: string): APIGatewayProxyEventV2 {
  return { headers: cookie ? { cookie } : {}, rawPath: '/', requestContext: {} } as unknown as APIGatewayProxyEventV2
}

async function run(respond: (req: SessionRequest) => HandlerResponse, cookie?: string, env: Record<string, string | undefined> = ENV) {
  return withEnv(env, async () => {
    resetConfig()
    const lambda = http(async (req) => respond(req))
    return lambda(event(cookie))
  })
}

function cookieOf(result: { headers?: Record<string, unknown> | undefined }): string | undefined {
  const header = sessionSetCookie(result)
  return typeof header === 'string' ? /^_idx=([^;]*)/.exec(header)?.[1] : undefined
}

t.test('redirects are 303 with the session cookie and no-store', async (t) => {
  const result = await run(() => ({ session: { count: 1 }, location: '/' }))
  const value = cookieOf(result)
  t.strictSame(result, {
    statusCode: 303,
    headers: {
      // arc's default type for a body-less response.
      'content-type': 'application/json; charset=utf-8',
      location: '/',
      'cache-control': 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0',
      ...SECURITY_HEADERS,
    },
    body: '',
    cookies: [`_idx=${value}; ${SESSION_ATTRIBUTES}`],
  })
  t.strictSame(dataIn(value), { count: 1 }, 'the cookie holds the session written')
})

t.test('html and json', async (t) => {
  const page = await run(() => ({ html: '<p>hi</p>' }))
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(page.body, '<p>hi</p>')
  t.equal(sessionSetCookie(page), undefined)
  const json = await run(() => ({ json: { a: 1 } }))
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(json.body, '{"a":1}')
})

t.test('a session returned unchanged is not written again', async (t) => {
  const first = await run(() => ({ session: { count: 5 }, location: '/' }))
  const cookie = `_idx=${cookieOf(first)}`
  const same = await run((req) => ({ session: { ...req.session }, html: 'x' }), cookie)
  t.equal(sessionSetCookie(same), undefined)
  const mutated = await run((req) => {
    req.session['count'] = 6
    return { session: req.session, html: 'x' }
  }, cookie)
  t.strictSame(dataIn(cookieOf(mutated)), { count: 6 }, 'a change made in place and returned is written')
})

t.test('a session changed in place but not returned does not leak into the next request', async (t) => {
  // Warm Lambdas serve many requests: an empty session must be a new object every time.
  await run((req) => {
    req.session['user'] = 'mallory'
    return { html: 'x' }
  })
  let seen: unknown
  await run((req) => ((seen = { ...req.session }), { html: 'x' }))
  t.strictSame(seen, {}, 'the next cookieless request starts empty')
  await run((req) => {
    req.session['user'] = 'mallory'
    return { html: 'x' }
  }, '_idx=garbage')
  await run((req) => ((seen = { ...req.session }), { html: 'x' }), '_idx=garbage')
  t.strictSame(seen, {}, 'so does the next request with an unreadable cookie')
})

t.test('the handler sees the session; an empty or null session ends it', async (t) => {
  const first = await run(() => ({ session: { count: 5 }, location: '/' }))
  const cookie = `_idx=${cookieOf(first)}`
  let seen: unknown
  await run((req) => ((seen = req.session), { html: 'x' }), cookie)
  t.strictSame(seen, { count: 5 })
  for (const session of [null, {}]) {
    const ended = await run(() => ({ session, location: '/' }), cookie)
    t.equal(sessionSetCookie(ended), CLEARED, `${JSON.stringify(session)}: the cookie is cleared`)
  }
  const unreadable = await run(() => ({ session: null, location: '/' }), '_idx=garbage')
  t.equal(sessionSetCookie(unreadable), CLEARED, 'an unreadable cookie is cleared too')
  const nothingToEnd = await run(() => ({ session: null, location: '/' }))
  t.equal(sessionSetCookie(nothingToEnd), undefined, 'no cookie to clear without a session')
})

t.test('a misconfigured deployment answers 500 and logs one line naming the variable', async (t) => {
  const lines: string[] = []
  const restore = t.capture(console, 'error', (...args: unknown[]) => void lines.push(args.join(' ')))
  const env = { ...CLEAN_SESSION_ENV, ARC_ENV: 'production' }
  const first = await run(() => ({ html: 'never' }), undefined, env)
  t.equal(first.statusCode, 500)
  t.match(first.body, /not configured/i)
  t.notMatch(first.body, /never/)
  await withEnv(env, () => http(async () => ({ html: 'never' }))(event()))
  restore()
  t.strictSame(
    lines,
    [
      "[session] configuration error: ARC_APP_SECRET: is not set and ARC_ENV is 'production'; set a strong secret with `npx arc env -e <staging|production> -a ARC_APP_SECRET \"$(openssl rand -base64 32)\"`",
    ],
    'one log line for the process, not one per request, naming the variable and the fix',
  )
})

t.test('a session too large for a cookie answers 413 with a message', async (t) => {
  const lines: string[] = []
  const restore = t.capture(console, 'error', (...args: unknown[]) => void lines.push(args.join(' ')))
  const result = await run(() => ({ session: { text: 'x'.repeat(5000) }, location: '/' }))
  restore()
  t.equal(result.statusCode, 413)
  t.match(result.body, /<h1>Session too large<\/h1>/)
  t.equal(sessionSetCookie(result), undefined)
  // 5,000 characters (and the session's iat and _created) seal into a 6,815-character token: with `_idx=`, 6,820 bytes.
  t.strictSame(lines, ['[session] session not saved: the session is 6820 bytes, over the 4096-byte limit of a browser cookie'])
})

t.test('an unexpected error is a 500 page, and the log holds no cookie value', async (t) => {
  const first = await run(() => ({ session: { count: 5 }, location: '/' }))
  const value = cookieOf(first)!
  const lines: string[] = []
  const restore = t.capture(console, 'error', (...args: unknown[]) => void lines.push(args.join(' ')))
  const result = await run(() => {
    throw new Error('handler bug')
  }, `_idx=${value}`)
  restore()
  t.equal(result.statusCode, 500)
  t.strictSame(lines, ['[session] unexpected error: Error: handler bug'], "the error's name and message, no cookie value, no secret")
})

t.test('a status and headers from the handler win; json null is JSON', async (t) => {
  const moved = await run(() => ({ location: '/elsewhere', status: 302 }))
  t.strictSame([moved.statusCode, moved.headers['location'], moved.body], [302, '/elsewhere', ''], 'a redirect with its own status')
  const page = await run(() => ({ html: 'gone', status: 410, headers: { 'cache-control': 'public, max-age=60', 'x-extra': '1' } }))
  t.strictSame(
    [page.statusCode, page.headers['cache-control'], page.headers['x-extra'], page.headers['content-type'], page.body],
    [410, 'public, max-age=60', '1', 'text/html; charset=utf-8', 'gone'],
  )
  const nothing = await run(() => ({ json: null }))
  t.strictSame([nothing.statusCode, nothing.headers['content-type'], nothing.body], [200, 'application/json; charset=utf-8', 'null'])
})
