/**
 * docs/guarantees.md#g-typed-sessions, typed sessions, through the adapter and the lower-level read/write: every kind of
 * validator (a Standard Schema answering synchronously or with a Promise, a parse function, one
 * that throws), and what a session that does not match gives: the schema's defaults to the handler,
 * one log line without values, and nothing written back by a read.
 */
import t, { type Test } from 'tap'
import * as v from 'valibot'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { defineSession, type SessionData, type SessionSchema, type SessionShape, type TypedSession } from '../../src/shared/session'
import { loadConfig, resetConfig } from '../../src/shared/session/testing'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole, lambdaEvent, setCookieValue } from '../helpers/lambda-event'

const SECRET = 'typed-session-test-secret-0123456789abcdef'
const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const [key] = loadConfig(ENV).jweKeys
const DAY_MS = 86_400_000
const MISMATCH = /^\[session\] session did not match its schema (.*): using the schema's defaults until the session is written$/

/** A cookie holding `data`, as if written `ageMs` ago. */
const cookieOf = (data: SessionData, ageMs = 0) => writeJweSession(data, key!, Date.now() - ageMs)
/** What a Set-Cookie value holds, read without any schema. */
const storedIn = (value: string) => {
  const read = readJweSession(value, [key!], Date.now())
  return read.ok ? read.data : undefined
}

const cart = v.object({
  count: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0)), 0),
  items: v.optional(v.array(v.string()), []),
})

interface Run<Session> {
  seen: Session | undefined
  status: number | undefined
  setCookie: string | undefined
  lines: string[]
}

/**
 * One request through `typed.http`: the handler records what it was given and answers `respond`.
 * Returns what it saw, the response's status and `_idx` value, and every console line.
 */
async function run<Session extends SessionShape, Input extends SessionShape>(
  t: Test,
  typed: TypedSession<Session, Input>,
  cookie: string | undefined,
  respond: (session: Session) => { session?: Input | null } = () => ({}),
): Promise<Run<Session>> {
  const out: Run<Session> = { seen: undefined, status: undefined, setCookie: undefined, lines: [] }
  const logs = captureConsole(t)
  try {
    await withEnv(ENV, async () => {
      resetConfig()
      const lambda = typed.http(async ({ session }) => {
        out.seen = structuredClone(session)
        return { ...respond(session), html: 'page' }
      })
      const result = await lambda(lambdaEvent({ sessionCookie: cookie }))
      out.status = result.statusCode
      out.setCookie = setCookieValue(result)
    })
  } finally {
    logs.restore()
    out.lines = logs.lines
  }
  return out
}

t.test('a Standard Schema (valibot): the handler gets the session with its defaults filled in', async (t) => {
  const typed = defineSession(cart)
  const fresh = await run(t, typed, undefined)
  t.strictSame(fresh.seen, { count: 0, items: [] }, 'a new visitor: the defaults')
  t.equal(fresh.setCookie, undefined, 'and nothing written for looking')
  const stored = await run(t, typed, cookieOf({ count: 2 }))
  t.strictSame(stored.seen, { count: 2, items: [] })
  t.strictSame(stored.lines, [], 'a matching session logs nothing')
  const added = await run(t, typed, cookieOf({ count: 2 }), (s) => ({ session: { ...s, items: ['apple'] } }))
  t.strictSame(storedIn(added.setCookie!), { count: 2, items: ['apple'] })
})

