/**
 * Stored data is input (docs/sessions.md, "What a session may hold"), through the real Sandbox in
 * both modes: sessions sealed with the app's own key or planted in its local DynamoDB that hold
 * what no write of ours makes (4,500-deep arrays, 8 KB, numbers beyond 2^53, sets, binaries,
 * 400 KB, `__proto__` and `constructor` names) each give a normal page, never a 5xx; and the count
 * at its largest value stays there, with the page saying it can go no higher.
 */
import t, { type Test } from 'tap'
import { loadConfig } from '../../src/shared/session/testing'
import { writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { seal } from '../../src/shared/session/providers/jwe/token'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { FaultProxy } from '../helpers/fault-proxy'
import { getItem, putItem, testClient, type Item } from '../helpers/dynamodb'
import { countOnPage, request, sessionCookieOf, type Response } from '../helpers/http-client'
import { PORT_BASE, startSandbox } from '../helpers/sandbox'

const SECRET = 'stored-data-secret-0123456789abcdefghij'
const TABLE = 'arc-sessions-ts-staging-sessions'
const PROXY_PORT = PORT_BASE + 6
const MAX = Number.MAX_SAFE_INTEGER
const DAY_MS = 86_400_000
const [KEY] = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }).jweKeys

type Tap = Test

const get = (url: string, cookie: string) => request('GET', `${url}/`, { headers: { cookie: `_idx=${cookie}` } })
const post = (url: string, cookie: string) => request('POST', `${url}/count`, { headers: { cookie: `_idx=${cookie}` } })

/** A normal counter page (200, HTML, a count), never an error page. */
function normalPage(t: Tap, response: Response, count: number, what: string): void {
  t.equal(response.status, 200, `${what}: 200`)
  t.equal(countOnPage(response.body), count, `${what}: the count is ${count}`)
}

/** A token sealed with the app's key from the JSON of its data, last written `ageMs` ago (a day or more: renewal due). */
function sealed(json: string, ageMs: number): string {
  return seal(json.replace(/^\{/, `{"iat":${Math.floor((Date.now() - ageMs) / 1000)},`), KEY!)
}

/** Arrays nested `depth` deep, as JSON text (JSON.stringify itself runs out of stack on 10,000). */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

/** Cookies sealed with the key: valid, live, due for renewal, and holding what we never write. */
async function sealedCookies(t: Tap, url: string): Promise<void> {
  // 4,500 levels: a 10,000-deep token is over Node's 16 KB header limit, so the Sandbox (as API
  // Gateway) refuses it with a 431 before any function runs; test/unit/stored-data.test.ts reads one.
  await t.test('cookies sealed with the key: 4,500-deep arrays and 8 KB sessions with renewal due give a normal page', async (t) => {
    const deep = sealed(`{"count":3,"deep":${nested(4_500)}}`, 2 * DAY_MS)
    normalPage(t, await get(url, deep), 0, '4,500-deep array, renewal due')
    normalPage(t, await post(url, deep).then((r) => get(url, sessionCookieOf(r) ?? '')), 1, 'and a post on it counts from a new session')
    const big = sealed(`{"count":4,"padding":"${'x'.repeat(6000)}"}`, 2 * DAY_MS)
    t.ok(big.length > 8000, `an 8 KB token (${big.length} characters)`)
    normalPage(t, await get(url, big), 0, '8 KB session, renewal due')
    const deepButFine = sealed(`{"count":5,"deep":${nested(20)}}`, 2 * DAY_MS)
    normalPage(t, await get(url, deepButFine), 5, '20 levels deep is kept')
  })
}

/** The count at 2^53 - 1 stays there, and the page says it can go no higher. */
async function largestCount(t: Tap, url: string, cookie: string): Promise<void> {
  await t.test('the count at 9007199254740991 stays there, and the Count button is disabled', async (t) => {
    const page = await get(url, cookie)
    t.equal(page.status, 200)
    t.equal(countOnPage(page.body), MAX)
    t.match(page.body, /<button type="submit" disabled>Count<\/button>/)
    t.match(page.body, /The count can go no higher\./)
    const posted = await post(url, cookie)
    t.equal(posted.status, 303, 'the post answers a redirect')
    const after = await get(url, sessionCookieOf(posted) || cookie)
    t.equal(countOnPage(after.body), MAX, 'still the largest count, not 0')
  })
}

t.test('stored data, JWE mode', async (t) => {
  const { url } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET })
  await sealedCookies(t, url)
  await largestCount(t, url, writeJweSession({ count: MAX }, KEY!, Date.now()))
})

