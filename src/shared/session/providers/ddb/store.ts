/**
 * DynamoDB sessions: the cookie carries a signed id, the item carries the data (docs/dynamodb.md).
 * Nothing is created until there is something to keep, an expired item is absent, every write and
 * every delete is conditional on the version it read so concurrent requests cannot overwrite each
 * other, a write whose answer was lost is read back to tell whether it landed (so a request applies
 * once), destroy deletes, and a cookie from cookie mode is carried into a new item (carry-over.ts).
 */
import { randomBytes } from 'node:crypto'
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SessionConflictError, SessionTooLargeError, SessionWriteUncertainError } from '../../core/errors'
import { absoluteLifetimeOver, beganAt, renewalDue, type SessionLifetime } from '../../core/lifetime'
import type { CarryOver } from '../carry-over'
import { noSession, unusableSession, type SessionStore } from '../store'
import { CREATED, dataToItem, ID, itemBytes, itemToData, MAX_ITEM_BYTES, SECRET, TTL, VERSION, type Item } from './item'
import { storeError } from './errors'
import { watchAnswers } from './attempts'
import { signId, verifySignedId } from './signed-id'
import { newWriteToken, nextVersion, parseVersion, writeOutcome, type Version } from './version'

export interface DynamoDbStoreOptions {
  /** A DynamoDB client; tests pass one that fails on purpose. */
  readonly client: Pick<DynamoDBClient, 'send'>
  /** The physical table name, or how to find it: looked up on the first call that needs it. */
  readonly table: string | (() => Promise<string>)
  /** Current secret first (it signs new cookies), then previous ones (still accepted). */
  readonly signingSecrets: readonly string[]
  /** Reads a cookie from JWE mode (providers/carry-over.ts); absent, such a cookie is no session. */
  readonly carryOver?: CarryOver | undefined
  /** ARC_SESSION_TTL: `_ttl` is the last use plus this, and a read renews it (docs/sessions.md). */
  readonly lifetime: SessionLifetime
}

/** What a loaded session remembers of its item, for the conditional write that follows. */
interface ItemHandle {
  readonly id: string
  readonly secret: string
  /** `_v` exactly as read (the condition of the next write); absent on an item @architect/functions created. */
  readonly version: AttributeValue | undefined
}

/** The store's own attributes, at most (a 24-character id and secret, a `_ttl`, a `_v` of HISTORY tokens). */
const OWN_ATTRIBUTES_BYTES = 512

/** Sends of one write: the first, and once more when reading back shows it has not landed yet. */
const MAX_SENDS = 2

type Outcome = 'landed' | 'pending' | 'lost' | 'unknown'

