/**
 * docs/guarantees.md#g-faults-answered through the real Sandbox: the app's DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB)
 * is a proxy in front of the Sandbox's DynamoDB that can be shut (a dead port), made to throttle
 * (DynamoDB's own error on the wire), or made to never answer. Each fault must give a 503 page with
 * Retry-After and one log line with the cause; no crash, nothing half-written.
 */
import t, { type Test } from 'tap'
import { Visitor } from '../helpers/counter-flow'
import { getItem, idOfCookie, testClient } from '../helpers/dynamodb'
import { FaultProxy } from '../helpers/fault-proxy'
import { request, type Response } from '../helpers/http-client'
import { captureSessionLog } from '../helpers/lambda-log'
import { PORT_BASE, startSandbox } from '../helpers/sandbox'

const SECRET = 'integration-test-secret-0123456789abcdef'
const TABLE = 'arc-sessions-ts-staging-sessions'
const PROXY_PORT = PORT_BASE + 5
/** As the lost-update test in dynamodb-mode.test.ts: the Sandbox starts a process per request, on two shared cores. */
const CONCURRENT_POSTS = 100
const WAVE = 10

type Tap = Test

t.test('DynamoDB faults through the Sandbox', async (t) => {
  const proxy = new FaultProxy(PROXY_PORT, PORT_BASE + 1)
  await proxy.listen()
  t.teardown(() => proxy.close())
  const log = captureSessionLog(t)
  const { url, tablesPort } = await startSandbox(t, {
    ARC_SESSION_TABLE_NAME: 'sessions',
    ARC_APP_SECRET: SECRET,
    AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${PROXY_PORT}`,
  })
  const db = testClient(tablesPort)
  t.teardown(() => db.destroy())

  const visitor = new Visitor(url)
  const cookie = () => ({ cookie: `_idx=${visitor.cookie}` })
  const item = async () => getItem(db, TABLE, idOfCookie(visitor.cookie!))

  /** Sends a failing request; returns its response and the [session] lines it logged. */
  const failing = async (t: Tap, method: 'GET' | 'POST', path: string): Promise<{ response: Response; logged: string[] }> => {
    const before = log.lines.length
    const response = await request(method, `${url}${path}`, { headers: cookie() })
    await log.waitFor(before + 1)
    // A healthy request after it: by its answer, the failing function's process is long gone.
    t.equal((await request('GET', `${url}/`)).status, 200, 'a new visitor still gets the page meanwhile')
    return { response, logged: log.lines.slice(before) }
  }
  const assert503 = (t: Tap, response: Response, what: string) => {
    t.equal(response.status, 503, what)
    t.match(response.headers['retry-after'], /^\d+$/, 'Retry-After')
    t.match(response.headers['content-type'], /^text\/html/)
    t.match(response.body, /not answering/)
    t.equal(response.headers['set-cookie'], undefined, 'the cookie is left alone')
  }

  await t.test('the app reaches DynamoDB through the proxy', async (t) => {
    await visitor.post('/count')
    await visitor.post('/count')
    t.equal(await visitor.count(), 2)
    t.ok(proxy.seen.includes('GetItem') && proxy.seen.includes('PutItem'), 'AWS_ENDPOINT_URL_DYNAMODB is honoured')
  })

  await t.test('DynamoDB unreachable (a dead port): 503, one log line, nothing lost', async (t) => {
    await proxy.close()
    const read = await failing(t, 'GET', '/')
    assert503(t, read.response, 'GET /')
    t.equal(read.logged.length, 1, 'one log line')
    t.match(read.logged[0], /^\[session\] session store unavailable: DynamoDB GetItem on arc-sessions-ts-staging-sessions failed: .*ECONNREFUSED/)
    const write = await failing(t, 'POST', '/count')
    assert503(t, write.response, 'POST /count')
    t.equal(write.logged.length, 1)
    t.match(write.logged[0], /^\[session\] session store unavailable: DynamoDB GetItem on arc-sessions-ts-staging-sessions failed: .*ECONNREFUSED/, 'the read before the write is what fails')
    await proxy.listen()
    t.equal(await visitor.count(), 2, 'back up: the session is as it was')
  })

  await t.test('DynamoDB throttling writes: 503, one log line, nothing half-written', async (t) => {
    const before = await item()
    proxy.faults.set('PutItem', 'throttle')
    const write = await failing(t, 'POST', '/count')
    assert503(t, write.response, 'POST /count')
    t.equal(write.logged.length, 1)
    t.match(write.logged[0], /^\[session\] session store unavailable: DynamoDB PutItem on .* failed: ProvisionedThroughputExceededException/)
    t.strictSame(await item(), before, 'the item is untouched')
    proxy.faults.clear()
    await visitor.post('/count')
    t.equal(await visitor.count(), 3, 'the next write counts from where it was')
  })

  await t.test('DynamoDB not answering: 503 after the SDK timeout, one log line', async (t) => {
    proxy.faults.set('GetItem', 'hang')
    const read = await failing(t, 'GET', '/')
    assert503(t, read.response, 'GET /')
    t.equal(read.logged.length, 1)
    t.match(read.logged[0], /^\[session\] session store unavailable: DynamoDB GetItem on .* failed: TimeoutError/)
    proxy.faults.clear()
    t.equal(await visitor.count(), 3)
  })

  /** A POST /count when the proxy drops `drops` of its PutItem replies: 303 and +1, or 503 and at most +1; never +2. */
  const postWithDrops = async (t: Tap, operation: string, drops: ('reply' | 'request')[]) => {
    const before = await visitor.count()
    proxy.drops.set(operation, [...drops])
    const response = await request('POST', `${url}/count`, { headers: cookie() })
    proxy.drops.clear()
    const after = await visitor.count()
    t.ok(response.status === 303 ? after === before + 1 : response.status === 503 && after - before <= 1, `answered ${response.status}, count ${before} → ${after}`)
    return { response, rise: after - before }
  }

  await t.test('the first write\'s reply is lost: 303, and the count rises by exactly one', async (t) => {
    const { response, rise } = await postWithDrops(t, 'PutItem', ['reply'])
    t.equal(response.status, 303)
    t.equal(rise, 1)
  })

  await t.test('the first two writes\' replies are lost: read back, it landed: 303, +1', async (t) => {
    const { response, rise } = await postWithDrops(t, 'PutItem', ['reply', 'reply'])
    t.equal(response.status, 303)
    t.equal(rise, 1)
  })

  await t.test('a delete\'s reply is lost: the reset still ends the old session, once', async (t) => {
    const old = visitor.cookie!
    proxy.drops.set('DeleteItem', ['reply'])
    const response = await visitor.post('/reset')
    proxy.drops.clear()
    t.equal(response.status, 303)
    t.equal(await getItem(db, TABLE, idOfCookie(old)), undefined, 'the old item is gone')
    t.not(visitor.cookie, old, 'a new session')
    t.equal(await visitor.count(), 0)
  })

  await t.test(`${CONCURRENT_POSTS} concurrent POST /count with one cookie: +${CONCURRENT_POSTS}, DynamoDB calls counted`, async (t) => {
    await visitor.post('/count')
    const start = await visitor.count()
    proxy.seen.length = 0
    const statuses: number[] = []
    for (let sent = 0; sent < CONCURRENT_POSTS; sent += WAVE) {
      const wave = Array.from({ length: Math.min(WAVE, CONCURRENT_POSTS - sent) }, () => request('POST', `${url}/count`, { headers: cookie() }))
      statuses.push(...(await Promise.all(wave)).map((r) => r.status))
    }
    const calls = proxy.seen.length
    const byOperation = ['GetItem', 'PutItem', 'DeleteItem'].map((op) => `${proxy.seen.filter((o) => o === op).length} ${op}`).join(', ')
    t.comment(`contention figure: ${calls} DynamoDB calls for ${CONCURRENT_POSTS} posts (${byOperation}), ${(calls / CONCURRENT_POSTS).toFixed(1)} per request, waves of ${WAVE}`)
    t.strictSame(statuses, Array(CONCURRENT_POSTS).fill(303))
    t.equal(await visitor.count(), start + CONCURRENT_POSTS)
  })
})
