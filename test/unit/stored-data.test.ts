/**
 * Stored data is input (docs/sessions.md, "What a session may hold"): the item conversion builds
 * plain data (a `__proto__` name is data, never a prototype), anything without an exact JSON form
 * or too deep or too large to be written back reads as a new visitor's with one log line; and a
 * typed write that its schema would refuse is a typed error, never stored.
 */
import t, { type Test } from 'tap'
import * as v from 'valibot'
import { itemToData, dataToItem } from '../../src/shared/session/providers/ddb/item'
import { loadJweSession } from '../../src/shared/session/providers/jwe/store'
import { seal } from '../../src/shared/session/providers/jwe/token'
import { MAX_DEPTH, unstorable } from '../../src/shared/session/core/storable'
import { DEFAULT_LIFETIME } from '../../src/shared/session/core/lifetime'
import { SessionNotStorableError } from '../../src/shared/session/core/errors'
import { runWithRetries } from '../../src/shared/session/lambda/commit'
import { loadConfig } from '../../src/shared/session/testing'
import { noSession, type SessionStore } from '../../src/shared/session/providers/store'
import { counterPage } from '../../src/shared/views/counter-page'

const SECRET = 'stored-data-unit-secret-0123456789abcdef'
const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: SECRET })
const KEY = config.jweKeys[0]!
const NOW = 1_700_000_000_000

function captureWarnings(t: Test): string[] {
  const lines: string[] = []
  const restore = t.capture(console, 'warn', (...args: unknown[]) => void lines.push(args.join(' ')))
  t.teardown(restore)
  return lines
}

t.test('item conversion: __proto__, constructor and prototype are own data, never a prototype', async (t) => {
  const item = JSON.parse(
    '{"count":{"N":"5"},"__proto__":{"M":{"count":{"N":"77"}}},"constructor":{"S":"c"},"m":{"M":{"__proto__":{"S":"x"},"prototype":{"N":"1"}}}}',
  ) as Record<string, never>
  const converted = itemToData(item)
  if (!converted.ok) throw new Error(converted.why)
  const data = converted.data
  t.equal(Object.getPrototypeOf(data), Object.prototype, 'a plain object')
  t.strictSame(Object.keys(data), ['count', '__proto__', 'constructor', 'm'])
  t.equal(data['count'], 5, 'its own count, not an inherited 77')
  t.strictSame(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, JSON.parse('{"count":77}'), '__proto__ kept as data')
  t.equal(({} as Record<string, unknown>)['count'], undefined, 'nothing polluted')
  t.equal(JSON.stringify(data), '{"count":5,"__proto__":{"count":77},"constructor":"c","m":{"__proto__":"x","prototype":1}}')
  // And back: dataToItem keeps them as attributes, never as prototypes.
  t.strictSame(Object.keys(dataToItem(JSON.parse(JSON.stringify(data)) as never)), ['count', '__proto__', 'constructor', 'm'])
})

t.test('item conversion: what has no exact JSON form makes the item unusable, with where', async (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a whole number beyond 2^53', { count: { N: '9007199254740993' } }, 'at count (a whole number beyond 2^53)'],
    ['38 digits', { n: { N: '12345678901234567890123456789012345678' } }, 'at n (a whole number beyond 2^53)'],
    ['in a set', { ns: { NS: ['1', '1e300'] } }, 'at ns.1 (a whole number beyond 2^53)'],
    ['too deep', { d: deepMap(MAX_DEPTH) }, `(nested deeper than ${MAX_DEPTH} levels)`],
    ['not an attribute value', { x: 'plain' }, 'at x (not an attribute value)'],
  ]
  for (const [what, item, why] of cases) {
    const converted = itemToData(item as never)
    t.equal(converted.ok, false, what)
    if (!converted.ok) t.ok(converted.why.endsWith(why), `${what}: ${converted.why}`)
  }
  const fine = itemToData({ ss: { SS: ['a'] }, ns: { NS: ['2.5'] }, b: { B: Buffer.from('hi') }, d: deepMap(MAX_DEPTH - 1) } as never)
  t.equal(fine.ok, true, 'sets, binaries and 32 levels (the item one of them) are fine')
})

