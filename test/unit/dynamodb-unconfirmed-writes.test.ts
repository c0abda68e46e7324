/**
 * What the DynamoDB store answers when a write or delete is not confirmed (docs/dynamodb.md, "What
 * a 303 and a 503 mean"), told by the calls it makes and the error it throws: a condition refused
 * on the only send is a conflict with no read back, a send that went unanswered is read back, a
 * write still pending is sent once more and at most twice in all, and every "cannot tell" is a
 * SessionWriteUncertainError that says what was sent and keeps why as its cause. Real network
 * faults from a TCP proxy in front of a real local DynamoDB (dynalite), through the real SDK
 * client; test/unit/dynamodb-once.test.ts covers the same paths through the retry loop.
 */
import t, { type Test } from 'tap'
import { GetItemCommand, ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { SessionConflictError, SessionStoreUnavailableError, SessionWriteUncertainError } from '../../src/shared/session/core/errors'
import { DEFAULT_LIFETIME } from '../../src/shared/session/core/lifetime'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { faultRig, type FaultRig as Rig } from '../helpers/dynamodb-fault-rig'
import { getItem, idOfCookie, putItem, type Item } from '../helpers/dynamodb'
import { rejectionOf } from '../helpers/errors'

const TABLE = 'unconfirmed-sessions'
const SECRET = 'unconfirmed-test-secret-0123456789abcd'
const NOW = 1_700_000_000_000
const TTL = { N: String(NOW / 1000 + DEFAULT_LIFETIME.ttlSeconds) }
/** A dropped request: the SDK sends it once more (its two attempts, ddb/timeouts.ts), and both are lost. */
const SEND_LOST = ['request', 'request'] as const

const rig = (t: Test) => faultRig(t, TABLE, SECRET)

/** A session of ours (its `_v` a string of tokens), read back through the store under test; the proxy's record starts after. */
async function ours(r: Rig, count: number): Promise<{ cookie: string; id: string }> {
  const cookie = await r.other.save(await r.other.load(undefined, NOW), { count }, NOW)
  return { cookie, id: idOfCookie(cookie) }
}

/** An item other code wrote (`_v` absent or a number), as the store under test reads it. */
async function foreign(r: Rig, id: string, version?: Item[string]): Promise<string> {
  await putItem(r.direct, TABLE, { _idx: { S: id }, _secret: { S: 'foreign-secret' }, _ttl: TTL, _created: { N: String(NOW / 1000) }, n: { N: '1' }, ...(version ? { _v: version } : {}) })
  return signId(id, SECRET)
}

/** Drops the next sends of `operation` as told, and runs `then` (once) when the first is dropped. */
function dropNext(r: Rig, operation: string, drops: readonly ('request' | 'reply')[], then?: () => Promise<void>): void {
  r.proxy.drops.set(operation, [...drops])
  r.proxy.onDrop = async () => {
    r.proxy.onDrop = undefined
    await then?.()
  }
}

/** The SDK's error for a connection that broke mid-call (what a dropped send fails with). */
const BROKEN_CONNECTION = /socket hang up|ECONNRESET/

t.test('a condition refused on the only send is a conflict at once: no read back', async (t) => {
  const r = await rig(t)
  const { cookie } = await ours(r, 1)
  const stale = await r.store.load(cookie, NOW)
  await r.other.save(await r.other.load(cookie, NOW), { count: 2 }, NOW)
  r.proxy.seen.splice(0)
  await t.rejects(r.store.save(stale, { count: 5 }, NOW), SessionConflictError)
  await t.rejects(r.store.destroy(stale), SessionConflictError)
  t.strictSame(r.proxy.seen, ['PutItem', 'DeleteItem'], 'one call each: a refused condition needs no read back')
})

t.test('a write still pending after its second send is SessionWriteUncertainError: never a third send', async (t) => {
  const r = await rig(t)
  const { cookie, id } = await ours(r, 1)
  const loaded = await r.store.load(cookie, NOW)
  r.proxy.seen.splice(0)
  dropNext(r, 'PutItem', [...SEND_LOST, ...SEND_LOST])
  const error = await rejectionOf(r.store.save(loaded, { count: 2 }, NOW))
  t.type(error, SessionWriteUncertainError)
  t.equal((error as Error).message, `DynamoDB PutItem on ${TABLE} was sent but not confirmed`)
  t.match(String((error as Error).cause), BROKEN_CONNECTION, 'the lost send is the cause')
  t.strictSame(r.proxy.seen, ['PutItem', 'PutItem', 'GetItem', 'PutItem', 'PutItem', 'GetItem'], 'sent, read back (pending), sent again, read back: then given up')
  t.strictSame((await getItem(r.direct, TABLE, id))?.['count'], { N: '1' }, 'nothing landed')
})

t.test('a write whose session is gone when read back cannot be told apart: SessionWriteUncertainError, not sent again', async (t) => {
  const r = await rig(t)
  const { cookie, id } = await ours(r, 1)
  const loaded = await r.store.load(cookie, NOW)
  r.proxy.seen.splice(0)
  // Another request ends the session while our write is on its way (and lost).
  dropNext(r, 'PutItem', SEND_LOST, async () => r.other.destroy(await r.other.load(cookie, NOW)))
  const error = await rejectionOf(r.store.save(loaded, { count: 2 }, NOW))
  t.type(error, SessionWriteUncertainError)
  t.equal((error as Error).message, `DynamoDB PutItem on ${TABLE} was sent but not confirmed`)
  t.match(String((error as Error).cause), BROKEN_CONNECTION)
  t.strictSame(r.proxy.seen, ['PutItem', 'PutItem', 'GetItem'], 'read back once, and not sent again')
  t.equal(await getItem(r.direct, TABLE, id), undefined)
})

t.test('a write whose read back fails is SessionWriteUncertainError naming both, with the read\'s error as its cause', async (t) => {
  const r = await rig(t)
  const { cookie } = await ours(r, 1)
  const loaded = await r.store.load(cookie, NOW)
  dropNext(r, 'PutItem', ['reply', 'reply'], async () => void r.proxy.faults.set('GetItem', 'throttle'))
  const error = await rejectionOf(r.store.save(loaded, { count: 2 }, NOW))
  t.type(error, SessionWriteUncertainError)
  t.equal((error as Error).message, `DynamoDB PutItem on ${TABLE} was sent but not confirmed, and reading the session back failed`)
  const cause = (error as Error).cause
  t.type(cause, SessionStoreUnavailableError)
  t.equal((cause as Error).message, `DynamoDB GetItem on ${TABLE} failed`)
})

t.test('a second send refused (throttled) after the first went unanswered is still SessionWriteUncertainError: the first may land yet', async (t) => {
  const r = await rig(t)
  const { cookie } = await ours(r, 1)
  const loaded = await r.store.load(cookie, NOW)
  r.proxy.seen.splice(0)
  dropNext(r, 'PutItem', SEND_LOST)
  r.proxy.faults.set('PutItem', 'throttle')
  const error = await rejectionOf(r.store.save(loaded, { count: 2 }, NOW))
  t.type(error, SessionWriteUncertainError)
  t.equal((error as Error).message, `DynamoDB PutItem on ${TABLE} was sent but not confirmed`)
  t.equal(((error as Error).cause as Error).name, 'ProvisionedThroughputExceededException', 'the refusal of the last send is the cause')
  t.strictSame(r.proxy.seen, ['PutItem', 'PutItem', 'GetItem', 'PutItem', 'PutItem', 'GetItem'])
})

t.test('a write or delete refused on its first send names its operation', async (t) => {
  const r = await rig(t)
  const { cookie } = await ours(r, 1)
  const loaded = await r.store.load(cookie, NOW)
  r.proxy.faults.set('PutItem', 'throttle')
  r.proxy.faults.set('DeleteItem', 'throttle')
  const put = await rejectionOf(r.store.save(loaded, { count: 2 }, NOW))
  t.type(put, SessionStoreUnavailableError)
  t.equal((put as Error).message, `DynamoDB PutItem on ${TABLE} failed`)
  const remove = await rejectionOf(r.store.destroy(loaded))
  t.type(remove, SessionStoreUnavailableError)
  t.equal((remove as Error).message, `DynamoDB DeleteItem on ${TABLE} failed`)
})

t.test('a client whose send throws at once (rather than rejecting) sent nothing: its error is the answer, with no read back', async (t) => {
  const r = await rig(t)
  const { cookie } = await ours(r, 1)
  let reads = 0
  const send = (command: unknown) => {
    if (command instanceof GetItemCommand) return (reads++, r.direct.send(command))
    throw new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded', $metadata: { httpStatusCode: 400 } })
  }
  const store = createDynamoDbStore({ client: { send: send as DynamoDBClient['send'] }, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
  const loaded = await store.load(cookie, NOW)
  const error = await rejectionOf(store.save(loaded, { count: 2 }, NOW))
  t.type(error, SessionStoreUnavailableError)
  t.equal((error as Error).message, `DynamoDB PutItem on ${TABLE} failed`)
  t.equal(reads, 1, 'the load\'s read only')
})

t.test('a lost delete of an item other code wrote is judged by its _v as read', async (t) => {
  const r = await rig(t)

  t.test('no _v, and still none when read back: pending, so sent again, and the session is ended', async (t) => {
    const cookie = await foreign(r, 'NoVersionPending00000000')
    const loaded = await r.store.load(cookie, NOW)
    dropNext(r, 'DeleteItem', SEND_LOST)
    await r.store.destroy(loaded)
    t.equal(await getItem(r.direct, TABLE, 'NoVersionPending00000000'), undefined)
  })

  t.test('no _v when read, one when read back (another request wrote it): a conflict', async (t) => {
    const cookie = await foreign(r, 'NoVersionRewritten000000')
    const loaded = await r.store.load(cookie, NOW)
    dropNext(r, 'DeleteItem', SEND_LOST, async () => {
      await r.other.save(await r.other.load(cookie, NOW), { n: 2 }, NOW)
    })
    await t.rejects(r.store.destroy(loaded), SessionConflictError)
    t.strictSame((await getItem(r.direct, TABLE, 'NoVersionRewritten000000'))?.['n'], { N: '2' }, 'the other request\'s write is kept')
  })

  t.test('a numeric _v, the same when read back: pending, so sent again, and the session is ended', async (t) => {
    const cookie = await foreign(r, 'NumberVersionPending0000', { N: '-4' })
    const loaded = await r.store.load(cookie, NOW)
    dropNext(r, 'DeleteItem', SEND_LOST)
    await r.store.destroy(loaded)
    t.equal(await getItem(r.direct, TABLE, 'NumberVersionPending0000'), undefined)
  })

  t.test('a numeric _v, another number when read back (other code wrote it): a conflict', async (t) => {
    const cookie = await foreign(r, 'NumberVersionRewritten00', { N: '-4' })
    const loaded = await r.store.load(cookie, NOW)
    dropNext(r, 'DeleteItem', SEND_LOST, async () => {
      await foreign(r, 'NumberVersionRewritten00', { N: '7' })
    })
    await t.rejects(r.store.destroy(loaded), SessionConflictError)
    t.strictSame((await getItem(r.direct, TABLE, 'NumberVersionRewritten00'))?.['_v'], { N: '7' }, 'the other write is kept')
  })
})

t.test('a write whose reply is lost, to an item that had no _v: read back as landed, not sent again', async (t) => {
  const r = await rig(t)
  const cookie = await foreign(r, 'NoVersionWriteLanded0000')
  const loaded = await r.store.load(cookie, NOW)
  r.proxy.seen.splice(0)
  dropNext(r, 'PutItem', ['reply'])
  await r.store.save(loaded, { n: 2 }, NOW)
  t.strictSame(r.proxy.seen, ['PutItem', 'PutItem', 'GetItem'], 'the SDK\'s retry was refused by the condition, and the read back found ours')
  t.strictSame((await getItem(r.direct, TABLE, 'NoVersionWriteLanded0000'))?.['n'], { N: '2' })
})