export function createDynamoDbStore(options: DynamoDbStoreOptions): SessionStore {
  const { client, signingSecrets, carryOver, lifetime } = options
  const [signingSecret] = signingSecrets
  if (!signingSecret) throw new RangeError('the DynamoDB store needs a signing secret')
  const tableOption = options.table
  const tableName = typeof tableOption === 'string' ? () => Promise.resolve(tableOption) : tableOption

  async function call<T>(operation: string, send: (table: string) => Promise<T>, size?: number): Promise<T> {
    // Outside the try: a failed lookup is already the error to report.
    const table = await tableName()
    try {
      return await send(table)
    } catch (error) {
      throw storeError(error, operation, table, size)
    }
  }

  const readItem = (id: string) =>
    call('GetItem', async (table) => (await client.send(new GetItemCommand({ TableName: table, Key: { [ID]: { S: id } }, ConsistentRead: true }))).Item)

  /**
   * Sends a conditional write and makes sure it applies at most once: when its answer is lost (or
   * its condition fails after the SDK sent it more than once), the item is read back and `judge`
   * says whether the write landed. A write that certainly did not land is a conflict (the adapter
   * runs the handler again); one that cannot be told apart is SessionWriteUncertainError (a 503
   * that docs/dynamodb.md calls "maybe applied").
   */
  async function writeOnce(operation: string, id: string, send: (table: string, watch: { lost: boolean }) => Promise<unknown>, judge: (item: Item | undefined) => Outcome, size?: number): Promise<void> {
    const table = await tableName()
    for (let sends = 1; ; sends++) {
      const watch = { lost: false }
      let failure: unknown
      try {
        await send(table, watch)
        return
      } catch (error) {
        failure = error
      }
      // Nothing of this write can have landed unless some send of it went unanswered. When none
      // did, storeError says what the refusal means: a failed condition is a conflict (another
      // request wrote first), throttling is "unavailable", anything else a bug.
      const firstTry = sends === 1 && !watch.lost
      if (firstTry) throw storeError(failure, operation, table, size)
      let now: Item | undefined
      try {
        now = await readItem(id)
      } catch (readError) {
        throw new SessionWriteUncertainError(`DynamoDB ${operation} on ${table} was sent but not confirmed, and reading the session back failed`, { cause: readError })
      }
      const outcome = judge(now)
      if (outcome === 'landed') return
      if (outcome === 'lost') throw new SessionConflictError()
      if (outcome === 'unknown' || sends >= MAX_SENDS) {
        throw new SessionWriteUncertainError(`DynamoDB ${operation} on ${table} was sent but not confirmed`, { cause: failure })
      }
      // `pending`: the item is still the one read, so the same write (same token, same condition) is sent again.
    }
  }

  /** Sends a write with its every attempt watched; `watch.lost` says whether one went unanswered. */
  function sendWatched(command: PutItemCommand | DeleteItemCommand, watch: { lost: boolean }): Promise<unknown> {
    const watched = watchAnswers(command)
    return client.send(command as PutItemCommand).finally(() => {
      watch.lost = watched.lost
    })
  }

  return {
    async load(cookieValue, nowMs) {
      // A cookieless request needs no DynamoDB call, and waits on no table lookup.
      if (cookieValue === undefined) return noSession()
      const verified = verifySignedId(cookieValue, signingSecrets)
      if (!verified.ok) return carryOver ? carryOver(cookieValue, verified.reason, nowMs) : noSession(verified.reason)
      const item = await readItem(verified.id)
      // An item without a `_secret` is not a session (as the reference reads it).
      const secret = item !== undefined && Object.hasOwn(item, SECRET) ? item[SECRET]?.S : undefined
      if (!item || typeof secret !== 'string' || !secret) return noSession('unknown')
      // DynamoDB deletes expired items days late; until then they are absent all the same.
      // Expired at `_ttl` itself, as DynamoDB's own filter for pending deletions has it.
      const ttl = Object.hasOwn(item, TTL) ? Number(item[TTL]?.N) : Number.NaN
      if (ttl * 1000 <= nowMs) return noSession('expired')
      const converted = itemToData(item)
      if (!converted.ok) return unusableSession(converted.why)
      // The absolute lifetime, from `_created`; an item without one (the reference's) begins now.
      const began = beganAt(Number(item[CREATED]?.N), nowMs)
      if (absoluteLifetimeOver(began.beganAt, nowMs, lifetime)) return noSession('expired')
      // What a write of it would store must fit, or renewing it (which a read may do) would fail.
      const size = itemBytes(dataToItem(converted.data)) + OWN_ATTRIBUTES_BYTES
      if (size > MAX_ITEM_BYTES) return unusableSession(`(about ${size} bytes, too large to be written back)`)
      // `_ttl` is the last use plus N: renew it when due, give one to an item that has none,
      // re-sign a cookie made with a previous secret, and record when it began.
      const refresh = !Number.isFinite(ttl) || renewalDue(ttl, nowMs, lifetime) || verified.secretIndex > 0 || !began.recorded
      const version = Object.hasOwn(item, VERSION) ? item[VERSION] : undefined
      const handle: ItemHandle = { id: verified.id, secret, version }
      return { data: converted.data, exists: true, refresh, handle, beganAt: began.beganAt }
    },

    async save(loaded, data, nowMs) {
      const handle = asHandle(loaded.handle)
      // A session that is not continued gets a new id, never one the client chose.
      const id = handle?.id ?? newId()
      const read = parseVersion(handle?.version)
      const token = newWriteToken()
      const item: Item = {
        ...dataToItem(data),
        [ID]: { S: id },
        [SECRET]: { S: handle?.secret ?? newId() },
        [TTL]: { N: String(Math.floor(nowMs / 1000) + lifetime.ttlSeconds) },
        [VERSION]: nextVersion(read, token),
        [CREATED]: { N: String(loaded.beganAt ?? Math.floor(nowMs / 1000)) },
      }
      const size = itemBytes(item)
      if (size > MAX_ITEM_BYTES) throw new SessionTooLargeError(size, MAX_ITEM_BYTES, 'a DynamoDB item')
      const put = (table: string, watch: { lost: boolean }) => sendWatched(new PutItemCommand({ TableName: table, Item: item, ...condition(handle) }), watch)
      await writeOnce('PutItem', id, put, (now) => {
        if (now === undefined) return handle ? 'unknown' : 'pending'
        if (handle && sameVersion(now, handle)) return 'pending'
        return writeOutcome(read, token, parseVersion(now[VERSION]))
      }, size)
      // The cookie codec percent-encodes it.
      return signId(id, signingSecret)
    },

    async destroy(loaded) {
      const handle = asHandle(loaded.handle)
      // A carried-over JWE session has no item: clearing its cookie is all there is to do.
      if (!handle) return
      // Only the version that was read: an end decided on a stale read must not delete a session
      // that a concurrent request has just rewritten (the handler runs again on the new one).
      const remove = (table: string, watch: { lost: boolean }) =>
        sendWatched(new DeleteItemCommand({ TableName: table, Key: { [ID]: { S: handle.id } }, ...condition(handle) }), watch)
      // Once deleted, an id is never written again (a new session gets a new id), so an absent item means ended.
      await writeOnce('DeleteItem', handle.id, remove, (now) => (now === undefined ? 'landed' : sameVersion(now, handle) ? 'pending' : 'lost'))
    },
  }
}

/**
 * A write or delete succeeds only if the item is still the one that was read. A new session must
 * not exist yet; an item @architect/functions made has no `_v` until our first write.
 */
function condition(handle: ItemHandle | undefined): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
  if (!handle) return { ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': ID } }
  if (!handle.version) {
    return { ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#v)', ExpressionAttributeNames: { '#id': ID, '#v': VERSION } }
  }
  return { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': VERSION }, ExpressionAttributeValues: { ':v': handle.version } }
}

/** Whether the item read back still has the `_v` this request read (its write has not landed yet). */
function sameVersion(item: Item, handle: ItemHandle): boolean {
  const now = Object.hasOwn(item, VERSION) ? item[VERSION] : undefined
  const then = handle.version
  if (!now || !then) return !now && !then
  return (now.S !== undefined && now.S === then.S) || (now.N !== undefined && now.N === then.N)
}

/** 18 random bytes, base64url: 24 characters, as uid-safe makes them for the reference. */
function newId(): string {
  return randomBytes(18).toString('base64url')
}

function asHandle(handle: unknown): ItemHandle | undefined {
  if (typeof handle !== 'object' || handle === null) return undefined
  const { id, secret } = handle as Partial<ItemHandle>
  return typeof id === 'string' && typeof secret === 'string' ? (handle as ItemHandle) : undefined
}

export type { Version }