t.test('a session that does not match: defaults, one line naming the path without values, nothing written', async (t) => {
  const typed = defineSession(cart)
  const cases: [SessionData, string][] = [
    [{ count: 'secret-value-7' }, 'at count (expected number)'],
    [{ count: -3 }, 'at count (expected >=0)'],
    [{ count: 1.5 }, 'at count'],
    [{ count: 1, items: ['ok', 42] }, 'at items.1 (expected string)'],
    [{ count: 'x', items: 'y' }, 'at count (expected number) and 1 more'],
    [{ count: null }, 'at count (expected number)'],
  ]
  for (const [data, why] of cases) {
    const result = await run(t, typed, cookieOf(data))
    t.equal(result.status, 200)
    t.strictSame(result.seen, { count: 0, items: [] }, `${JSON.stringify(data)}: the defaults`)
    t.equal(result.setCookie, undefined, 'the stored session is left as it is')
    t.equal(result.lines.length, 1, 'one log line')
    t.equal(MISMATCH.exec(result.lines[0] ?? '')?.[1], why)
    t.notOk(result.lines[0]?.includes('secret-value'), 'no value in the log')
  }
})

t.test('in the log, a key that does not look like a name is not shown: a record\'s keys are data', async (t) => {
  const votes = defineSession(v.object({ votes: v.optional(v.record(v.string(), v.picklist(['yes', 'no'])), {}) }))
  const named = await run(t, votes, cookieOf({ votes: { poll_7: 'maybe' } }))
  t.equal(MISMATCH.exec(named.lines[0] ?? '')?.[1], 'at votes.poll_7 (expected ("yes" | "no"))')
  const data = await run(t, votes, cookieOf({ votes: { 'alice@example.com': 'maybe' } }))
  t.equal(MISMATCH.exec(data.lines[0] ?? '')?.[1], 'at votes.[key] (expected ("yes" | "no"))')
})

t.test('a mismatched session due to slide is not written back by a read; a write replaces it', async (t) => {
  const typed = defineSession(cart)
  const old = cookieOf({ count: 'many', owner: 'another app' }, 2 * DAY_MS)
  const read = await run(t, typed, old)
  t.strictSame(read.seen, { count: 0, items: [] })
  t.equal(read.setCookie, undefined, 'two days old, yet not refreshed: a read does not write the defaults nor re-seal the data')
  const written = await run(t, typed, old, (s) => ({ session: { ...s, count: s.count + 1 } }))
  t.strictSame(storedIn(written.setCookie!), { count: 1, items: [] }, 'the handler wrote: its session replaces the stored one')
})

t.test('a matching session due to slide is re-sealed as stored, keys the schema does not know included', async (t) => {
  const typed = defineSession(cart)
  const result = await run(t, typed, cookieOf({ count: 3, owner: 'another app' }, 2 * DAY_MS))
  t.strictSame(result.seen, { count: 3, items: [] }, 'the schema drops what it does not know')
  t.strictSame(storedIn(result.setCookie!), { count: 3, owner: 'another app' }, 'a read changes nothing in the data')
})

t.test('lazy writes with a schema: a session returned as it was given is not rewritten, whatever the key order', async (t) => {
  const typed = defineSession(cart)
  const result = await run(t, typed, cookieOf({ items: ['pear'], count: 4, extra: true }), (s) => ({ session: { ...s } }))
  t.equal(result.setCookie, undefined)
})

t.test('a session that reads as a new visitor\'s ends: no cookie made, an existing one cleared', async (t) => {
  const typed = defineSession(cart)
  const fresh = await run(t, typed, undefined, (s) => ({ session: s }))
  t.equal(fresh.setCookie, undefined, 'a new visitor returning the defaults stores nothing')
  const emptied = await run(t, typed, cookieOf({ count: 5, items: ['a'] }), () => ({ session: { count: 0, items: [] } }))
  t.equal(emptied.setCookie, '', 'back to the defaults: the session ends')
  const explicit = await run(t, typed, cookieOf({ count: 5 }), () => ({ session: {} }))
  t.equal(explicit.setCookie, '', '{} ends it too')
  const mismatched = await run(t, typed, cookieOf({ count: 'x' }), (s) => ({ session: s }))
  t.equal(mismatched.setCookie, '', 'a mismatched session whose handler returns its defaults ends')
})

