/**
 * The `_idx` cookie codec (docs/guarantees.md#g-compat-cookie), table-driven, with exact Set-Cookie strings.
 */
import t from 'tap'
import arc from '@architect/functions'
import { readSessionCookie, serializeClearedCookie, serializeSessionCookie } from '../../src/shared/session/cookie/codec'
import { loadConfig } from '../../src/shared/session/core/config'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { generatedSecret } from '../helpers/secrets'

t.test('reading', async (t) => {
  const cases: [string, Parameters<typeof readSessionCookie>[0], string | undefined][] = [
    ['no headers', {}, undefined],
    ['null headers', { headers: null }, undefined],
    ['no session cookie', { headers: { cookie: 'a=1; b=2' } }, undefined],
    ['plain', { headers: { cookie: '_idx=abc' } }, 'abc'],
    ['Cookie casing', { headers: { Cookie: 'x=1; _idx=abc' } }, 'abc'],
    ['last one wins', { headers: { cookie: '_idx=first; other=1; _idx=last' } }, 'last'],
    ['similar names do not count', { headers: { cookie: '__idx=no; _idxx=no; x_idx=no' } }, undefined],
    ['no spaces', { headers: { cookie: 'a=1;_idx=abc;b=2' } }, 'abc'],
    ['quoted', { headers: { cookie: '_idx="abc"' } }, 'abc'],
    ['percent-encoded', { headers: { cookie: '_idx=id.sig%2Bwith%2Fslash' } }, 'id.sig+with/slash'],
    ['bad percent-encoding kept raw', { headers: { cookie: '_idx=%E0%A4%A' } }, '%E0%A4%A'],
    ['empty', { headers: { cookie: '_idx=' } }, undefined],
    ['v2 cookies array', { cookies: ['a=1', '_idx=abc'] }, 'abc'],
    ['header wins over the array', { headers: { cookie: '_idx=header' }, cookies: ['_idx=array'] }, 'header'],
    ['value with =', { headers: { cookie: '_idx=a=b' } }, 'a=b'],
  ]
  for (const [name, source, expected] of cases) t.equal(readSessionCookie(source), expected, name)
})

t.test('writing: exact attributes in the reference order', async (t) => {
  const now = Date.UTC(2026, 0, 1)
  const testing = loadConfig({ ARC_ENV: 'testing' }).cookie
  t.equal(
    serializeSessionCookie('v', testing, now),
    '_idx=v; Max-Age=788400000; Path=/; Expires=Mon, 26 Dec 2050 00:00:00 GMT; HttpOnly; SameSite=Lax',
  )
  const deployed = loadConfig({
    ARC_ENV: 'production',
    ARC_APP_SECRET: generatedSecret(),
    ARC_SESSION_DOMAIN: 'example.com',
    ARC_SESSION_TTL: '60',
    ARC_SESSION_SAME_SITE: 'strict',
  }).cookie
  t.equal(
    serializeSessionCookie('v', deployed, now),
    '_idx=v; Max-Age=60; Domain=example.com; Path=/; Expires=Thu, 01 Jan 2026 00:01:00 GMT; HttpOnly; Secure; SameSite=Strict',
  )
  t.equal(serializeClearedCookie(testing), '_idx=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax')
})

t.test('writing: the same attributes as @architect/functions', async (t) => {
  const vars = { ...CLEAN_SESSION_ENV, ARC_SESSION_TABLE_NAME: 'jwe', ARC_SESSION_DOMAIN: 'example.com', ARC_SESSION_TTL: '3600' }
  for (const arcEnv of ['testing', 'production']) {
    const env = { ...vars, ARC_ENV: arcEnv, ARC_APP_SECRET: generatedSecret() }
    const theirs = await withEnv(env, () => arc.http.session.write({ a: 1 }))
    const ours = serializeSessionCookie('v', loadConfig(env).cookie, Date.now())
    const attributeNames = (c: string) => c.split('; ').slice(1).map((a) => a.split('=')[0])
    t.strictSame(attributeNames(ours), attributeNames(theirs), `attributes under ${arcEnv}`)
  }
})
