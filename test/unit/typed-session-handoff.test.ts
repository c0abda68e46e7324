/**
 * What a handler is handed of a typed session (docs/guarantees.md#g-typed-sessions): its own copy, holding what a
 * store can keep; a schema's output that is not an object is a mismatch; and a mismatched session's
 * defaults, when the handler returns them, replace the stored session.
 */
import t, { type Test } from 'tap'
import * as v from 'valibot'
import { defineSession, type SessionData, type SessionShape, type TypedSession } from '../../src/shared/session'
import { loadConfig, resetConfig } from '../../src/shared/session/testing'
import { noSession } from '../../src/shared/session/providers/store'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { viewSession } from '../../src/shared/session/typed/view'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole, lambdaEvent, setCookieValue } from '../helpers/lambda-event'

const SECRET = 'typed-handoff-test-secret-0123456789abcdef'
const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const [key] = loadConfig(ENV).jweKeys
const MISMATCH = /^\[session\] session did not match its schema (.*): using the schema's defaults until the session is written$/

const cookieOf = (data: SessionData) => writeJweSession(data, key!, Date.now())
const storedIn = (value: string) => {
  const read = readJweSession(value, [key!], Date.now())
  return read.ok ? read.data : undefined
}

/** One request through `typed.http`: what the handler was given (as it was given), the `_idx` value set, the log. */
async function run<Session extends SessionShape, Input extends SessionShape>(
  t: Test,
  typed: TypedSession<Session, Input>,
  cookie: string | undefined,
  respond: (session: Session) => { session?: Input } = () => ({}),
): Promise<{ seen: Session | undefined; setCookie: string | undefined; lines: string[] }> {
  let seen: Session | undefined
  const logs = captureConsole(t)
  try {
    const result = await withEnv(ENV, async () => {
      resetConfig()
      const lambda = typed.http(async ({ session }) => {
        seen = session
        return { ...respond(session), html: 'page' }
      })
      return lambda(lambdaEvent({ sessionCookie: cookie }))
    })
    return { seen, setCookie: setCookieValue(result), lines: logs.lines }
  } finally {
    logs.restore()
  }
}

t.test('a session of primitives and objects is copied whole: an object the schema shares is not changed through it', async (t) => {
  const defaults = { count: 0, items: [] as string[] }
  const typed = defineSession((data: unknown) => (Object.keys(data as object).length === 0 ? defaults : (data as typeof defaults)))
  await run(t, typed, undefined, (s) => {
    s.items.push('leaked')
    return {}
  })
  t.strictSame(defaults, { count: 0, items: [] }, "the schema's object is untouched")
  t.strictSame((await run(t, typed, undefined)).seen, { count: 0, items: [] }, 'the next visitor gets the defaults')
})

t.test('a number JSON cannot hold reaches the handler as a store keeps it: null', async (t) => {
  const laps = defineSession(v.object({ laps: v.optional(v.number(), 0), best: v.optional(v.number(), Infinity) }))
  t.strictSame((await run(t, laps, undefined)).seen, { laps: 0, best: null })
  const onlyNonFinite = defineSession((data: unknown) => ({ ...(data as object), best: Number.NaN }))
  t.strictSame((await run(t, onlyNonFinite, cookieOf({ laps: 2 }))).seen, { laps: 2, best: null })
})

t.test("a schema whose output is a string, a number or null is a mismatch: the handler gets the defaults", async (t) => {
  for (const output of ['text', 42, null]) {
    const typed = defineSession((data: unknown) => (Object.keys(data as object).length === 0 ? { a: 0 } : (output as unknown as { a: number })))
    const result = await run(t, typed, cookieOf({ a: 2 }))
    t.strictSame(result.seen, { a: 0 }, `output ${JSON.stringify(output)}`)
    t.equal(MISMATCH.exec(result.lines[0] ?? '')?.[1], "(the schema's output is not an object)")
  }
})

t.test("a mismatched session's generated defaults, returned as given, replace the stored session", async (t) => {
  let next = 0
  const visitor = defineSession(v.object({ id: v.optional(v.string(), () => `visitor-${++next}`) }))
  const result = await run(t, visitor, cookieOf({ id: 7 }), (s) => ({ session: s }))
  t.strictSame(result.seen, { id: 'visitor-1' })
  t.strictSame(storedIn(result.setCookie ?? ''), { id: 'visitor-1' }, 'written: the stored session never held these defaults')
})

t.test('the view says whether a stored session matched: no session and a matching one did, a mismatched one did not', async (t) => {
  const schema = v.object({ n: v.optional(v.number(), 0) })
  t.strictSame(await viewSession(schema, noSession()), { session: { n: 0 }, json: '{"n":0}', matched: true })
  const stored = { data: { n: 3 }, exists: true, refresh: false }
  t.strictSame(await viewSession(schema, stored), { session: { n: 3 }, json: '{"n":3}', matched: true })
  const logs = captureConsole(t)
  const mismatched = await viewSession(schema, { data: { n: 'x' }, exists: true, refresh: true })
  logs.restore()
  t.strictSame(mismatched, { session: { n: 0 }, json: '{"n":0}', matched: false })
  t.equal(logs.lines.length, 1)
})
