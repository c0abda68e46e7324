/**
 * DynamoDB sessions: the cookie carries a signed id, the item carries the data (contract A4).
 * Better than the reference where contract B says so: nothing is created until there is
 * something to keep (B5), an expired item is absent (B6), every write is conditional on the
 * version it read so concurrent requests cannot overwrite each other (B7), destroy deletes (B8),
 * and a JWE cookie from cookie mode is carried into a new item (B9).
 */
import { randomBytes } from 'node:crypto'
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient, type PutItemCommandInput } from '@aws-sdk/client-dynamodb'
import { SessionTooLargeError } from '../../core/errors'
import { dataToItem, ID, itemBytes, itemToData, MAX_ITEM_BYTES, SECRET, TTL, VERSION, type Item } from './item'
import { storeError } from './errors'
import type { JweKey } from '../jwe/token'
import { jweRenewalDue, readJweSession } from '../jwe/store'
import { renewalDue, type SessionLifetime } from '../../core/lifetime'
import { signId, verifySignedId } from './signed-id'
import { noSession, type LoadedSession, type SessionStore, type UnreadableReason } from '../store'

export interface DynamoDbStoreOptions {
  /** A DynamoDB client; tests pass one that fails on purpose. */
  readonly client: Pick<DynamoDBClient, 'send'>
  /** The physical table name. */
  readonly table: string
  /** Current secret first (it signs new cookies), then previous ones (still accepted). */
  readonly signingSecrets: readonly string[]
  /** JWE keys, to carry cookie-mode sessions over; empty when the secret makes none. */
  readonly jweKeys: readonly JweKey[]
  /** ARC_SESSION_TTL: `_ttl` is the last use plus this, and a read renews it (contract B12). */
  readonly lifetime: SessionLifetime
}

/** What a loaded session remembers of its item, for the conditional write that follows. */
interface ItemHandle {
  readonly id: string
  readonly secret: string
  /** `_v` as read; absent on an item that @architect/functions created. */
  readonly version: AttributeValue | undefined
}


export function createDynamoDbStore(options: DynamoDbStoreOptions): SessionStore {
  const { client, table, signingSecrets, jweKeys, lifetime } = options
  const [signingSecret] = signingSecrets
  if (!signingSecret) throw new RangeError('the DynamoDB store needs a signing secret')

  async function call<T>(operation: string, send: () => Promise<T>, size?: number): Promise<T> {
    try {
      return await send()
    } catch (error) {
      throw storeError(error, operation, table, size)
    }
  }

  /**
   * Contract B9: a cookie from JWE mode is read, and moved into a new item on its next write.
   * A read alone moves it only when the token is due to slide, as JWE mode would re-seal it then
   * (B5: a fresh token read on GET / creates no item; B6: a reader-only visitor is not lost after a week).
   */
  function carryOver(cookieValue: string, reason: UnreadableReason, nowMs: number): LoadedSession {
    const isJwe = cookieValue.split('.').length === 5
    if (!isJwe || jweKeys.length === 0) return noSession(reason)
    const result = readJweSession(cookieValue, jweKeys, nowMs, lifetime)
    if (!result.ok) return noSession(result.reason)
    // `exists`, so that ending it clears the cookie.
    return { data: result.data, exists: true, refresh: jweRenewalDue(result, jweKeys[0], nowMs, lifetime) }
  }

  return {

    async load(cookieValue, nowMs) {
      if (cookieValue === undefined) return noSession()
      const verified = verifySignedId(cookieValue, signingSecrets)
      if (!verified.ok) return carryOver(cookieValue, verified.reason, nowMs)
      const { Item: item } = await call('GetItem', () =>
        client.send(new GetItemCommand({ TableName: table, Key: { [ID]: { S: verified.id } }, ConsistentRead: true })),
      )
      // Contract A4: an item without a `_secret` is not a session.
      const secret = item?.[SECRET]?.S
      if (!item || !secret) return noSession('unknown')
      // Contract B6: DynamoDB deletes expired items days late; until then they are absent all the
      // same. Expired at `_ttl` itself, as DynamoDB's own filter for pending deletions has it.
      const ttl = Number(item[TTL]?.N)
      if (ttl * 1000 <= nowMs) return noSession('expired')
      // `_ttl` is the last use plus N (contract B12): renew it when due, give one to an item that has
      // none, and re-sign a cookie made with a previous secret (B3).
      const refresh = !Number.isFinite(ttl) || renewalDue(ttl, nowMs, lifetime) || verified.secretIndex > 0
      const handle: ItemHandle = { id: verified.id, secret, version: item[VERSION] }
      return { data: itemToData(item), exists: true, refresh, handle }
    },

    async save(loaded, data, nowMs) {
      const handle = asHandle(loaded.handle)
      // Contract B8: a session that is not continued gets a new id, never one the client chose.
      const id = handle?.id ?? newToken()
      const item: Item = {
        ...dataToItem(data),
        [ID]: { S: id },
        [SECRET]: { S: handle?.secret ?? newToken() },
        [TTL]: { N: String(Math.floor(nowMs / 1000) + lifetime.ttlSeconds) },
        [VERSION]: { N: String(nextVersion(handle?.version)) },
      }
      const size = itemBytes(item)
      if (size > MAX_ITEM_BYTES) throw new SessionTooLargeError(size, MAX_ITEM_BYTES, 'a DynamoDB item')
      await call('PutItem', () => client.send(new PutItemCommand({ TableName: table, Item: item, ...writeCondition(handle) })), size)
      return encodeURIComponent(signId(id, signingSecret))
    },

    async destroy(loaded) {
      const handle = asHandle(loaded.handle)
      // A carried-over JWE session has no item: clearing its cookie is all there is to do.
      if (!handle) return
      await call('DeleteItem', () => client.send(new DeleteItemCommand({ TableName: table, Key: { [ID]: { S: handle.id } } })))
    },
  }
}

/**
 * Contract B7: a write succeeds only if the item is still the one that was read. A new session
 * must not exist yet; an item @architect/functions made has no `_v` until our first write.
 * A failed condition is a SessionConflictError: the adapter reads again and re-runs the handler.
 */
function writeCondition(handle: ItemHandle | undefined): Pick<PutItemCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  if (!handle) return { ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': ID } }
  if (!handle.version) {
    return { ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#v)', ExpressionAttributeNames: { '#id': ID, '#v': VERSION } }
  }
  return { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': VERSION }, ExpressionAttributeValues: { ':v': handle.version } }
}

function nextVersion(version: AttributeValue | undefined): number {
  const current = Number(version?.N)
  return Number.isSafeInteger(current) && current >= 0 ? current + 1 : 1
}

/** 18 random bytes, base64url: 24 characters, as uid-safe makes them for the reference. */
function newToken(): string {
  return randomBytes(18).toString('base64url')
}

function asHandle(handle: unknown): ItemHandle | undefined {
  if (typeof handle !== 'object' || handle === null) return undefined
  const { id, secret } = handle as Partial<ItemHandle>
  return typeof id === 'string' && typeof secret === 'string' ? (handle as ItemHandle) : undefined
}
