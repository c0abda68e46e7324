/**
 * The app through the real Sandbox in DynamoDB mode (`ARC_SESSION_TABLE_NAME=sessions`), on the
 * Sandbox's own local DynamoDB, with @architect/functions as the oracle (docs/guarantees.md#g-compat-dynamodb, #g-lazy-writes to #g-mode-switch).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import path from 'node:path'
import t from 'tap'
import arc from '@architect/functions'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { DEFAULT_TTL_SECONDS } from '../../src/shared/session/core/lifetime'
import { counterFlow, foreignSessionReadsAsNew, hostileCookiesAreHarmless, RESET_NOTICE, Visitor } from '../helpers/counter-flow'
import { getItem, idOfCookie, putItem, scanAll, testClient } from '../helpers/dynamodb'
import { withEnv } from '../helpers/env'
import { countOnPage, request, sessionCookieOf } from '../helpers/http-client'
import { PORT_BASE, PROJECT_ROOT, startSandbox } from '../helpers/sandbox'

const SECRET = 'integration-test-secret-0123456789abcdef'
const APP = 'arc-sessions-ts'
/** The Sandbox names a local table `<app>-staging-<name>`. */
const TABLE = `${APP}-staging-sessions`
const ENV = { ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: SECRET }
/** 100 requests in waves: the Sandbox starts a Node process per request, on two shared cores. */
const CONCURRENT_POSTS = 100
const WAVE = 10