t.test('JWE: sealed with the key but 10,000 deep, or too large to renew: a new visitor, one log line', async (t) => {
  const warnings = captureWarnings(t)
  const iat = NOW / 1000 - 2 * 86_400 // renewal due
  // Spelled out: JSON.stringify itself runs out of stack on it.
  const deepToken = seal(`{"iat":${iat},"count":1,"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, KEY)
  t.strictSame(loadJweSession(deepToken, [KEY], NOW, DEFAULT_LIFETIME), noSession('unusable'))
  // Fits in a cookie as sealed (numbers spelled short), but not once renewal writes them out.
  const numbers = Array.from({ length: 560 }, () => '1e5').join(',')
  const growing = seal(`{"iat":${iat},"n":[${numbers}]}`, KEY)
  t.ok(growing.length + 5 <= 4096, `the token fits (${growing.length})`)
  t.strictSame(loadJweSession(growing, [KEY], NOW, DEFAULT_LIFETIME), noSession('unusable'))
  const big = seal(`{"iat":${iat},"p":"${'x'.repeat(6000)}"}`, KEY)
  t.strictSame(loadJweSession(big, [KEY], NOW, DEFAULT_LIFETIME), noSession('unusable'), 'over 4096 bytes: never one of ours')
  t.strictSame(loadJweSession(`${big.slice(0, -3)}AAA`, [KEY], NOW, DEFAULT_LIFETIME), noSession('invalid'), 'a forged one is no session, and no log line')
  t.equal(warnings.length, 3, 'one line for each unusable one')
  t.match(warnings[0], /^\[session\] stored session unusable at deep\.0\.0\.0\.0\.0\.0\.0\.\.\. \(nested deeper than 32 levels\): read as a new visitor's$/)
  t.match(warnings[1], /too large to be renewed/)
  t.match(warnings[2], /\(a 8\d{3}-byte cookie, over the 4096-byte limit\)/)
})

t.test('a typed write its schema would refuse is a SessionNotStorableError, never stored', async (t) => {
  const schema = v.object({ count: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0)), 0) })
  const saves: unknown[] = []
  const store: SessionStore = {
    load: async () => ({ data: { count: Number.MAX_SAFE_INTEGER }, exists: true, refresh: false, handle: {} }),
    save: async (_loaded, data) => (saves.push(data), 'cookie'),
    destroy: async () => undefined,
  }
  const run = async () => ({ session: { count: Number.MAX_SAFE_INTEGER + 1 } })
  const error = await runWithRetries(schema, run, 'x', store, config).then(() => undefined, (e: unknown) => e)
  t.type(error, SessionNotStorableError)
  t.equal((error as SessionNotStorableError).why, 'at count (a whole number beyond 2^53)')
  const refused = await runWithRetries(schema, async () => ({ session: { count: -1 } }), 'x', store, config).then(() => undefined, (e: unknown) => e)
  t.equal((refused as SessionNotStorableError).why, 'its schema would refuse it on the next read at count (expected >=0)')
  t.strictSame(saves, [], 'nothing was stored')
  t.equal(unstorable({ a: { b: [1, 2.5, 'x', null, true] } }), undefined)
})

t.test('the counter page at the largest count: the button disabled, and why', async (t) => {
  const page = counterPage({ count: Number.MAX_SAFE_INTEGER })
  t.match(page, /<strong id="count">9007199254740991<\/strong>/)
  t.match(page, /<button type="submit" disabled>Count<\/button>/)
  t.match(page, /The count can go no higher\./)
  t.notMatch(counterPage({ count: Number.MAX_SAFE_INTEGER - 1 }), /disabled|go no higher/)
})

function deepMap(depth: number): unknown {
  let value: unknown = { S: 'bottom' }
  for (let i = 0; i < depth; i++) value = { M: { d: value } }
  return value
}
