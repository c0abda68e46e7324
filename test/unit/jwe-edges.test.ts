/**
 * The edges of the JWE token and store (contract A3, B2, B4, B12): a fresh IV for every token,
 * also across the refills of the IV pool (GCM must never reuse one under a key); keys of the wrong
 * length and stores without a key refused; `iat` that is zero or not finite is malformed; a token
 * is still valid at the very second its lifetime ends; signed ids at the length limit.
 */
import t from 'tap'
import { makeJweKey, open, seal } from '../../src/shared/session/providers/jwe/token'
import { createJweStore, readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { jweKeyFromSecret, legacyJweKeyFromSecret } from '../../src/shared/session/providers/jwe/keys'
import { sessionLifetime } from '../../src/shared/session/core/lifetime'
import { signId, verifySignedId } from '../../src/shared/session/providers/ddb/signed-id'
import { thrownBy } from '../helpers/errors'

const NOW = 1_700_000_000_000
const key = makeJweKey('A256GCM', Buffer.alloc(32, 7))
/** What a read gives, without the absolute-lifetime fields (test/unit/absolute-lifetime.test.ts has those). */
const read = (token: string, nowMs: number, lifetime?: ReturnType<typeof sessionLifetime>) => {
  const r = lifetime ? readJweSession(token, [key], nowMs, lifetime) : readJweSession(token, [key], nowMs)
  return r.ok ? { ok: true, data: r.data, issuedAt: r.issuedAt, key: r.key } : r
}
/** What a load gives, without the absolute-lifetime fields. */
const loaded = ({ data, exists, refresh, unreadable }: { data: unknown; exists: boolean; refresh: boolean; unreadable?: string }) => (unreadable === undefined ? { data, exists, refresh } : { data, exists, refresh, unreadable })

t.test('every token has its own IV, across many refills of the IV pool', async (t) => {
  // The pool holds 512 IVs: 3,000 tokens refill it five times.
  const ivs = new Set<string>()
  for (let i = 0; i < 3000; i++) ivs.add(seal('x', key).split('.')[2]!)
  t.equal(ivs.size, 3000, 'no IV used twice')
  const token = seal('{"a":1}', key)
  t.strictSame(open(token, [key]), { ok: true, plaintext: '{"a":1}', key }, 'and each still opens')
})

t.test('a key of the wrong length, and a store without a key, are refused', async (t) => {
  const short = thrownBy(() => makeJweKey('A256GCM', Buffer.alloc(16)))
  t.strictSame([short instanceof RangeError, (short as Error).message], [true, 'A256GCM needs a 32-byte key, got 16'])
  t.equal(makeJweKey('A128GCM', Buffer.alloc(16)).header, 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0', 'the header segment of {"alg":"dir","enc":"A128GCM"}')
  const none = thrownBy(() => createJweStore([], sessionLifetime(60)))
  t.strictSame([none instanceof RangeError, (none as Error).message], [true, 'the JWE store needs at least one key'])
})

t.test('secrets to keys: the characters the reference takes, and a message naming what is missing', async (t) => {
  t.strictSame(jweKeyFromSecret('abcdefghijklmnopqrstuvwxyz01234', 'A256GCM'), { ok: false, problem: 'is 31 characters; A256GCM needs at least 32' })
  const long = jweKeyFromSecret('é'.repeat(32), 'A256GCM')
  t.strictSame(long.ok && [...long.key.key], [...Buffer.from('é'.repeat(16))], '32 characters, cut to their first 32 UTF-8 bytes')
  t.strictSame(legacyJweKeyFromSecret('c2hvcnQ='), { ok: false, problem: 'decodes from base64 to 5 bytes; legacy mode needs at least 16' })
  const legacy = legacyJweKeyFromSecret(Buffer.alloc(20, 1).toString('base64'))
  t.strictSame(legacy.ok && [legacy.key.enc, legacy.key.key.length], ['A128GCM', 16], 'the first 16 decoded bytes, A128GCM')
})

t.test('iat must be a positive, finite number of seconds', async (t) => {
  for (const plaintext of ['{"iat":0}', '{"iat":1e400}', '{"iat":-0.5}', '{"iat":null}']) {
    t.strictSame(readJweSession(seal(plaintext, key), [key], NOW), { ok: false, reason: 'malformed' }, plaintext)
  }
  t.strictSame(read(seal('{"iat":1,"n":2}', key), 1000), { ok: true, data: { n: 2 }, issuedAt: 1, key }, 'iat 1 is a time like any other')
})

t.test('a token is valid through the very millisecond its lifetime ends, and expired one after', async (t) => {
  const minute = sessionLifetime(60)
  const token = writeJweSession({ n: 1 }, key, NOW)
  t.strictSame(read(token, NOW + 60_000, minute), { ok: true, data: { n: 1 }, issuedAt: NOW / 1000, key }, 'at N exactly: valid, as the reference has it')
  t.strictSame(readJweSession(token, [key], NOW + 60_001, minute), { ok: false, reason: 'expired' })
  const store = createJweStore([key], minute)
  t.strictSame(loaded(await store.load(token, NOW + 29_999)), { data: { n: 1 }, exists: true, refresh: false }, 'before N/2: not due')
  t.strictSame(loaded(await store.load(token, NOW + 30_000)), { data: { n: 1 }, exists: true, refresh: true }, 'at N/2: due')
  t.strictSame(loaded(await store.load(undefined, NOW)), { data: {}, exists: false, refresh: false }, 'no cookie: no session')
  t.strictSame(loaded(await store.load('x', NOW)), { data: {}, exists: false, refresh: false, unreadable: 'malformed' })
  t.strictSame(readJweSession(writeJweSession({ n: 1 }, key, NOW + 999), [key], NOW).ok && 'ok', 'ok', 'iat is whole seconds, rounded down')
})

t.test('signed ids: 256 characters is the longest id; a lone surrogate is refused', async (t) => {
  const longest = 'x'.repeat(256)
  t.strictSame(verifySignedId(signId(longest, 's'), ['s']), { ok: true, id: longest, secretIndex: 0 })
  t.strictSame(verifySignedId(signId(`${longest}x`, 's'), ['s']), { ok: false, reason: 'malformed' })
  t.strictSame(verifySignedId(signId('a', 's'), ['s']), { ok: true, id: 'a', secretIndex: 0 }, 'one character is enough')
  t.strictSame(verifySignedId(signId('a\ud800b', 's'), ['s']), { ok: false, reason: 'malformed' }, 'two such ids would share a signature')
  t.strictSame(verifySignedId(signId('a.b', 's'), ['s']), { ok: true, id: 'a.b', secretIndex: 0 }, 'the signature follows the last dot')
})