t.test('DynamoDB mode through the Sandbox', async (t) => {
  const { url, tablesPort } = await startSandbox(t, ENV)
  const db = testClient(tablesPort)
  t.teardown(() => db.destroy())
  /** The environment @architect/functions needs to use the same Sandbox, in this process. */
  const referenceEnv = (mode: string) => ({
    ARC_ENV: 'testing',
    ARC_APP_NAME: APP,
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: mode,
    ARC_SANDBOX: JSON.stringify({ cwd: PROJECT_ROOT, ports: { http: PORT_BASE, tables: tablesPort, _arc: PORT_BASE + 2 } }),
  })
  const itemCount = async () => (await scanAll(db, TABLE)).length

  await counterFlow(t, url)

  await t.test('the cookie is a signed id, the item has the shape @architect/functions reads', async (t) => {
    const visitor = new Visitor(url)
    await visitor.post('/count')
    const cookie = decodeURIComponent(visitor.cookie!)
    t.equal(cookie, signId(idOfCookie(cookie), SECRET))
    const item = await getItem(db, TABLE, idOfCookie(cookie))
    t.match(item?.['_secret']?.S, /^.{24}$/)
    t.strictSame(item?.['count'], { N: '1' })
    const ttl = Number(item?.['_ttl']?.N)
    t.ok(Math.abs(ttl - (Date.now() / 1000 + DEFAULT_TTL_SECONDS)) < 120, '_ttl is a week ahead, in seconds')
  })

  await t.test('ten cookieless GET / create zero items', async (t) => {
    const before = await itemCount()
    for (let i = 0; i < 10; i++) {
      const page = await request('GET', `${url}/`)
      t.equal(page.status, 200)
      t.equal(sessionCookieOf(page), undefined)
    }
    const unknown = signId('NoSuchSessionId000000000', SECRET)
    for (const cookie of ['_idx=garbage', `_idx=${encodeURIComponent(unknown)}`]) {
      t.equal((await request('GET', `${url}/`, { headers: { cookie } })).status, 200)
    }
    t.equal(await itemCount(), before, 'the table did not grow')
  })

  await t.test('oracle: a session @architect/functions created continues here, and it reads ours', async (t) => {
    const minted = await withEnv(referenceEnv('sessions'), async () => {
      const session = await arc.http.session.read({ headers: {} })
      session['count'] = 41
      return arc.http.session.write(session)
    })
    const visitor = new Visitor(url)
    visitor.cookie = /^_idx=([^;]+)/.exec(minted)![1]
    const referenceId = idOfCookie(visitor.cookie!)
    t.equal(await visitor.count(), 41)
    await visitor.post('/count')
    t.equal(await visitor.count(), 42)
    t.equal(idOfCookie(visitor.cookie!), referenceId, 'the same session, not a new one')

    const read = await withEnv(referenceEnv('sessions'), () => arc.http.session.read({ headers: { cookie: `_idx=${visitor.cookie}` } }))
    t.equal(read['count'], 42, '@architect/functions reads what we wrote')
    t.equal(read['_idx'], referenceId)

    // And a session that we created, which @architect/functions then changes.
    const ours = new Visitor(url)
    await ours.post('/count')
    await withEnv(referenceEnv('sessions'), async () => {
      const session = await arc.http.session.read({ headers: { cookie: `_idx=${ours.cookie}` } })
      t.equal(session['count'], 1, '@architect/functions reads a session we created')
      t.equal(session['_idx'], idOfCookie(ours.cookie!), 'it continues it rather than making its own')
      session['count'] = 10
      await arc.http.session.write(session)
    })
    t.equal(await ours.count(), 10)
    await ours.post('/count')
    t.equal(await ours.count(), 11, 'our conditional write accepts the item it rewrote')
  })

  await t.test('a session of another shape, planted by @architect/functions, gives a normal page', async (t) => {
    const minted = await withEnv(referenceEnv('sessions'), async () => {
      const session = await arc.http.session.read({ headers: {} })
      Object.assign(session, { count: 'many', notice: 'hello' })
      return arc.http.session.write(session)
    })
    const cookie = /^_idx=([^;]+)/.exec(minted)![1]!
    const planted = await getItem(db, TABLE, idOfCookie(cookie))
    const logged = "[session] session did not match its schema at count (expected number) and 1 more: using the schema's defaults until the session is written"
    const visitor = await foreignSessionReadsAsNew(t, url, cookie, logged)
    t.strictSame(await getItem(db, TABLE, idOfCookie(cookie)), planted, 'the item is as @architect/functions left it')
    await visitor.post('/count')
    t.equal(await visitor.count(), 1, 'a write replaces it')
    const item = await getItem(db, TABLE, idOfCookie(visitor.cookie!))
    t.strictSame([item?.['count'], item?.['notice']], [{ N: '1' }, undefined], 'with the typed session only')
  })

  await t.test('reset deletes the item; the old cookie reads nothing; the next session has a new id', async (t) => {
    const visitor = new Visitor(url)
    for (let i = 0; i < 3; i++) await visitor.post('/count')
    const oldCookie = visitor.cookie!
    const oldId = idOfCookie(oldCookie)
    t.strictSame((await getItem(db, TABLE, oldId))?.['count'], { N: '3' }, 'the session before the reset')
    await visitor.post('/reset')
    t.equal(await getItem(db, TABLE, oldId), undefined, 'the item is gone')
    // Reset starts a new session that carries only the one-time notice: a new id, a new item.
    const noticeId = idOfCookie(visitor.cookie!)
    t.not(noticeId, oldId, 'the session after reset has a new id')
    t.strictSame((await getItem(db, TABLE, noticeId))?.['notice'], { S: 'reset' })
    t.match(await visitor.page(), RESET_NOTICE)
    t.equal(await getItem(db, TABLE, noticeId), undefined, 'showing the notice ended that session too: its item is gone')

    const replay = new Visitor(url)
    replay.cookie = oldCookie
    t.equal(await replay.count(), 0, 'the old cookie no longer reads the old data')
    await replay.post('/count')
    t.not(idOfCookie(replay.cookie), oldId, 'a new session gets a new id, not the one the client sent')
    t.equal(await replay.count(), 1)
    t.equal(await getItem(db, TABLE, oldId), undefined, 'the old id stays unused')
  })

  await t.test('an item past its _ttl is absent; a used session slides about once a day', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const put = async (id: string, ttl: number, count: number) => {
      // With `_created`, as the core writes it (an item without one is rewritten once, to record it).
      await putItem(db, TABLE, { _idx: { S: id }, _secret: { S: 'secret' }, _ttl: { N: String(ttl) }, _v: { N: '1' }, _created: { N: String(Math.floor(Date.now() / 1000)) }, count: { N: String(count) } })
      return `_idx=${encodeURIComponent(signId(id, SECRET))}`
    }
    const expired = await put('ExpiredSession0000000000', now - 60, 5)
    const page = await request('GET', `${url}/`, { headers: { cookie: expired } })
    t.equal(countOnPage(page.body), 0, 'expired a minute ago: absent, though still in the table')

    const fresh = await put('FreshSession000000000000', now + DEFAULT_TTL_SECONDS - 3600, 6)
    const freshPage = await request('GET', `${url}/`, { headers: { cookie: fresh } })
    t.equal(countOnPage(freshPage.body), 6)
    t.equal(sessionCookieOf(freshPage), undefined, 'used an hour ago: not rewritten')
    t.strictSame((await getItem(db, TABLE, 'FreshSession000000000000'))?.['_v'], { N: '1' })

    const stale = await put('TwoDaysOldSession0000000', now + DEFAULT_TTL_SECONDS - 2 * 86_400, 7)
    const stalePage = await request('GET', `${url}/`, { headers: { cookie: stale } })
    t.equal(countOnPage(stalePage.body), 7)
    t.equal(idOfCookie(sessionCookieOf(stalePage) ?? ''), 'TwoDaysOldSession0000000', 'used two days ago: a read slides it, and the cookie is sent again')
    const slid = await getItem(db, TABLE, 'TwoDaysOldSession0000000')
    t.ok(Number(slid?.['_ttl']?.N) >= now + DEFAULT_TTL_SECONDS - 60, '_ttl is a week from now again')
    t.strictSame(slid?.['count'], { N: '7' }, 'the data is unchanged')
  })

  await t.test('a JWE cookie from cookie mode is carried into a new DynamoDB session', async (t) => {
    const minted = await withEnv(referenceEnv('jwe'), () => arc.http.session.write({ count: 41 }))
    const visitor = new Visitor(url)
    visitor.cookie = /^_idx=([^;]+)/.exec(minted)![1]
    t.equal(visitor.cookie!.split('.').length, 5, 'a JWE token')
    const before = (await scanAll(db, TABLE)).length
    t.equal(await visitor.count(), 41, 'read in DynamoDB mode')
    t.equal(visitor.cookie!.split('.').length, 5, 'a read of a fresh token moves nothing (docs/guarantees.md#g-lazy-writes)')
    t.equal((await scanAll(db, TABLE)).length, before, 'no item yet')
    await visitor.post('/count')
    t.equal(decodeURIComponent(visitor.cookie!), signId(idOfCookie(visitor.cookie!), SECRET), 'the first write replaces it by a signed id')
    t.strictSame((await getItem(db, TABLE, idOfCookie(visitor.cookie!)))?.['count'], { N: '42' })
    t.equal(await visitor.count(), 42)
  })

  await t.test(`${CONCURRENT_POSTS} concurrent POST /count with one cookie add exactly ${CONCURRENT_POSTS}`, async (t) => {
    const visitor = new Visitor(url)
    await visitor.post('/count')
    const cookie = { cookie: `_idx=${visitor.cookie}` }
    const statuses: number[] = []
    for (let sent = 0; sent < CONCURRENT_POSTS; sent += WAVE) {
      const wave = Array.from({ length: Math.min(WAVE, CONCURRENT_POSTS - sent) }, () => request('POST', `${url}/count`, { headers: cookie }))
      statuses.push(...(await Promise.all(wave)).map((r) => r.status))
    }
    t.strictSame(statuses, Array(CONCURRENT_POSTS).fill(303), 'every post answered with a redirect')
    const count = await visitor.count()
    t.comment(`lost-update figure: ${count - 1} of ${CONCURRENT_POSTS} concurrent increments kept (waves of ${WAVE})`)
    t.equal(count, 1 + CONCURRENT_POSTS)
    // `_v` is "<writes> <token> ...": the count of writes first (providers/ddb/version.ts).
    t.equal(Number((await getItem(db, TABLE, idOfCookie(visitor.cookie!)))?.['_v']?.S?.split(' ')[0]), 1 + CONCURRENT_POSTS, 'one version per write')
  })

  await t.test('hostile cookies get a normal page or a redirect, never a 5xx', async (t) => {
    const valid = encodeURIComponent(signId('AAAAAAAAAAAAAAAAAAAAAAAA', SECRET))
    const hostile = [
      'garbage',
      '_idx=',
      '_idx=.',
      '_idx=abc.',
      '_idx=.abc',
      `_idx=${valid}x`,
      `_idx=${'A'.repeat(300)}.${'B'.repeat(43)}`,
      `_idx=${encodeURIComponent(signId('x'.repeat(300), SECRET))}`,
      `_idx=${encodeURIComponent(signId("' OR 1=1 --", SECRET))}`,
      `_idx=${encodeURIComponent(signId('', SECRET))}`,
      '_idx=%E0%A4%A',
      `_idx=${'A'.repeat(3000)}`,
      '_idx=a; _idx=b; _idx=c',
      '_idx=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA',
    ]
    await hostileCookiesAreHarmless(t, url, hostile)
  })

  /**
   * Runs a route's bundle, as the Sandbox built it, in a Node process of its own with the Sandbox's
   * environment for functions, so that one case can use another ARC_SESSION_TABLE_NAME.
   * Asynchronously: the Sandbox runs in this process and must keep answering the child.
   */
  const runBundle = async (route: string, tableName: string) => {
    const bundle = path.join(PROJECT_ROOT, '.build', 'http', route, 'index.js')
    const script = `require(${JSON.stringify(bundle)}).handler({ headers: {}, rawPath: '/', requestContext: {} }).then((r) => console.log(JSON.stringify({
      status: r.statusCode, setCookie: (r.cookies ?? []).find((c) => c.startsWith('_idx=')), sdk: Object.keys(require.cache).some((k) => /[\\/]@?aws-sdk[\\/]/.test(k)) })))`
    const child = await promisify(execFile)(process.execPath, ['-e', script], {
      env: { PATH: process.env['PATH'], ...referenceEnv(tableName) },
      encoding: 'utf8',
    })
    const result = JSON.parse(child.stdout) as { status: number; setCookie?: string; sdk: boolean }
    return { ...result, logged: child.stderr.split('\n').filter((line) => line.includes('[session]')) }
  }

  await t.test('the AWS SDK is loaded in DynamoDB mode only', async (t) => {
    const jwe = await runBundle('get-index', 'jwe')
    t.equal(jwe.status, 200)
    t.equal(jwe.sdk, false, 'JWE mode never loads it')
    const dynamodb = await runBundle('get-index', 'sessions')
    t.equal(dynamodb.status, 200)
    t.equal(dynamodb.sdk, true, 'DynamoDB mode does')
  })

  await t.test('ARC_SESSION_TABLE_NAME may name the physical table', async (t) => {
    const result = await runBundle('post-count', TABLE)
    t.equal(result.status, 303)
    const value = /^_idx=([^;]+)/.exec(result.setCookie ?? '')?.[1]
    t.strictSame((await getItem(db, TABLE, idOfCookie(value ?? '')))?.['count'], { N: '1' }, 'the session is in that table')
  })

  await t.test('a table that cannot be found: a 500 page and one log line naming ARC_SESSION_TABLE_NAME', async (t) => {
    const result = await runBundle('post-count', 'no-such-table')
    t.equal(result.status, 500)
    t.strictSame(result.logged, [
      "[session] configuration error: ARC_SESSION_TABLE_NAME: no table of this app is called 'no-such-table' (its tables: sessions (arc-sessions-ts-staging-sessions)); use a name from app.arc @tables, e.g. 'sessions', or 'jwe' for cookie sessions",
    ])
  })
})
