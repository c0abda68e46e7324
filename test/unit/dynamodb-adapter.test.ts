/**
 * The app's real handlers in DynamoDB mode, against a real local DynamoDB, with every request that
 * reaches it recorded on the wire: lazy creation (contract B5: a visitor who only looks, or sends a
 * forged cookie, costs no call), consistent reads (A4), conditional writes (B7) and a reset that
 * writes the new session before it deletes the old one (B8).
 */
import path from 'node:path'
import t from 'tap'
import { handler as getIndex } from '../../src/http/get-index'
import { handler as postCount } from '../../src/http/post-count'
import { handler as postReset } from '../../src/http/post-reset'
import { read, write } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { getItem, idOfCookie, recordRequests, startDynalite } from '../helpers/dynamodb'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole, lambdaEvent, setCookieValue } from '../helpers/lambda-event'

const TABLE = 'adapter-app-staging-sessions'
const SECRET = 'dynamodb-adapter-test-secret-0123456789'

function dynamodbEnv(port: number) {
  return {
    ...CLEAN_SESSION_ENV,
    ARC_ENV: 'testing',
    ARC_APP_NAME: 'adapter-app',
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: 'sessions',
    // The table from the deploy plugin's variable: no service discovery, so every request below is the store's.
    ARC_TABLE_NAMES: JSON.stringify({ sessions: TABLE }),
    ARC_SANDBOX: JSON.stringify({ cwd: path.resolve(__dirname, '..', '..'), ports: { tables: port, _arc: 1 } }),
  }
}

t.test('the handlers in DynamoDB mode: what each request asks of DynamoDB', async (t) => {
  const { port, server } = await startDynalite(t, TABLE)
  const requests = recordRequests(server)
  const logs = captureConsole(t)
  await withEnv(dynamodbEnv(port), async () => {
    resetConfig()
    const calls = () => requests.splice(0).map(({ operation, body }) => ({ operation, body }))

    const looked = await getIndex(lambdaEvent())
    t.equal(looked.statusCode, 200)
    t.equal(looked.headers['set-cookie'], undefined)
    t.strictSame(calls(), [], 'B5: a cookieless GET / makes no call at all')

    const forged = await getIndex(lambdaEvent({ sessionCookie: encodeURIComponent(signId('Vv0uuEz_tTdtpq1UjUvsm8dc', 'fallback')) }))
    t.equal(forged.statusCode, 200)
    t.strictSame(calls(), [], 'a cookie signed with another secret is refused without a call')

    const counted = await postCount(lambdaEvent({ method: 'POST', path: '/count' }))
    t.equal(counted.statusCode, 303)
    const cookie = setCookieValue(counted) ?? ''
    const id = idOfCookie(cookie)
    const [created] = calls()
    t.strictSame(created?.operation, 'PutItem', 'one write for the first count')
    t.strictSame(
      { ...created?.body, Item: { ...(created?.body['Item'] as object), _secret: undefined, _ttl: undefined, _v: undefined, _created: undefined } },
      {
        TableName: TABLE,
        Item: { _idx: { S: id }, _secret: undefined, _ttl: undefined, _v: undefined, _created: undefined, count: { N: '1' } },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': '_idx' },
      },
      'B7: a new item, on condition that its id is not taken; the count as a number',
    )

    const page = await getIndex(lambdaEvent({ sessionCookie: cookie }))
    t.equal(page.headers['set-cookie'], undefined, 'an unchanged session is not written back')
    t.strictSame(calls(), [{ operation: 'GetItem', body: { TableName: TABLE, Key: { _idx: { S: id } }, ConsistentRead: true } }], 'A4: one consistent read, and no write')

    await postCount(lambdaEvent({ method: 'POST', path: '/count', sessionCookie: cookie }))
    const [read, written] = calls()
    t.strictSame(read?.operation, 'GetItem')
    t.strictSame(
      { operation: written?.operation, condition: written?.body['ConditionExpression'], values: written?.body['ExpressionAttributeValues'], count: (written?.body['Item'] as Record<string, unknown>)['count'] },
      { operation: 'PutItem', condition: '#v = :v', values: { ':v': (created?.body['Item'] as Record<string, unknown>)['_v'] }, count: { N: '2' } },
      'B7: the write is conditional on the version read',
    )

    const reset = await postReset(lambdaEvent({ method: 'POST', path: '/reset', sessionCookie: cookie }))
    const next = idOfCookie(setCookieValue(reset) ?? '')
    t.not(next, id, 'B8: a new id')
    t.strictSame(
      calls().map(({ operation, body }) => [operation, (body['Key'] ?? body['Item']) as object]).map(([operation, key]) => [operation, (key as Record<string, unknown>)['_idx']]),
      [
        ['GetItem', { S: id }],
        ['PutItem', { S: next }],
        ['DeleteItem', { S: id }],
      ],
      'B8: the new session is saved before the old item is deleted',
    )
  })
  logs.restore()
  t.strictSame(logs.lines, [], 'all of it quietly')
})

t.test('read and write keep the session they were given: by the request, or by the object read returned', async (t) => {
  const { port, server, client } = await startDynalite(t, TABLE)
  const requests = recordRequests(server)
  await withEnv(dynamodbEnv(port), async () => {
    resetConfig()
    const value = /^_idx=([^;]+)/.exec(await write({ count: 1 }))?.[1] ?? ''
    const id = idOfCookie(value)
    /** Each call since the last look, and whether it was about this session's item. */
    const operations = () => requests.splice(0).map(({ operation, body }) => `${operation} ${JSON.stringify(body['Key'] ?? body['Item']).includes(id) ? 'this' : 'other'}`)
    const req = { headers: { cookie: `_idx=${value}` } }

    const session = await read(req)
    t.strictSame(session, { count: 1 })
    requests.splice(0)
    t.equal(/^_idx=([^;]+)/.exec(await write({ ...session, count: 2 }, req))?.[1], value, 'by the request: the same id')
    t.strictSame(operations(), ['PutItem this'])
    const again = await read(req)
    t.equal(/^_idx=([^;]+)/.exec(await write(Object.assign(again, { count: 3 })))?.[1], value, 'by the object read returned: the same id')
    t.strictSame((await getItem(client, TABLE, id))?.['count'], { N: '3' })
    requests.splice(0)
    const fresh = /^_idx=([^;]+)/.exec(await write({ count: 9 }))?.[1] ?? ''
    t.not(idOfCookie(fresh), id, 'neither: a new session')
    requests.splice(0)
    t.equal(await write({}, await readAnd(req)), '_idx=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax', '{} ends the session')
    t.strictSame(operations(), ['GetItem this', 'DeleteItem this'], 'and deletes its item')
    t.equal(await getItem(client, TABLE, id), undefined)
  })
})

/** Reads the request's session, so that a write given the request continues it. */
async function readAnd<R extends { headers: Record<string, string> }>(req: R): Promise<R> {
  await read(req)
  return req
}
