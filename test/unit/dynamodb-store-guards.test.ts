/**
 * The DynamoDB store's guards against what it did not make, on a real local DynamoDB: a stored
 * item whose data could not be written back within 400 KB reads as a new visitor's (to the byte),
 * an item whose `_secret` is not a string is no session, a session too large to write is refused
 * with a message naming the limit, and a loaded session whose handle is not one of this store's
 * items is written under a new id, never to an item it did not read.
 */
import t from 'tap'
import { createDynamoDbClient } from '../../src/shared/session/providers/ddb/client'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { SessionTooLargeError } from '../../src/shared/session/core/errors'
import { DEFAULT_LIFETIME } from '../../src/shared/session/core/lifetime'
import { itemBytes, MAX_ITEM_BYTES } from '../../src/shared/session/providers/ddb/item'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { FaultProxy } from '../helpers/fault-proxy'
import { getItem, idOfCookie, putItem, startDynalite } from '../helpers/dynamodb'
import { rejectionOf } from '../helpers/errors'
import { captureConsole } from '../helpers/lambda-event'

const TABLE = 'guarded-sessions'
const SECRET = 'guards-test-secret-0123456789abcdefgh'
const NOW = 1_700_000_000_000
const LOCAL = { kind: 'sandbox', ports: { tables: 1, internal: 1 } } as const
/** What the store adds to the data when it writes an item, at most (store.ts budgets 512 bytes). */
const OWN_ATTRIBUTES_BYTES = 512
const LIVE = { _secret: { S: 'stored-secret' }, _ttl: { N: String(NOW / 1000 + DEFAULT_LIFETIME.ttlSeconds) }, _created: { N: String(NOW / 1000) } }

t.test('the DynamoDB store on what it did not make', async (t) => {
  const { client, port } = await startDynalite(t, TABLE)
  const store = createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })

  t.test('stored data that would fit a write back with the store\'s own attributes is read; a byte more reads as a new visitor\'s', async (t) => {
    // The data's share of an item is its attribute; the store's own attributes are budgeted apart.
    const fitting = MAX_ITEM_BYTES - OWN_ATTRIBUTES_BYTES - itemBytes({ blob: { S: '' } })
    await putItem(client, TABLE, { _idx: { S: 'FitsWithOwnAttributes000' }, ...LIVE, blob: { S: 'x'.repeat(fitting) } })
    await putItem(client, TABLE, { _idx: { S: 'OneByteTooLargeToRenew00' }, ...LIVE, blob: { S: 'x'.repeat(fitting + 1) } })
    const fits = await store.load(signId('FitsWithOwnAttributes000', SECRET), NOW)
    t.strictSame([fits.exists, (fits.data['blob'] as string).length], [true, fitting], 'at the budget: a session')
    const logs = captureConsole(t)
    const over = await store.load(signId('OneByteTooLargeToRenew00', SECRET), NOW)
    logs.restore()
    t.strictSame(over, { data: {}, exists: false, refresh: false, unreadable: 'unusable' }, 'one byte over: a new visitor\'s')
    t.strictSame(logs.lines, [`[session] stored session unusable (about ${MAX_ITEM_BYTES + 1} bytes, too large to be written back): read as a new visitor's`])
  })

  t.test('a session too large for an item is refused with a message naming the limit', async (t) => {
    const error = await rejectionOf(store.save(await store.load(undefined, NOW), { blob: 'x'.repeat(MAX_ITEM_BYTES) }, NOW))
    t.type(error, SessionTooLargeError)
    t.match((error as Error).message, /^the session is \d+ bytes, over the 409600-byte limit of a DynamoDB item$/)
  })

  t.test('a loaded session whose handle is not one of this store\'s items is written under a new id, and ending it deletes nothing', async (t) => {
    const foreignId = 'SomeoneElsesItem00000000'
    await putItem(client, TABLE, { _idx: { S: foreignId }, ...LIVE, n: { N: '1' } })
    const before = await getItem(client, TABLE, foreignId)
    const handles: unknown[] = [null, { id: foreignId }, { id: foreignId, secret: 5 }, { secret: 'stored-secret' }, { id: 7, secret: 'stored-secret' }]
    for (const handle of handles) {
      const loaded = { data: { n: 1 }, exists: true, refresh: false, handle }
      const cookie = await store.save(loaded, { n: 2 }, NOW)
      const id = idOfCookie(cookie)
      t.not(id, foreignId, `${JSON.stringify(handle)}: a new id`)
      t.strictSame((await getItem(client, TABLE, id))?.['n'], { N: '2' }, `${JSON.stringify(handle)}: written there`)
      await store.destroy(loaded)
    }
    t.strictSame(await getItem(client, TABLE, foreignId), before, 'the item that was not read is untouched')
  })

  t.test('an item whose _secret is not a string (the SDK passes what the answer holds) is no session', async (t) => {
    const proxy = new FaultProxy(0, port)
    const proxyPort = await proxy.listen()
    t.teardown(() => proxy.close())
    const proxied = createDynamoDbClient(LOCAL, { AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${proxyPort}` })
    t.teardown(() => proxied.destroy())
    await putItem(client, TABLE, { _idx: { S: 'SecretNotAString00000000' }, ...LIVE, _secret: { S: 'replaced-by-a-number' }, n: { N: '1' } })
    proxy.rewrite = (operation, body) => (operation === 'GetItem' ? body.replace('"replaced-by-a-number"', '5') : body)
    const through = createDynamoDbStore({ client: proxied, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
    t.strictSame(await through.load(signId('SecretNotAString00000000', SECRET), NOW), { data: {}, exists: false, refresh: false, unreadable: 'unknown' })
  })
})
