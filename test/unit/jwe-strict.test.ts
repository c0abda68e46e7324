/**
 * docs/guarantees.md#g-strict-tokens (strict acceptance), #g-secret-rotation, #g-size-guard and #g-compat-jwe (bad tokens give an
 * empty session, never an exception).
 */
import t from 'tap'
import { createHmac } from 'node:crypto'
import jwt from 'node-webtokens'
import arc from '@architect/functions'
import { loadConfig } from '../../src/shared/session/core/config'
import { seal } from '../../src/shared/session/providers/jwe/token'
import { createJweStore, readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { SessionTooLargeError } from '../../src/shared/session/core/errors'
import { thrownBy } from '../helpers/errors'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'

const SECRET = 'abcdefghijklmnopqrstuvwxyz012345'
const env = { ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const config = loadConfig(env)
/** A fixed clock: tokens are made and read at a known second. */
const now = 1_700_000_000_000
const iat = Math.floor(now / 1000)
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const keyBase64 = Buffer.from(SECRET).toString('base64')

t.test('B2: foreign token forms are refused, each with the reason that names what is wrong', async (t) => {
  const payload = { count: 99, iat }
  const hs256Body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`
  const hs256 = `${hs256Body}.${createHmac('sha256', Buffer.from(SECRET)).update(hs256Body).digest('base64url')}`
  // malformed: not five segments of our form (a JWS has three; key wrap fills the key segment; CBC
  // has a 16-byte IV and a 32-byte tag). unsupported: our form, but a header we do not write.
  const cases: [string, string, 'malformed' | 'unsupported'][] = [
    ['alg none', `${b64url({ alg: 'none' })}.${b64url(payload)}.`, 'malformed'],
    ['HS256 JWS signed with the secret', hs256, 'malformed'],
    ['A256KW key wrap', jwt.generate('A256KW', 'A256GCM', { ...payload }, keyBase64), 'malformed'],
    ['A256CBC-HS512', jwt.generate('dir', 'A256CBC-HS512', { ...payload }, Buffer.from(SECRET + SECRET).toString('base64')), 'malformed'],
    ['dir A128GCM under an A256GCM configuration', jwt.generate('dir', 'A128GCM', { ...payload }, keyBase64), 'unsupported'],
    ['header with extra members', jwt.generate('dir', 'A256GCM', { ...payload }, keyBase64).replace(/^[^.]+/, b64url({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' })), 'unsupported'],
  ]
  for (const [name, token, reason] of cases) {
    t.strictSame(readJweSession(token, config.jweKeys, now), { ok: false, reason }, `${name}: ${reason}`)
  }
  // The reference is more lenient: it takes the HS256 token as a session. We do not.
  // It reads the clock itself: at the same fixed time as ours.
  const clock = t.capture(Date, 'now', () => now)
  const theirs = await withEnv({ ...CLEAN_SESSION_ENV, ...env, ARC_SESSION_TABLE_NAME: 'jwe' }, () =>
    arc.http.session.read({ headers: { cookie: `_idx=${hs256}` } }),
  )
  clock.restore()
  t.equal(theirs['count'], 99, 'the reference accepts the HS256 token')
})

t.test('A3: tampering, truncation and garbage give the reason that fits, never an exception', async (t) => {
  const token = writeJweSession({ count: 1 }, config.jweKeys[0]!, now)
  const parts = token.split('.')
  const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
  const cases: [string, string, 'malformed' | 'invalid'][] = [
    // Well formed, under our header and key: the authentication tag is what refuses them.
    ['flipped ciphertext', [parts[0], '', parts[2], flip(parts[3]!), parts[4]].join('.'), 'invalid'],
    ['flipped tag', [parts[0], '', parts[2], parts[3], flip(parts[4]!)].join('.'), 'invalid'],
    ['flipped iv', [parts[0], '', flip(parts[2]!), parts[3], parts[4]].join('.'), 'invalid'],
    ['truncated', token.slice(0, -5), 'malformed'],
    ['four segments', parts.slice(0, 4).join('.'), 'malformed'],
    ['encrypted key present', [parts[0], 'AAAA', parts[2], parts[3], parts[4]].join('.'), 'malformed'],
    ['not base64url', [parts[0], '', '!!!!', parts[3], parts[4]].join('.'), 'malformed'],
    ['padded base64', [parts[0], '', parts[2], parts[3], `${parts[4]}==`].join('.'), 'malformed'],
    ['empty', '', 'malformed'],
    ['dots', '....', 'malformed'],
    ['unicode', '☃.☃.☃.☃.☃', 'malformed'],
  ]
  for (const [name, value, reason] of cases) {
    t.strictSame(readJweSession(value, config.jweKeys, now), { ok: false, reason }, `${name}: ${reason}`)
  }
  t.strictSame(readJweSession(token, config.jweKeys, now), { ok: true, data: { count: 1 }, issuedAt: iat, beganAt: iat, beganAtRecorded: true, key: config.jweKeys[0] }, 'the untouched token opens')
})

t.test('a payload that is not a session object is malformed', async (t) => {
  // Sealed with our own key, as someone holding the secret could: still not a session.
  const [key] = config.jweKeys
  for (const plaintext of ['[1,2]', '"text"', 'null', '{"count":1}', '{"iat":"x"}', '{"iat":-1}', 'not json']) {
    t.strictSame(readJweSession(seal(plaintext, key!), [key!], now), { ok: false, reason: 'malformed' }, plaintext)
  }
})

t.test('exp is data, not a claim', async (t) => {
  const token = writeJweSession({ exp: 1, count: 2 }, config.jweKeys[0]!, now)
  const read = readJweSession(token, config.jweKeys, now)
  t.strictSame(read.ok && read.data, { exp: 1, count: 2 })
})

t.test('previous secrets read, the current secret writes', async (t) => {
  const OLD = 'an-old-secret-that-we-rotated-out'
  const before = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: OLD })
  const after = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: SECRET, ARC_APP_SECRET_PREVIOUS: OLD })
  const withoutPrevious = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: SECRET })
  const oldToken = writeJweSession({ count: 7 }, before.jweKeys[0]!, now)

  t.strictSame(readJweSession(oldToken, withoutPrevious.jweKeys, now), { ok: false, reason: 'invalid' })
  const store = createJweStore(after.jweKeys, after.lifetime)
  const loaded = await store.load(oldToken, now)
  t.strictSame(loaded.data, { count: 7 })
  t.equal(loaded.refresh, true, 'a token made with a previous secret is re-sealed on this request')
  const newToken = await store.save(loaded, loaded.data, now)
  t.strictSame(readJweSession(newToken, withoutPrevious.jweKeys, now), { ok: true, data: { count: 7 }, issuedAt: iat, beganAt: iat, beganAtRecorded: true, key: withoutPrevious.jweKeys[0] }, 'the rewrite uses the current secret')
})

t.test('sliding expiry: a token is re-sealed once it is a day old, not before', async (t) => {
  const store = createJweStore(config.jweKeys, config.lifetime)
  const token = writeJweSession({ count: 1 }, config.jweKeys[0]!, now)
  t.equal((await store.load(token, now + 3_600_000)).refresh, false)
  t.equal((await store.load(token, now + 90_000_000)).refresh, true)
  t.equal((await store.load(token, now + 605_000_000)).exists, false, 'gone after a week')
})

t.test('a session whose cookie would pass 4096 bytes is a typed error; one that reaches 4096 exactly is written', async (t) => {
  const [key] = config.jweKeys
  // `_idx=` + the token; the plaintext is {"text":"…","iat":1700000000,"_created":1700000000}
  // (50 bytes besides the text), its ciphertext as long, in base64url. 2957 characters of text
  // make a cookie of 4096 bytes.
  const cookieBytes = (text: string) => '_idx='.length + writeJweSession({ text }, key!, now).length
  t.equal(cookieBytes('x'.repeat(2957)), 4096, 'exactly at the limit: written')
  const over = thrownBy(() => writeJweSession({ text: 'x'.repeat(2958) }, key!, now))
  t.ok(over instanceof SessionTooLargeError, 'a byte over: SessionTooLargeError')
  t.strictSame(
    { code: (over as SessionTooLargeError).code, size: (over as SessionTooLargeError).size, limit: (over as SessionTooLargeError).limit, message: (over as Error).message },
    { code: 'SESSION_TOO_LARGE', size: 4097, limit: 4096, message: 'the session is 4097 bytes, over the 4096-byte limit of a browser cookie' },
  )
})
