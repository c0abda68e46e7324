/**
 * The DynamoDB store against a real local DynamoDB (dynalite): item shape (docs/guarantees.md#g-compat-dynamodb), expiry
 * on read and sliding (docs/guarantees.md#g-expiry-on-read), conditional writes (docs/guarantees.md#g-no-lost-updates), real destroy (docs/guarantees.md#g-real-destroy), the JWE carry-over (docs/guarantees.md#g-mode-switch),
 * the size guard (docs/guarantees.md#g-size-guard), rotation (docs/guarantees.md#g-secret-rotation). The store's own client is recorded (SDK middleware, the
 * calls still reach the local DynamoDB): what the guarantees put in each request (ConsistentRead,
 * a write's condition, the attributes written) and the calls that must not happen are asserted on it.
 */
import t from 'tap'
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { createCarryOver } from '../../src/shared/session/providers/carry-over'
import { SessionConflictError, SessionTooLargeError } from '../../src/shared/session/core/errors'
import { writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { jweKeyFromSecret } from '../../src/shared/session/providers/jwe/keys'
import { signId, verifySignedId } from '../../src/shared/session/providers/ddb/signed-id'
import { DEFAULT_LIFETIME } from '../../src/shared/session/core/lifetime'
import type { SessionStore } from '../../src/shared/session/providers/store'
import { getItem, idOfCookie, putItem, recordedClient, scanAll, startDynalite } from '../helpers/dynamodb'

const TABLE = 'test-sessions'
const SECRET = 'unit-test-secret-0123456789abcdef-xyz'
const OLD_SECRET = 'the-previous-secret-0123456789abcdefgh'
const NOW = 1_700_000_000_000
const DAY_MS = 86_400_000
/** The default lifetime: a week, renewed once a day (test/unit/session-lifetime.test.ts tries others). */
const { ttlSeconds: SESSION_LIFETIME_SECONDS, renewAfterSeconds: REFRESH_INTERVAL_SECONDS } = DEFAULT_LIFETIME
const jweKey = (() => {
  const result = jweKeyFromSecret(SECRET, 'A256GCM')
  if (!result.ok) throw new Error(result.problem)
  return result.key
})()

/** The number of writes in a `_v` (providers/ddb/version.ts): `"<writes> <token> ..."`. */
function writesOf(version: { S?: string } | undefined): number {
  const [writes, ...tokens] = (version?.S ?? '').split(' ')
  return tokens.length > 0 && tokens.every((token) => /^[A-Za-z0-9_-]{16}$/.test(token)) ? Number(writes) : Number.NaN
}

t.test('the DynamoDB store', async (t) => {
  const { client, port } = await startDynalite(t, TABLE)
  const recorded = recordedClient(t, port)
  const store: SessionStore = createDynamoDbStore({ client: recorded.client, table: TABLE, signingSecrets: [SECRET, OLD_SECRET], carryOver: createCarryOver([jweKey], DEFAULT_LIFETIME), lifetime: DEFAULT_LIFETIME })
  /** The store's calls since the last time this was asked. */
  const calls = () => recorded.calls.splice(0)
  const read = (id: string) => ({ command: 'GetItemCommand', input: { TableName: TABLE, Key: { _idx: { S: id } }, ConsistentRead: true } })
  const cleanTable = async () => {
    for (const item of await scanAll(client, TABLE)) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { _idx: item['_idx']! } }))
    calls()
  }
  t.beforeEach(cleanTable)

  t.test('a new session is one item of the reference shape, behind a signed id', async (t) => {
    const empty = await store.load(undefined, NOW)
    t.strictSame(empty, { data: {}, exists: false, refresh: false })
    t.strictSame(calls(), [], 'B5: loading without a cookie makes no call at all')

    const cookie = await store.save(empty, { count: 1, name: 'ünï', list: [1, 'two', null, true, { deep: [] }], empty: '' }, NOW)
    const id = idOfCookie(cookie)
    t.match(id, /^[A-Za-z0-9_-]{24}$/, '18 random bytes, base64url')
    t.strictSame(verifySignedId(decodeURIComponent(cookie), [SECRET]), { ok: true, id, secretIndex: 0 }, 'the cookie is the id signed with the current secret')
    t.equal(cookie, signId(id, SECRET), 'raw: the cookie codec percent-encodes it')

    const items = await scanAll(client, TABLE)
    const secret = items[0]?.['_secret']?.S ?? ''
    t.match(secret, /^[A-Za-z0-9_-]{24}$/, 'a random _secret of its own')
    t.not(secret, id)
    const expected = {
      _idx: { S: id },
      _secret: { S: secret },
      _ttl: { N: String(NOW / 1000 + SESSION_LIFETIME_SECONDS) },
      _v: items[0]?.['_v'],
      // When the session began (its absolute lifetime): test/unit/absolute-lifetime.test.ts.
      _created: items[0]?.['_created'],
      count: { N: '1' },
      name: { S: 'ünï' },
      list: { L: [{ N: '1' }, { S: 'two' }, { NULL: true }, { BOOL: true }, { M: { deep: { L: [] } } }] },
      empty: { S: '' },
    }
    t.strictSame(items, [expected], 'one item, each value as its DynamoDB type')
    t.equal(writesOf(items[0]?.['_v']), 1, 'its first write')
    t.strictSame(
      calls(),
      [{ command: 'PutItemCommand', input: { TableName: TABLE, Item: expected, ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': '_idx' } } }],
      'B7: one put, on condition that no item has this id yet',
    )

    const loaded = await store.load(decodeURIComponent(cookie), NOW + 1000)
    t.strictSame(loaded.data, { count: 1, name: 'ünï', list: [1, 'two', null, true, { deep: [] }], empty: '' }, 'store attributes are not data')
    t.equal(loaded.exists, true)
    t.equal(loaded.refresh, false)
    t.strictSame(calls(), [read(id)], 'A4: a read is one consistent GetItem by id')
  })

  t.test('store attributes in the data cannot overwrite the item', async (t) => {
    const cookie = await store.save(await store.load(undefined, NOW), { count: 2, _idx: 'evil', _secret: '', _ttl: 1, _v: 99 }, NOW)
    const item = await getItem(client, TABLE, idOfCookie(cookie))
    t.strictSame(item?.['_idx'], { S: idOfCookie(cookie) })
    t.match(item?.['_secret']?.S, /^[A-Za-z0-9_-]{24}$/, 'its own random _secret, not the empty one given')
    t.strictSame(item?.['_ttl'], { N: String(NOW / 1000 + SESSION_LIFETIME_SECONDS) })
    t.equal(writesOf(item?.['_v']), 1)
  })

  t.test('unusable cookies read as empty, with the reason', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 3 }, NOW))
    calls()
    const cases: [string, string, ReturnType<typeof read>[]][] = [
      ['garbage', 'malformed', []],
      [`${cookie.slice(0, -2)}xx`, 'invalid', []],
      [signId('no-such-session-id-00000', SECRET), 'unknown', [read('no-such-session-id-00000')]],
      [signId(idOfCookie(cookie), 'another-secret-0123456789abcdefghij'), 'invalid', []],
    ]
    for (const [value, reason, expectedCalls] of cases) {
      const loaded = await store.load(value, NOW)
      t.strictSame(loaded, { data: {}, exists: false, refresh: false, unreadable: reason }, reason)
      t.strictSame(calls(), expectedCalls, `${reason}: ${expectedCalls.length === 0 ? 'no call for a cookie that fails its signature' : 'looked up'}`)
    }
  })

  t.test('an item without a _secret is absent', async (t) => {
    await putItem(client, TABLE, { _idx: { S: 'no-secret-item-000000000' }, _ttl: { N: String(NOW / 1000 + 1000) }, count: { N: '5' } })
    const loaded = await store.load(signId('no-secret-item-000000000', SECRET), NOW)
    t.equal(loaded.exists, false)
    t.equal(loaded.unreadable, 'unknown')
  })

  t.test('an item past its _ttl is absent, though DynamoDB has not deleted it yet', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 4 }, NOW))
    const lifetimeMs = SESSION_LIFETIME_SECONDS * 1000
    t.equal((await store.load(cookie, NOW + lifetimeMs - 1000)).exists, true, 'a second before its _ttl')
    const expired = await store.load(cookie, NOW + lifetimeMs)
    t.strictSame(expired, { data: {}, exists: false, refresh: false, unreadable: 'expired' })
    t.strictSame((await getItem(client, TABLE, idOfCookie(cookie)))?.['count'], { N: '4' }, 'the item is still in the table')
    const next = decodeURIComponent(await store.save(expired, { count: 1 }, NOW + lifetimeMs))
    t.not(idOfCookie(next), idOfCookie(cookie), 'a new session after expiry gets a new id')
  })

  t.test('the expiry slides on use, rewritten at most about once a day', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 5 }, NOW))
    t.equal((await store.load(cookie, NOW + REFRESH_INTERVAL_SECONDS * 1000 - 1000)).refresh, false, 'not within a day')
    const later = NOW + REFRESH_INTERVAL_SECONDS * 1000 + 1000
    const due = await store.load(cookie, later)
    t.equal(due.refresh, true, 'due after a day')
    await store.save(due, due.data, later)
    const item = await getItem(client, TABLE, idOfCookie(cookie))
    t.strictSame(item?.['_ttl'], { N: String(Math.floor(later / 1000) + SESSION_LIFETIME_SECONDS) }, 'a week from the last use')
    t.equal((await store.load(cookie, NOW + 8 * DAY_MS - 2000)).exists, true, 'alive past the first week thanks to the slide')
  })

  t.test('a write based on a stale read is a conflict, not a lost update', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 0 }, NOW))
    const first = await store.load(cookie, NOW)
    const second = await store.load(cookie, NOW)
    const versionRead = (await getItem(client, TABLE, idOfCookie(cookie)))?.['_v']
    calls()
    await store.save(first, { count: 1 }, NOW)
    const [put] = calls()
    t.strictSame(
      { ...put?.input, Item: undefined },
      { TableName: TABLE, Item: undefined, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': '_v' }, ExpressionAttributeValues: { ':v': versionRead } },
      'the put is conditional on the version that was read',
    )
    t.strictSame(put?.input['Item'], await getItem(client, TABLE, idOfCookie(cookie)), 'the whole item, as stored')
    t.equal(writesOf((put?.input['Item'] as Record<string, { S?: string }> | undefined)?.['_v']), 2, 'at the next version')
    await t.rejects(store.save(second, { count: 1 }, NOW), SessionConflictError)
    const again = await store.load(cookie, NOW)
    t.strictSame(again.data, { count: 1 })
    await store.save(again, { count: 2 }, NOW)
    t.equal(writesOf((await getItem(client, TABLE, idOfCookie(cookie)))?.['_v']), 3)
  })

  t.test('concurrent increments with re-read on conflict add up exactly', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 0 }, NOW))
    let conflicts = 0
    const increment = async (): Promise<void> => {
      for (;;) {
        const loaded = await store.load(cookie, NOW)
        try {
          await store.save(loaded, { count: Number(loaded.data['count']) + 1 }, NOW)
          return
        } catch (error) {
          if (!(error instanceof SessionConflictError)) throw error
          conflicts++
        }
      }
    }
    await Promise.all(Array.from({ length: 30 }, increment))
    t.strictSame((await store.load(cookie, NOW)).data, { count: 30 })
    t.ok(conflicts > 0, `the race was real (${conflicts} conflicts)`)
  })

  t.test('destroy deletes the item, and a write after it does not bring it back', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 7 }, NOW))
    const loaded = await store.load(cookie, NOW)
    const stale = await store.load(cookie, NOW)
    const versionRead = (await getItem(client, TABLE, idOfCookie(cookie)))?.['_v']
    calls()
    await store.destroy(loaded)
    t.strictSame(
      calls(),
      [{ command: 'DeleteItemCommand', input: { TableName: TABLE, Key: { _idx: { S: idOfCookie(cookie) } }, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': '_v' }, ExpressionAttributeValues: { ':v': versionRead } } }],
      'one delete by id, on condition that the item is the one read',
    )
    t.equal(await getItem(client, TABLE, idOfCookie(cookie)), undefined)
    t.strictSame(await store.load(cookie, NOW), { data: {}, exists: false, refresh: false, unreadable: 'unknown' }, 'the old cookie reads nothing')
    await t.rejects(store.save(stale, { count: 8 }, NOW), SessionConflictError, 'a concurrent write does not resurrect it')
    t.equal((await scanAll(client, TABLE)).length, 0)
  })

  t.test('an item made by @architect/functions (no _v) is continued, conditionally', async (t) => {
    const id = 'ReferenceMadeSession0000'
    await putItem(client, TABLE, { _idx: { S: id }, _secret: { S: 'ref-secret' }, _ttl: { N: String(NOW / 1000 + SESSION_LIFETIME_SECONDS) }, count: { N: '41' } })
    const first = await store.load(signId(id, SECRET), NOW)
    const second = await store.load(signId(id, SECRET), NOW)
    t.strictSame(first.data, { count: 41 })
    calls()
    const cookie = decodeURIComponent(await store.save(first, { count: 42 }, NOW))
    t.strictSame(
      calls().map(({ input }) => [input['ConditionExpression'], input['ExpressionAttributeNames'], input['ExpressionAttributeValues']]),
      [['attribute_exists(#id) AND attribute_not_exists(#v)', { '#id': '_idx', '#v': '_v' }, undefined]],
      'on condition that the item is still there and still has no _v',
    )
    t.equal(idOfCookie(cookie), id, 'same id')
    const item = await getItem(client, TABLE, id)
    t.strictSame(item?.['_secret'], { S: 'ref-secret' }, 'its _secret is kept')
    t.equal(writesOf(item?.['_v']), 1)
    await t.rejects(store.save(second, { count: 42 }, NOW), SessionConflictError)
  })

  t.test('a cookie signed with a previous secret is read, then re-signed', async (t) => {
    const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 9 }, NOW))
    const old = signId(idOfCookie(cookie), OLD_SECRET)
    const loaded = await store.load(old, NOW)
    t.strictSame(loaded.data, { count: 9 })
    t.equal(loaded.refresh, true, 'due to be re-signed')
    const renewed = decodeURIComponent(await store.save(loaded, loaded.data, NOW))
    t.equal(renewed, cookie, 'same id, current secret')
  })

  t.test('a valid JWE cookie is carried into a new item', async (t) => {
    const token = writeJweSession({ count: 12, user: 'ann' }, jweKey, NOW)
    const loaded = await store.load(token, NOW + 1000)
    t.strictSame(loaded.data, { count: 12, user: 'ann' })
    t.strictSame(calls(), [], 'a JWE cookie is read without a call')
    t.equal(loaded.exists, true, 'ending it must clear the cookie')
    t.equal(loaded.refresh, false, 'a fresh token is moved on its next write, not by a read (docs/guarantees.md#g-lazy-writes)')
    t.equal((await scanAll(client, TABLE)).length, 0, 'reading moves nothing by itself')
    const dayOld = await store.load(writeJweSession({ count: 3 }, jweKey, NOW), NOW + (REFRESH_INTERVAL_SECONDS + 60) * 1000)
    t.equal(dayOld.refresh, true, 'a token due to slide is moved even by a read, so a reader is not lost after a week')
    const cookie = decodeURIComponent(await store.save(loaded, loaded.data, NOW + 1000))
    t.strictSame((await store.load(cookie, NOW + 2000)).data, { count: 12, user: 'ann' })
    t.equal((await scanAll(client, TABLE)).length, 1)
    calls()
    await store.destroy(loaded)
    t.strictSame(calls(), [], 'destroying the JWE session makes no call')
    t.equal((await scanAll(client, TABLE)).length, 1, 'and touches no item')

    const expired = await store.load(token, NOW + SESSION_LIFETIME_SECONDS * 1000 + 1000)
    t.equal(expired.unreadable, 'expired', 'an expired token is not carried over')
    const noKeys = createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
    t.equal((await noKeys.load(token, NOW)).exists, false, 'without JWE keys there is nothing to carry')
  })

  t.test('an item over 400 KB is a typed error and nothing is written', async (t) => {
    const empty = await store.load(undefined, NOW)
    // The store's own attributes take about 80 bytes: this fits with a little room to spare.
    const fits = await store.save(empty, { blob: 'x'.repeat(400 * 1024 - 200) }, NOW)
    t.equal((await getItem(client, TABLE, idOfCookie(fits)))?.['blob']?.S?.length, 400 * 1024 - 200, 'just under the limit is written (DynamoDB agrees)')
    calls()
    await t.rejects(store.save(empty, { blob: 'x'.repeat(400 * 1024) }, NOW), SessionTooLargeError)
    await t.rejects(store.save(empty, { list: Array.from({ length: 2100 }, () => 'é'.repeat(100)) }, NOW), SessionTooLargeError)
    t.strictSame(calls(), [], 'refused before any call')
    t.equal((await scanAll(client, TABLE)).length, 1, 'only the first item')
  })
})
