/**
 * The app through the real Sandbox in encrypted-cookie (JWE) mode.
 */
import t from 'tap'
import arc from '@architect/functions'
import { counterFlow, foreignSessionReadsAsNew, hostileCookiesAreHarmless, Visitor } from '../helpers/counter-flow'
import { withEnv } from '../helpers/env'
import { request } from '../helpers/http-client'
import { startSandbox } from '../helpers/sandbox'

const SECRET = 'integration-test-secret-0123456789abcdef'

t.test('JWE mode through the Sandbox', async (t) => {
  const { url } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET })

  await counterFlow(t, url)

  await t.test('the cookie is HttpOnly, SameSite=Lax, Path=/ and not Secure under testing', async (t) => {
    const response = await request('POST', `${url}/count`)
    const setCookie = response.headers['set-cookie'] ?? []
    t.equal(setCookie.length, 1)
    const attributes = setCookie[0]!.split('; ').slice(1)
    t.ok(attributes.includes('HttpOnly'))
    t.ok(attributes.includes('SameSite=Lax'))
    t.ok(attributes.includes('Path=/'))
    t.notOk(attributes.some((a) => a.toLowerCase() === 'secure'))
  })

  await t.test('a cookie minted by @architect/functions keeps counting', async (t) => {
    const saved = { ...process.env }
    Object.assign(process.env, { ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET })
    const minted = await arc.http.session.write({ count: 41 })
    process.env = saved
    const visitor = new Visitor(url)
    visitor.cookie = /^_idx=([^;]+)/.exec(minted)![1]
    t.equal(await visitor.count(), 41)
    await visitor.post('/count')
    t.equal(await visitor.count(), 42)
    // ...and the reference reads what we wrote back.
    Object.assign(process.env, { ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET })
    const session = await arc.http.session.read({ headers: { cookie: `_idx=${visitor.cookie}` } })
    process.env = saved
    t.equal(session['count'], 42)
  })

  await t.test('a session of another shape, planted by @architect/functions, gives a normal page', async (t) => {
    const referenceEnv = { ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET }
    const minted = await withEnv(referenceEnv, () => arc.http.session.write({ count: 'many', user: 'mallory' }))
    const logged = "[session] session did not match its schema at count (expected number): using the schema's defaults until the session is written"
    const visitor = await foreignSessionReadsAsNew(t, url, /^_idx=([^;]+)/.exec(minted)![1]!, logged)
    await visitor.post('/count')
    t.equal(await visitor.count(), 1, 'a write replaces it')
    const session = await withEnv(referenceEnv, () => arc.http.session.read({ headers: { cookie: `_idx=${visitor.cookie}` } }))
    // The reference shows the core's `_created` (when the session began) as data, as it shows `iat`.
    t.strictSame({ ...session, iat: undefined, _created: undefined }, { count: 1, iat: undefined, _created: undefined }, 'with the typed session only')
  })

  await t.test('hostile cookies get a normal page or a redirect, never a 5xx', async (t) => {
    const hostile = [
      'garbage',
      '_idx=',
      '_idx=not.a.token',
      '_idx=....',
      '_idx=%E0%A4%A',
      '_idx="unterminated',
      '_idx=eyJhbGciOiJub25lIn0.eyJjb3VudCI6OTl9.',
      `_idx=${'A'.repeat(3000)}`,
      '_idx=a; _idx=b; _idx=c',
      '_idx=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA',
    ]
    await hostileCookiesAreHarmless(t, url, hostile)
  })
})
