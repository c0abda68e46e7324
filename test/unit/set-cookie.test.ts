/**
 * The session cookie as the adapter sends it, at fixed times given through its `clock` option:
 * the whole Set-Cookie string (the reference's attributes, in its order, Max-Age, and Expires as
 * Max-Age from the clock's time), in the Sandbox and deployed, when a session is written, renewed
 * by a read, and ended; and the token's `iat` is the clock's time too.
 */
import t from 'tap'
import { http, type HandlerResponse, type SessionRequest } from '../../src/shared/session'
import { loadConfig, resetConfig } from '../../src/shared/session/testing'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { lambdaEvent, sessionSetCookie, setCookieValue } from '../helpers/lambda-event'

/** A secret as `openssl rand -base64 32` makes one: the deployed configuration accepts only such. */
const SECRET = 'pQ3v8Zr1Xk0mN7tB2wY9cF4hJ6sL5dGaE1uR3oK8vXs='
const TESTING = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const DEPLOYED = { ...CLEAN_SESSION_ENV, ARC_ENV: 'production', ARC_APP_SECRET: SECRET, ARC_SESSION_DOMAIN: 'abc123.execute-api.us-west-2.amazonaws.com', ARC_SESSION_TTL: '3600', ARC_SESSION_SAME_SITE: 'none' }
/** 2026-01-01T00:00:00Z and 2030-06-15T12:30:45Z. */
const JAN_2026 = 1_767_225_600_000
const JUN_2030 = 1_907_757_045_000
const DAY_MS = 86_400_000
const [key] = loadConfig(TESTING).jweKeys

/** What a token holds and when it was issued, read at `nowMs`. */
const opened = (token: string, nowMs: number) => {
  const read = readJweSession(token, [key!], nowMs)
  return read.ok ? { data: read.data, issuedAt: read.issuedAt } : read
}

/** One request at `nowMs`; returns the Set-Cookie header and the token in it. */
async function at(env: Record<string, string | undefined>, nowMs: number, respond: (req: SessionRequest) => HandlerResponse, cookie?: string) {
  return withEnv(env, async () => {
    resetConfig()
    const result = await http(async (req) => respond(req), { clock: () => nowMs })(lambdaEvent({ method: 'POST', path: '/count', sessionCookie: cookie }))
    return { header: sessionSetCookie(result), token: setCookieValue(result) ?? '' }
  })
}

t.test('a new session in the Sandbox: the reference attributes, Expires 25 years from the clock', async (t) => {
  const { header, token } = await at(TESTING, JAN_2026, () => ({ session: { count: 1 }, location: '/' }))
  t.equal(header, `_idx=${token}; Max-Age=788400000; Path=/; Expires=Mon, 26 Dec 2050 00:00:00 GMT; HttpOnly; SameSite=Lax`)
  t.strictSame(opened(token, JAN_2026), { data: { count: 1 }, issuedAt: JAN_2026 / 1000 }, 'iat is the clock time')
})

t.test('deployed: Domain, Secure, SameSite=None, Max-Age the TTL, Expires an hour from the clock', async (t) => {
  const { header, token } = await at(DEPLOYED, JUN_2030, () => ({ session: { count: 1 }, location: '/' }))
  t.equal(header, `_idx=${token}; Max-Age=3600; Domain=abc123.execute-api.us-west-2.amazonaws.com; Path=/; Expires=Sat, 15 Jun 2030 13:30:45 GMT; HttpOnly; Secure; SameSite=None`)
})

t.test('a read that renews a session sends it again, Expires from the time of the read', async (t) => {
  const old = writeJweSession({ count: 2 }, key!, JAN_2026)
  const { header, token } = await at(TESTING, JAN_2026 + 2 * DAY_MS, () => ({ html: 'page' }), old)
  t.equal(header, `_idx=${token}; Max-Age=788400000; Path=/; Expires=Wed, 28 Dec 2050 00:00:00 GMT; HttpOnly; SameSite=Lax`)
  t.strictSame(opened(token, JAN_2026 + 2 * DAY_MS), { data: { count: 2 }, issuedAt: (JAN_2026 + 2 * DAY_MS) / 1000 })
  const hourly = writeJweSession({ count: 3 }, key!, JUN_2030)
  const renewed = await at(DEPLOYED, JUN_2030 + 30 * 60_000, () => ({ html: 'page' }), hourly)
  t.equal(renewed.header, `_idx=${renewed.token}; Max-Age=3600; Domain=abc123.execute-api.us-west-2.amazonaws.com; Path=/; Expires=Sat, 15 Jun 2030 14:00:45 GMT; HttpOnly; Secure; SameSite=None`, 'deployed, at N/2: renewed for another hour')
})

t.test('ending a session: the cookie cleared, with the same attributes, whatever the clock', async (t) => {
  const live = writeJweSession({ count: 4 }, key!, JAN_2026)
  t.equal((await at(TESTING, JAN_2026, () => ({ session: null, location: '/' }), live)).header, '_idx=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax')
  const deployedLive = writeJweSession({ count: 4 }, key!, JUN_2030)
  t.equal(
    (await at(DEPLOYED, JUN_2030, () => ({ session: {}, location: '/' }), deployedLive)).header,
    '_idx=; Max-Age=0; Domain=abc123.execute-api.us-west-2.amazonaws.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None',
  )
})

t.test('an unchanged session within its renewal interval: no Set-Cookie at all', async (t) => {
  const recent = writeJweSession({ count: 5 }, key!, JAN_2026)
  t.equal((await at(TESTING, JAN_2026 + DAY_MS - 1000, () => ({ html: 'page' }), recent)).header, undefined, 'a second before a day: not renewed')
})