t.test('a default generated per read is kept when the handler returns it', async (t) => {
  let next = 0
  const visitor = defineSession(v.object({ id: v.optional(v.string(), () => `visitor-${++next}`) }))
  const result = await run(t, visitor, undefined, (s) => ({ session: s }))
  t.strictSame(storedIn(result.setCookie!), { id: 'visitor-1' })
})

t.test('the handler\'s session is its own: a default object changed in place does not reach the next request', async (t) => {
  // A parse function that hands every new visitor one and the same defaults object.
  const defaults = { items: [] as string[] }
  const typed = defineSession((data: unknown) => (Object.keys(data as object).length === 0 ? defaults : (data as typeof defaults)))
  await run(t, typed, undefined, (s) => {
    s.items.push('leaked')
    return {}
  })
  const next = await run(t, typed, undefined)
  t.strictSame(next.seen, { items: [] })
  t.strictSame(defaults, { items: [] })
})

t.test('the handler\'s session is its own when it holds only primitives too (copied without JSON)', async (t) => {
  const defaults = { count: 0, name: 'guest' }
  const typed = defineSession((data: unknown) => (Object.keys(data as object).length === 0 ? defaults : (data as typeof defaults)))
  await run(t, typed, undefined, (s) => {
    s.count = 99
    s.name = 'mallory'
    return {}
  })
  t.strictSame(defaults, { count: 0, name: 'guest' }, "the schema's own object is untouched")
  t.strictSame((await run(t, typed, undefined)).seen, { count: 0, name: 'guest' }, 'the next visitor gets the defaults')
})

/** A hand-made Standard Schema of `{ n: number }` (absent: 0) whose `validate` answers with a Promise. */
const asyncSchema: StandardSchemaV1<{ n?: number }, { n: number }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: async (value) => {
      await new Promise((resolve) => setImmediate(resolve))
      const n = (value as { n?: unknown }).n ?? 0
      return typeof n === 'number' ? { value: { n } } : { issues: [{ message: `got ${JSON.stringify(n)}`, path: [{ key: 'n' }] }] }
    },
  },
}

t.test('a Standard Schema that answers with a Promise', async (t) => {
  const typed = defineSession(asyncSchema)
  t.strictSame((await run(t, typed, cookieOf({ n: 7 }))).seen, { n: 7 })
  const mismatch = await run(t, typed, cookieOf({ n: 'seven' }))
  t.strictSame(mismatch.seen, { n: 0 })
  t.equal(MISMATCH.exec(mismatch.lines[0] ?? '')?.[1], 'at n', "the issue's path; not its message, which may quote the data")
  t.notOk(mismatch.lines[0]?.includes('seven'))
})

t.test('valibot async schemas (objectAsync, checkAsync) work the same way', async (t) => {
  const typed = defineSession(
    v.objectAsync({ code: v.optionalAsync(v.pipeAsync(v.string(), v.checkAsync(async (s) => s.startsWith('ok'), 'bad code')), 'ok-default') }),
  )
  t.strictSame((await run(t, typed, cookieOf({ code: 'ok-1' }))).seen, { code: 'ok-1' })
  const mismatch = await run(t, typed, cookieOf({ code: 'nope' }))
  t.strictSame(mismatch.seen, { code: 'ok-default' })
  t.match(mismatch.lines[0], MISMATCH)
})

