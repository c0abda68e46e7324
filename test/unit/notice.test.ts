/**
 * The one-time notice after a reset, through the real handlers and session adapter: POST /reset
 * starts a new session carrying only the notice; GET / shows it once and drops it.
 */
import t from 'tap'
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { handler as getIndex } from '../../src/http/get-index'
import { handler as postReset } from '../../src/http/post-reset'
import { read, write, type SessionData } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { counterPage } from '../../src/shared/views/counter-page'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { countOnPage } from '../helpers/http-client'
import { RESET_NOTICE } from '../helpers/counter-flow'
import { captureConsole, lambdaEvent, sessionSetCookie } from '../helpers/lambda-event'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: 'notice-test-secret-0123456789abcdef' }


function inEnv<T>(fn: () => Promise<T>): Promise<T> {
  return withEnv(ENV, async () => {
    resetConfig()
    return fn()
  })
}

const showPage = (sessionCookie?: string) => inEnv(() => getIndex(lambdaEvent({ sessionCookie })))
const pressReset = (sessionCookie?: string) =>
  inEnv(() => postReset(lambdaEvent({ method: 'POST', path: '/reset', sessionCookie })))
const cookieFor = (session: SessionData) => inEnv(async () => /^_idx=([^;]+)/.exec(await write(session))![1]!)
const sessionOf = (cookieValue: string) => inEnv(() => read({ headers: { cookie: `_idx=${cookieValue}` } }))
/** The `_idx` value a result sets ('' when it clears the cookie), or undefined. */
const setCookieOf = (result: APIGatewayProxyStructuredResultV2) =>
  /^_idx=([^;]*)/.exec(sessionSetCookie(result) ?? '')?.[1]

t.test('the page shows a notice only when it has one, in fixed words', async (t) => {
  t.notMatch(counterPage({ count: 0 }), /class="notice"/)
  t.match(counterPage({ count: 0, notice: 'reset' }), RESET_NOTICE)
})

t.test('POST /reset starts a new session that carries only the notice', async (t) => {
  const counting = await cookieFor({ count: 3, user: 'alice' })
  const reset = await pressReset(counting)
  t.equal(reset.statusCode, 303)
  t.equal(reset.headers['location'], '/')
  const next = setCookieOf(reset)
  t.ok(next, 'a new session cookie')
  t.not(next, counting)
  t.strictSame(await sessionOf(next!), { notice: 'reset' }, 'nothing of the old session is kept')
})

t.test('GET / shows the notice once, then the session it leaves empty ends', async (t) => {
  const reset = setCookieOf(await pressReset())!
  const first = await showPage(reset)
  t.equal(first.statusCode, 200)
  t.equal(countOnPage(first.body), 0)
  t.match(first.body, RESET_NOTICE)
  t.match(String(sessionSetCookie(first)), /^_idx=; Max-Age=0;/, 'the emptied session ends')
  const reload = await showPage(setCookieOf(first) || undefined)
  t.notMatch(reload.body, RESET_NOTICE)
  t.equal(sessionSetCookie(reload), undefined)
})

t.test('GET / keeps the rest of a session when it drops a notice', async (t) => {
  const shown = await showPage(await cookieFor({ count: 2, notice: 'reset' }))
  t.match(shown.body, RESET_NOTICE)
  t.equal(countOnPage(shown.body), 2)
  t.strictSame(await sessionOf(setCookieOf(shown)!), { count: 2 })
})

t.test('a notice of an unknown kind is never shown: the session does not match, and reads as a new one', async (t) => {
  for (const notice of ['<img src=x onerror=alert(1)>', 'hello', { reset: true }]) {
    const cookie = await cookieFor({ count: 1, notice })
    const logs = captureConsole(t)
    const page = await showPage(cookie)
    logs.restore()
    t.equal(page.statusCode, 200)
    t.notMatch(page.body, /class="notice"/)
    t.notMatch(page.body, /<img/)
    t.equal(countOnPage(page.body), 0, "the schema's defaults")
    t.equal(sessionSetCookie(page), undefined, 'the stored session is left as it is')
    t.strictSame(logs.lines, ['[session] session did not match its schema at notice (expected "reset"): using the schema\'s defaults until the session is written'])
  }
})

t.test('GET / without a notice writes nothing', async (t) => {
  const page = await showPage(await cookieFor({ count: 4 }))
  t.equal(countOnPage(page.body), 4)
  t.equal(sessionSetCookie(page), undefined)
})
