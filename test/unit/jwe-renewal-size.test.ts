/**
 * docs/guarantees.md#g-size-guard and #g-server-lifetime at the cookie limit: a token whose cookie is
 * exactly 4096 bytes reads and is renewed; one whose renewal would make a 4097-byte cookie (a token of
 * @architect/functions, without `_created`, grows by it) reads as a new visitor's, with one log line,
 * unless it is not due for a rewrite. And a `_created` of 0 is no beginning.
 */
import t, { type Test } from 'tap'
import { makeJweKey, seal } from '../../src/shared/session/providers/jwe/token'
import { createJweStore, loadJweSession, readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { sessionLifetime } from '../../src/shared/session/core/lifetime'
import { noSession } from '../../src/shared/session/providers/store'
import { SessionTooLargeError } from '../../src/shared/session/core/errors'
import { thrownBy } from '../helpers/errors'

const NOW = 1_700_000_000_000
const IAT = NOW / 1000
const key = makeJweKey('A256GCM', Buffer.alloc(32, 3))
/** N = 60 s: due for renewal from 30 s on. */
const MINUTE = sessionLifetime(60)
const cookieBytes = (token: string) => '_idx='.length + token.length
/** As @architect/functions seals it: `iat` only, no `_created` (23 bytes of JSON fewer than ours). */
const theirs = (text: string) => seal(JSON.stringify({ text, iat: IAT }), key)

function captureWarnings(t: Test): string[] {
  const lines: string[] = []
  t.teardown(t.capture(console, 'warn', (...args: unknown[]) => void lines.push(args.join(' '))).restore)
  return lines
}

t.test('a cookie of exactly 4096 bytes reads, and is renewed when due', async (t) => {
  // {"text":"…","iat":1700000000,"_created":1700000000}: 2957 characters of text make 4096 bytes.
  const text = 'x'.repeat(2957)
  const token = writeJweSession({ text }, key, NOW)
  t.equal(cookieBytes(token), 4096, 'the cookie is at the limit')
  t.strictSame(readJweSession(token, [key], NOW, MINUTE), { ok: true, data: { text }, issuedAt: IAT, beganAt: IAT, beganAtRecorded: true, key })
  const store = createJweStore([key], MINUTE)
  t.strictSame(await store.load(token, NOW + 30_000), { data: { text }, exists: true, refresh: true, beganAt: IAT }, 'due: its renewal fits, 4096 bytes again')
  t.equal(cookieBytes(writeJweSession({ text }, key, NOW + 30_000, IAT)), 4096, 'which is what the rewrite makes')
})

t.test('a token without _created is rewritten by its first read, when the rewrite fits', async (t) => {
  const warnings = captureWarnings(t)
  const store = createJweStore([key], MINUTE)
  const fits = 'x'.repeat(2957)
  t.strictSame(await store.load(theirs(fits), NOW), { data: { text: fits }, exists: true, refresh: true, beganAt: IAT }, 'its rewrite is 4096 bytes: renewed at once')
  t.strictSame(await store.load(theirs('short'), NOW + 1000), { data: { text: 'short' }, exists: true, refresh: true, beganAt: IAT + 1 }, 'not due by age, due for its _created')
  t.strictSame(warnings, [])
})

t.test('a token whose rewrite would make a 4097-byte cookie is a new visitor, with one log line', async (t) => {
  const warnings = captureWarnings(t)
  const text = 'x'.repeat(2958)
  const token = theirs(text)
  t.equal(cookieBytes(token) <= 4096, true, 'the token itself fits')
  const rewrite = thrownBy(() => writeJweSession({ text }, key, NOW, IAT))
  t.equal(rewrite instanceof SessionTooLargeError && rewrite.size, 4097, 'its rewrite, with _created, would be 4097 bytes')
  t.strictSame(await createJweStore([key], MINUTE).load(token, NOW), noSession('unusable'))
  t.strictSame(warnings, ["[session] stored session unusable (too large to be renewed within a cookie): read as a new visitor's"])
})

t.test('the carry-over does not rewrite a token for its missing _created, so its size is not judged', async (t) => {
  const warnings = captureWarnings(t)
  const text = 'x'.repeat(2958)
  t.strictSame(loadJweSession(theirs(text), [key], NOW, MINUTE, false), { data: { text }, exists: true, refresh: false, beganAt: IAT }, 'not due: read as it is')
  t.strictSame(loadJweSession(theirs(text), [key], NOW + 30_000, MINUTE, false), noSession('unusable'), 'due by age: its rewrite would not fit')
  t.equal(warnings.length, 1)
})

t.test('a _created of 0 or below is no beginning: the session begins at its first read', async (t) => {
  for (const created of [0, -1]) {
    const token = seal(JSON.stringify({ n: 1, iat: IAT, _created: created }), key)
    t.strictSame(readJweSession(token, [key], NOW + 5000, MINUTE), { ok: true, data: { n: 1 }, issuedAt: IAT, beganAt: IAT + 5, beganAtRecorded: false, key }, `_created ${created}`)
  }
  const one = seal(JSON.stringify({ n: 1, iat: IAT, _created: 1 }), key)
  t.strictSame(readJweSession(one, [key], NOW, MINUTE), { ok: false, reason: 'expired' }, '_created 1 is a beginning, long over')
})