t.test('a parse function: its result is the session; throwing means the session does not match', async (t) => {
  const parse = (data: unknown): { user: string } => {
    const user = (data as { user?: unknown }).user ?? 'guest'
    if (typeof user !== 'string') throw new TypeError(`not a user: ${JSON.stringify(user)}`)
    return { user }
  }
  const typed = defineSession(parse)
  t.strictSame((await run(t, typed, cookieOf({ user: 'alice' }))).seen, { user: 'alice' })
  const thrown = await run(t, typed, cookieOf({ user: 1234567 }))
  t.strictSame(thrown.seen, { user: 'guest' })
  t.equal(MISMATCH.exec(thrown.lines[0] ?? '')?.[1], '(the validator threw TypeError)', "the error's name, not its message")
  t.notOk(thrown.lines[0]?.includes('1234567'))

  // Whatever a thrown error's `issues` hold, the request is served.
  for (const issues of [[null], [{ path: 'count' }], [{ path: [null, { key: {} }] }], [{ path: ['count'], expected: 'line\nbreak' }]]) {
    const odd = await run(t, defineSession((data: unknown) => (Object.keys(data as object).length === 0 ? { a: 0 } : Promise.reject(Object.assign(new Error('x'), { issues })))), cookieOf({ count: 1 }))
    t.strictSame(odd.seen, { a: 0 }, `issues ${JSON.stringify(issues)}`)
    t.equal(odd.lines.length, 1)
    t.notMatch(odd.lines[0], /break/, 'one line')
  }

  // valibot's `parse` throws a ValiError that carries its issues: their path is logged.
  const viaValibot = defineSession((data: unknown) => v.parse(cart, data))
  const issues = await run(t, viaValibot, cookieOf({ count: 'x' }))
  t.strictSame(issues.seen, { count: 0, items: [] })
  t.equal(MISMATCH.exec(issues.lines[0] ?? '')?.[1], 'at count (expected number)')
})

t.test('a Standard Schema whose validate throws, or whose output is not an object, is a mismatch too', async (t) => {
  const throwing: SessionSchema<{ a: number }> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => {
        if (Object.keys(value as object).length > 0) throw new RangeError('validator bug')
        return { value: { a: 1 } }
      },
    },
  }
  const threw = await run(t, defineSession(throwing), cookieOf({ a: 2 }))
  t.equal(threw.status, 200)
  t.strictSame(threw.seen, { a: 1 })
  t.equal(MISMATCH.exec(threw.lines[0] ?? '')?.[1], '(the validator threw RangeError)')

  const notAnObject = (data: unknown) => ((data as { a?: unknown }).a === undefined ? { a: 0 } : (['list'] as unknown as { a: number }))
  const odd = await run(t, defineSession(notAnObject), cookieOf({ a: 2 }))
  t.strictSame(odd.seen, { a: 0 })
  t.equal(MISMATCH.exec(odd.lines[0] ?? '')?.[1], "(the schema's output is not an object)")
})

t.test('a schema that rejects an empty session: a 500 page and one log line for the process, naming the fix', async (t) => {
  const strict = defineSession(v.object({ user: v.string() }))
  const first = await run(t, strict, undefined)
  const second = await run(t, strict, cookieOf({ user: 'alice' }))
  t.equal(first.status, 500)
  t.strictSame(first.lines, [
    '[session] schema error: the session schema does not accept an empty session {}, which every new visitor has at user (missing): give each field a default or make it optional',
  ])
  t.strictSame(second.seen, { user: 'alice' }, 'a session that matches is still served')
  const mismatch = await run(t, strict, cookieOf({ user: 5 }))
  t.equal(mismatch.status, 500, 'one that does not match has no defaults to fall back on')
  t.strictSame(mismatch.lines.filter((line) => line.includes('schema error')), [], 'and the schema error is not logged again')
})

t.test('read and write with a schema', async (t) => {
  const typed = defineSession(cart)
  await withEnv(ENV, async () => {
    resetConfig()
    const logs = captureConsole(t)
    const req = { headers: { cookie: `_idx=${cookieOf({ count: 'x' })}` } }
    const session = await typed.read(req)
    logs.restore()
    t.strictSame(session, { count: 0, items: [] })
    t.match(logs.lines[0], MISMATCH)
    t.match(await typed.write(session, req), /^_idx=; Max-Age=0;/, 'writing the defaults ends the session')
    const written = await typed.write({ ...session, count: 1 }, req)
    const value = /^_idx=([^;]+)/.exec(written)![1]!
    t.strictSame(await typed.read({ headers: { cookie: `_idx=${value}` } }), { count: 1, items: [] })
  })
})
