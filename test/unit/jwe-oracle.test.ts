/**
 * Wire compatibility with @architect/functions 8.x in JWE mode, with the package itself as the
 * oracle: what it writes we read, and what we write it reads, for every configuration it supports.
 */
import t from 'tap'
import arc from '@architect/functions'
import { loadConfig } from '../../src/shared/session/core/config'
import { readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { readSessionCookie } from '../../src/shared/session/cookie/codec'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'

const configurations: Record<string, Record<string, string>> = {
  'default key': {},
  'A256GCM secret': { ARC_APP_SECRET: 'abcdefghijklmnopqrstuvwxyz012345' },
  'long secret, truncated': { ARC_APP_SECRET: 'abcdefghijklmnopqrstuvwxyz0123456789-and-more' },
  'non-ASCII secret': { ARC_APP_SECRET: 'clé-secrète-très-longue-0123456789' },
  A192GCM: { ARC_APP_SECRET: 'abcdefghijklmnopqrstuvwx', ARC_APP_SECRET_ALGO: 'A192GCM' },
  A128GCM: { ARC_APP_SECRET: 'abcdefghijklmnop', ARC_APP_SECRET_ALGO: 'A128GCM' },
  'legacy, with secret': { ARC_FORCE_LEGACY_JWE_SECRET: '1', ARC_APP_SECRET: 'abcdefghijklmnopqrstuvwxyz012345' },
  'legacy, default key': { ARC_FORCE_LEGACY_JWE_SECRET: 'true' },
}

const session = { user: 'alice', count: 3, nested: { list: [1, 'two', null, true] }, unicode: 'żółw 🐢' }

for (const [name, vars] of Object.entries(configurations)) {
  const env = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ...vars }

  t.test(`${name}: a cookie from @architect/functions reads the same with us`, async (t) => {
    const setCookie = await withEnv(env, () => arc.http.session.write({ ...session }))
    const value = readSessionCookie({ headers: { cookie: setCookie.split(';')[0] } })
    const config = loadConfig(env)
    const read = readJweSession(value!, config.jweKeys, Date.now())
    t.ok(read.ok)
    if (read.ok) t.strictSame(read.data, session)
  })

  t.test(`${name}: a cookie from us reads the same with @architect/functions`, async (t) => {
    const config = loadConfig(env)
    const token = writeJweSession(session, config.jweKeys[0]!, Date.now())
    const read = await withEnv(env, () => arc.http.session.read({ headers: { cookie: `_idx=${token}` } }))
    // The reference hands its handlers our `_created` (when the session began) as data, as it does
    // `iat`, and writes it back with the rest: the absolute lifetime survives a round trip through it.
    const { iat, _created, ...data } = read
    t.strictSame(data, session)
    t.equal(typeof iat, 'number')
    t.equal(_created, iat, 'a new session began when it was first written')
  })
}
