/**
 * Contract B2 (strict acceptance), B3 (secret rotation), B4 (size guard) and A3 (bad tokens give an
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
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'

const SECRET = 'abcdefghijklmnopqrstuvwxyz012345'
const env = { ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const config = loadConfig(env)
const now = Date.now()
const iat = Math.floor(now / 1000)
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const keyBase64 = Buffer.from(SECRET).toString('base64')

t.test('foreign token forms are refused, with a reason', async (t) => {
  const payload = { count: 99, iat }
  const hs256Body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`
  const hs256 = `${hs256Body}.${createHmac('sha256', Buffer.from(SECRET)).update(hs256Body).digest('base64url')}`
  const cases: Record<string, string> = {
    'alg none': `${b64url({ alg: 'none' })}.${b64url(payload)}.`,
    'HS256 JWS signed with the secret': hs256,
    'A256KW key wrap': jwt.generate('A256KW', 'A256GCM', { ...payload }, keyBase64),
    'A256CBC-HS512': jwt.generate('dir', 'A256CBC-HS512', { ...payload }, Buffer.from(SECRET + SECRET).toString('base64')),
    'dir A128GCM under an A256GCM configuration': jwt.generate('dir', 'A128GCM', { ...payload }, keyBase64),
    'header with extra members': jwt.generate('dir', 'A256GCM', { ...payload }, keyBase64).replace(/^[^.]+/, b64url({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' })),
  }
  for (const [name, token] of Object.entries(cases)) {
    const read = readJweSession(token, config.jweKeys, now)
    t.equal(read.ok, false, name)
    if (!read.ok) t.match(read.reason, /^(malformed|unsupported|invalid)$/, name)
  }
  // The reference is more lenient: it takes the HS256 token as a session. We do not.
  const theirs = await withEnv({ ...CLEAN_SESSION_ENV, ...env, ARC_SESSION_TABLE_NAME: 'jwe' }, () =>
    arc.http.session.read({ headers: { cookie: `_idx=${hs256}` } }),
  )
  t.equal(theirs['count'], 99, 'the reference accepts the HS256 token')
})

t.test('tampering, truncation and garbage give a reason, never an exception', async (t) => {
  const token = writeJweSession({ count: 1 }, config.jweKeys[0]!, now)
  const parts = token.split('.')
  const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
  const cases: Record<string, string> = {
    'flipped ciphertext': [parts[0], '', parts[2], flip(parts[3]!), parts[4]].join('.'),
    'flipped tag': [parts[0], '', parts[2], parts[3], flip(parts[4]!)].join('.'),
    'flipped iv': [parts[0], '', flip(parts[2]!), parts[3], parts[4]].join('.'),
    truncated: token.slice(0, -5),
    'four segments': parts.slice(0, 4).join('.'),
    'encrypted key present': [parts[0], 'AAAA', parts[2], parts[3], parts[4]].join('.'),
    'not base64url': [parts[0], '', '!!!!', parts[3], parts[4]].join('.'),
    empty: '',
    dots: '....',
    unicode: '☃.☃.☃.☃.☃',
  }
  for (const [name, value] of Object.entries(cases)) {
    const read = readJweSession(value, config.jweKeys, now)
    t.equal(read.ok, false, name)
  }
})

t.test('a payload that is not a session object is malformed', async (t) => {
  // Sealed with our own key, as someone holding the secret could: still not a session.
  const [key] = config.jweKeys
  for (const plaintext of ['[1,2]', '"text"', 'null', '{"count":1}', '{"iat":"x"}', '{"iat":-1}', 'not json']) {
    t.strictSame(readJweSession(seal(plaintext, key!), [key!], now), { ok: false, reason: 'malformed' }, plaintext)
  }
})

t.test('B2: exp is data, not a claim', async (t) => {
  const token = writeJweSession({ exp: 1, count: 2 }, config.jweKeys[0]!, now)
  const read = readJweSession(token, config.jweKeys, now)
  t.strictSame(read.ok && read.data, { exp: 1, count: 2 })
})

t.test('B3: previous secrets read, the current secret writes', async (t) => {
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
  t.ok(readJweSession(newToken, withoutPrevious.jweKeys, now).ok, 'the rewrite uses the current secret')
})

t.test('sliding expiry: a token is re-sealed once it is a day old, not before', async (t) => {
  const store = createJweStore(config.jweKeys, config.lifetime)
  const token = writeJweSession({ count: 1 }, config.jweKeys[0]!, now)
  t.equal((await store.load(token, now + 3_600_000)).refresh, false)
  t.equal((await store.load(token, now + 90_000_000)).refresh, true)
  t.equal((await store.load(token, now + 605_000_000)).exists, false, 'gone after a week')
})

t.test('B4: a session whose cookie would pass 4096 bytes is a typed error', async (t) => {
  const [key] = config.jweKeys
  t.ok(writeJweSession({ text: 'x'.repeat(2900) }, key!, now).length < 4096)
  t.throws(() => writeJweSession({ text: 'x'.repeat(3100) }, key!, now), SessionTooLargeError)
  try {
    writeJweSession({ text: 'x'.repeat(5000) }, key!, now)
  } catch (error) {
    t.ok(error instanceof SessionTooLargeError)
    t.equal((error as SessionTooLargeError).code, 'SESSION_TOO_LARGE')
    t.equal((error as SessionTooLargeError).limit, 4096)
  }
})
