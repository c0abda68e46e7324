/**
 * docs/guarantees.md#g-expiry-on-read in the adapter: inactivity means reads too. A session due to slide is written back
 * even when the handler only reads it (shown here with JWE sessions, which need no DynamoDB; the
 * DynamoDB case runs through the Sandbox in test/integration/dynamodb-mode.test.ts).
 */
import t from 'tap'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { http, type HandlerResponse, type SessionRequest } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { jweKeyFromSecret } from '../../src/shared/session/providers/jwe/keys'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { fixClock, FIXED_NOW } from '../helpers/clock'
import { sessionSetCookie } from '../helpers/lambda-event'

const SECRET = 'refresh-test-secret-0123456789abcdefgh'
const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const DAY_MS = 86_400_000
const key = (() => {
  const result = jweKeyFromSecret(SECRET, 'A256GCM')
  if (!result.ok) throw new Error(result.problem)
  return result.key
})()

// The adapter reads the clock itself: it reads FIXED_NOW; tokens are made relative to it.
t.beforeEach((t) => void fixClock(t))
const NOW = FIXED_NOW

async function run(token: string, respond: (req: SessionRequest) => HandlerResponse, env: Record<string, string | undefined> = ENV) {
  return withEnv(env, async () => {
    resetConfig()
    const event = { headers: { cookie: `_idx=${token}` }, rawPath: '/', requestContext: {} } as unknown as APIGatewayProxyEventV2
    return http(async (req) => respond(req))(event)
  })
}

function tokenOf(result: { headers?: Record<string, unknown> | undefined }): string | undefined {
  const header = sessionSetCookie(result)
  return typeof header === 'string' ? /^_idx=([^;]*)/.exec(header)?.[1] : undefined
}

t.test('a session used two days ago is re-sent on a read, with what was read', async (t) => {
  const old = writeJweSession({ count: 3 }, key, NOW - 2 * DAY_MS)
  const result = await run(old, (req) => {
    // Changed in place but not returned: not something to save.
    req.session['count'] = 99
    return { html: 'page' }
  })
  t.equal(result.statusCode, 200)
  const renewed = tokenOf(result) ?? ''
  t.equal(sessionSetCookie(result), `_idx=${renewed}; Max-Age=788400000; Path=/; Expires=Sat, 07 Nov 2048 22:13:20 GMT; HttpOnly; SameSite=Lax`, 'a new cookie')
  t.strictSame(readJweSession(renewed, [key], NOW), { ok: true, data: { count: 3 }, issuedAt: NOW / 1000, beganAt: (NOW - 2 * DAY_MS) / 1000, beganAtRecorded: true, key }, 'what was read, issued now: its week starts again, its beginning kept')
})

t.test('a session used within the day is not rewritten by a read', async (t) => {
  const recent = writeJweSession({ count: 3 }, key, NOW - 3_600_000)
  const result = await run(recent, () => ({ html: 'page' }))
  t.equal(sessionSetCookie(result), undefined)
})

t.test('the server-enforced lifetime with ARC_SESSION_TTL=3600: a read renews after half an hour, Max-Age is the TTL, an hour idle is no session', async (t) => {
  const page = (token: string) => run(token, (req) => ({ json: req.session }), { ...ENV, ARC_SESSION_TTL: '3600' })
  const minutesAgo = (minutes: number) => writeJweSession({ count: 4 }, key, NOW - minutes * 60_000)

  const recent = await page(minutesAgo(25))
  t.equal(recent.body, '{"count":4}')
  t.equal(sessionSetCookie(recent), undefined, 'used 25 minutes ago: not rewritten')

  const due = await page(minutesAgo(35))
  t.equal(due.body, '{"count":4}')
  const dueToken = tokenOf(due) ?? ''
  t.equal(sessionSetCookie(due), `_idx=${dueToken}; Max-Age=3600; Path=/; Expires=Tue, 14 Nov 2023 23:13:20 GMT; HttpOnly; SameSite=Lax`, 'used 35 minutes ago: renewed, for another hour')
  t.strictSame(readJweSession(dueToken, [key], NOW), { ok: true, data: { count: 4 }, issuedAt: NOW / 1000, beganAt: NOW / 1000 - 35 * 60, beganAtRecorded: true, key })

  const idle = await page(minutesAgo(65))
  t.equal(idle.body, '{}', 'used 65 minutes ago: no session, whatever the client kept')
  t.equal(sessionSetCookie(idle), undefined)
})
