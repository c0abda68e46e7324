/**
 * The DynamoDB store at its edges, on a real local DynamoDB with the store's calls recorded:
 * items that other code wrote (no `_ttl`, an odd `_v`), the 400 KB limit to the byte (B4), and a
 * store made without a signing secret.
 */
import t from 'tap'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { itemBytes, MAX_ITEM_BYTES } from '../../src/shared/session/providers/ddb/item'
import { SessionTooLargeError } from '../../src/shared/session/core/errors'
import { sessionLifetime } from '../../src/shared/session/core/lifetime'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { getItem, idOfCookie, putItem, recordedClient, startDynalite } from '../helpers/dynamodb'
import { rejectionOf, thrownBy } from '../helpers/errors'

const TABLE = 'edge-sessions'
const SECRET = 'edge-test-secret-0123456789abcdefghij'
const NOW = 1_700_000_000_000
const HOUR = sessionLifetime(3600)

t.test('the DynamoDB store at its edges', async (t) => {
  const { client, port } = await startDynalite(t, TABLE)
  const recorded = recordedClient(t, port)
  const store = createDynamoDbStore({ client: recorded.client, table: TABLE, signingSecrets: [SECRET], lifetime: HOUR })

  t.test('an item without _ttl is a live session, given one by its next read', async (t) => {
    await putItem(client, TABLE, { _idx: { S: 'NoTtlItem000000000000000' }, _secret: { S: 's' }, n: { N: '1' } })
    const loaded = await store.load(signId('NoTtlItem000000000000000', SECRET), NOW)
    t.strictSame([loaded.data, loaded.exists, loaded.refresh], [{ n: 1 }, true, true])
    await store.save(loaded, loaded.data, NOW)
    t.strictSame((await getItem(client, TABLE, 'NoTtlItem000000000000000'))?.['_ttl'], { N: String(NOW / 1000 + 3600) })
  })

  t.test('a _v that is not ours (a number below 0, or not whole) starts again at write 1, and the write is still conditional on it', async (t) => {
    for (const [id, version] of [['NegativeVersion000000000', '-4'], ['FractionVersion000000000', '2.5']] as const) {
      await putItem(client, TABLE, { _idx: { S: id }, _secret: { S: 's' }, _ttl: { N: String(NOW / 1000 + 3600) }, _v: { N: version } })
      const loaded = await store.load(signId(id, SECRET), NOW)
      recorded.calls.splice(0)
      await store.save(loaded, { n: 2 }, NOW)
      const [put] = recorded.calls.splice(0)
      t.strictSame(put?.input['ExpressionAttributeValues'], { ':v': { N: version } }, `${version}: on condition of the version read`)
      t.match((await getItem(client, TABLE, id))?.['_v']?.S, /^1 [A-Za-z0-9_-]{16}$/, `${version}: then write number 1, with its token`)
    }
    const fresh = decodeURIComponent(await store.save(await store.load(undefined, NOW), { n: 1 }, NOW))
    await store.save(await store.load(fresh, NOW), { n: 2 }, NOW)
    t.match((await getItem(client, TABLE, idOfCookie(fresh)))?.['_v']?.S, /^2 [A-Za-z0-9_-]{16} [A-Za-z0-9_-]{16}$/, 'ours count up from 1, newest token first')
  })

  t.test('an item of exactly 400 KB is written; one byte more is refused before any call', async (t) => {
    const empty = await store.load(undefined, NOW)
    // The store's own attributes are the same size for every new item: measure them once.
    const overhead = itemBytes({ _idx: { S: 'x'.repeat(24) }, _secret: { S: 'x'.repeat(24) }, _ttl: { N: String(NOW / 1000 + 3600) }, _v: { S: `1 ${'x'.repeat(16)}` }, _created: { N: String(NOW / 1000) }, blob: { S: '' } })
    const exact = MAX_ITEM_BYTES - overhead
    recorded.calls.splice(0)
    const cookie = await store.save(empty, { blob: 'x'.repeat(exact) }, NOW)
    t.equal((await getItem(client, TABLE, idOfCookie(cookie)))?.['blob']?.S?.length, exact, 'exactly at the limit: written')
    recorded.calls.splice(0)
    const over = await rejectionOf(store.save(empty, { blob: 'x'.repeat(exact + 1) }, NOW))
    t.ok(over instanceof SessionTooLargeError)
    t.strictSame([(over as SessionTooLargeError).size, (over as SessionTooLargeError).limit], [MAX_ITEM_BYTES + 1, MAX_ITEM_BYTES])
    t.strictSame(recorded.calls, [], 'no call for an item that cannot fit')
  })

  t.test('a store without a signing secret cannot be made', async (t) => {
    const error = thrownBy(() => createDynamoDbStore({ client, table: TABLE, signingSecrets: [], lifetime: HOUR }))
    t.strictSame([error instanceof RangeError, (error as Error).message], [true, 'the DynamoDB store needs a signing secret'])
  })
})