t.test('stored data, DynamoDB mode', async (t) => {
  const proxy = new FaultProxy(PROXY_PORT, PORT_BASE + 1)
  await proxy.listen()
  t.teardown(() => proxy.close())
  const { url, tablesPort } = await startSandbox(t, {
    ARC_SESSION_TABLE_NAME: 'sessions',
    ARC_APP_SECRET: SECRET,
    AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${PROXY_PORT}`,
  })
  const db = testClient(tablesPort)
  t.teardown(() => db.destroy())
  const ttl = { N: String(Math.floor(Date.now() / 1000) + 3 * 86_400) } // renewal due: written four days ago
  const plant = async (id: string, attributes: Item): Promise<string> => {
    await putItem(db, TABLE, { _idx: { S: id }, _secret: { S: 'planted-secret' }, _ttl: ttl, ...attributes })
    return encodeURIComponent(signId(id, SECRET))
  }

  // A JWE cookie in DynamoDB mode is carried over: the same rules.
  await sealedCookies(t, url)
  await largestCount(t, url, await plant('LargestCount000000000000', { count: { N: String(MAX) } }))

  await t.test('planted items: numbers beyond 2^53, sets, binaries, 400 KB: a normal page every time', async (t) => {
    const cases: [string, Item, number][] = [
      ['a count beyond 2^53', { count: { N: '9007199254740993' } }, 0],
      ['a number beyond 2^53 elsewhere', { count: { N: '6' }, big: { N: '123456789012345678901234567890' } }, 0],
      ['sets and binaries', { count: { N: '7' }, ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2.5'] }, b: { B: Buffer.from('hi') }, bs: { BS: [Buffer.from('x')] } }, 7],
      ['a map 40 levels deep', { count: { N: '8' }, deep: nestedMap(40) }, 0],
      ['400 KB, renewal due', { count: { N: '9' }, padding: { S: 'p'.repeat(400 * 1024 - 200) } }, 0],
    ]
    for (const [what, attributes, count] of cases) {
      const id = `Planted${what.replace(/\W/g, '').slice(0, 17).padEnd(17, '0')}`
      const cookie = await plant(id, attributes).catch((error: unknown) => {
        t.comment(`${what}: the local DynamoDB refused it (${error instanceof Error ? error.name : 'an error'}), rewritten on the way instead`)
        proxy.rewrite = rewriteItem(id, attributes)
        return encodeURIComponent(signId(id, SECRET))
      })
      normalPage(t, await get(url, cookie), count, what)
      const posted = await post(url, cookie)
      t.equal(posted.status, 303, `${what}: a post is counted`)
      proxy.rewrite = undefined
    }
  })

  await t.test('items with __proto__ and constructor as attributes and map keys (rewritten on the way): data, never a prototype', async (t) => {
    const id = 'ProtoNames00000000000000'
    const cookie = await plant(id, { count: { N: '5' } })
    proxy.rewrite = (operation, body) =>
      operation === 'GetItem' && body.includes(id)
        ? body.replace(
            '"count":{"N":"5"}',
            '"count":{"N":"5"},"__proto__":{"M":{"count":{"N":"77"}}},"constructor":{"M":{"prototype":{"M":{"count":{"N":"66"}}}}},"m":{"M":{"__proto__":{"S":"x"},"constructor":{"N":"1"}}}',
          )
        : body
    normalPage(t, await get(url, cookie), 5, '__proto__ and constructor names')
    const posted = await post(url, cookie)
    t.equal(posted.status, 303)
    proxy.rewrite = undefined
    t.equal((await getItem(db, TABLE, id))?.['count']?.N, '6', 'counted from the real count, not an inherited one')
  })
})

function nestedMap(depth: number): Item[string] {
  let value: Item[string] = { S: 'bottom' }
  for (let i = 0; i < depth; i++) value = { M: { d: value } }
  return value
}

/** For items the local DynamoDB will not store: the GetItem answer for `id` carries them instead. */
function rewriteItem(id: string, attributes: Item): (operation: string, body: string) => string {
  return (operation, body) => {
    if (operation !== 'GetItem' || !body.includes(id)) return body
    const answer = JSON.parse(body) as { Item?: Record<string, unknown> }
    if (answer.Item) Object.assign(answer.Item, JSON.parse(JSON.stringify(attributes, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : value))))
    return JSON.stringify(answer)
  }
}
