/**
 * ARC_SESSION_TTL = N seconds of inactivity, enforced by the server in both stores
 * (the JWE store, and the DynamoDB store on a real local DynamoDB), with an injected clock. The same
 * boundary cases run against both: just before and just after N since the last use, the renewal
 * threshold and the second before it, a write after expiry, a session kept alive by renewals.
 */
import { createCarryOver } from '../../src/shared/session/providers/carry-over'
import t from 'tap'
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { createJweStore, readJweSession, writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { jweKeyFromSecret } from '../../src/shared/session/providers/jwe/keys'
import { DEFAULT_LIFETIME, renewalDue, sessionLifetime, type SessionLifetime } from '../../src/shared/session/core/lifetime'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import type { SessionStore } from '../../src/shared/session/providers/store'
import { getItem, idOfCookie, putItem, scanAll, startDynalite } from '../helpers/dynamodb'

const TABLE = 'lifetime-sessions'
const SECRET = 'lifetime-test-secret-0123456789abcdefgh'
const OLD_SECRET = 'lifetime-old-secret-0123456789abcdefghi'
/** A whole second, as `iat` and `_ttl` are: boundaries are then exact to the millisecond. */
const NOW = 1_700_000_000_000
const DAY = 86_400
const WEEK = 7 * DAY

function keyOf(secret: string) {
  const result = jweKeyFromSecret(secret, 'A256GCM')
  if (!result.ok) throw new Error(result.problem)
  return result.key
}
const KEY = keyOf(SECRET)
const OLD_KEY = keyOf(OLD_SECRET)

/** The lifetimes tried: a few seconds (as the Sandbox test uses), an odd N, an hour, the default week, a month. */
const LIFETIMES: readonly [string, SessionLifetime][] = [
  ['6 s', sessionLifetime(6)],
  ['5 s (an odd N: renewed at 2.5 s)', sessionLifetime(5)],
  ['an hour', sessionLifetime(3600)],
  ['unset: a week', DEFAULT_LIFETIME],
  // (An absolute lifetime of a year, so that 4 N of renewals fit in it.)
  ['30 days (longer than the reference allows)', sessionLifetime(30 * DAY, 365 * DAY)],
]

t.test('the renewal interval is min(N/2, one day)', async (t) => {
  const cases: [number, number][] = [
    [2, 1],
    [5, 2.5],
    [6, 3],
    [3600, 1800],
    [2 * DAY, DAY],
    [WEEK, DAY],
    [30 * DAY, DAY],
  ]
  for (const [ttl, renewAfter] of cases) t.strictSame(sessionLifetime(ttl), { ttlSeconds: ttl, renewAfterSeconds: renewAfter, absoluteSeconds: Math.max(30 * DAY, ttl) }, `N = ${ttl}`)
  t.strictSame(DEFAULT_LIFETIME, { ttlSeconds: WEEK, renewAfterSeconds: DAY, absoluteSeconds: 30 * DAY }, 'unset: a week, renewed daily, as before the setting existed; over 30 days after it began')
})

t.test('renewalDue: at N - renewAfter left, and when more than N is left (written under a longer TTL)', async (t) => {
  const hour = sessionLifetime(3600)
  const expiresAt = NOW / 1000 + 3600
  t.equal(renewalDue(expiresAt, NOW, hour), false, 'just written')
  t.equal(renewalDue(expiresAt, NOW + 1_799_999, hour), false, 'a millisecond before the threshold')
  t.equal(renewalDue(expiresAt, NOW + 1_800_000, hour), true, 'at the threshold')
  t.equal(renewalDue(expiresAt + 1, NOW, hour), false, 'a second more than N left: whole seconds and clocks allow it')
  t.equal(renewalDue(NOW / 1000 + WEEK, NOW, hour), true, 'a week left under a one-hour TTL')
})

/** A new session with `count`, last used at `atMs`: its cookie value, as the adapter reads it back. */
async function started(store: SessionStore, count: number, atMs = NOW): Promise<string> {
  return decodeURIComponent(await store.save(await store.load(undefined, atMs), { count }, atMs))
}

/** One store under test: made for a lifetime, plus what a test needs to know of its cookies. */
interface StoreKind {
  readonly name: string
  make(lifetime: SessionLifetime): SessionStore
  /** A cookie value for `data`, last used at `atMs`, made with the previous secret. */
  previousSecretCookie(data: { count: number }, atMs: number, lifetime: SessionLifetime): Promise<string>
}

t.test('both stores', async (t) => {
  const { client } = await startDynalite(t, TABLE)
  t.beforeEach(async () => {
    for (const item of await scanAll(client, TABLE)) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { _idx: item['_idx']! } }))
  })
  const dynamodb = (lifetime: SessionLifetime) =>
    createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET, OLD_SECRET], carryOver: createCarryOver([KEY], lifetime), lifetime })
  const KINDS: StoreKind[] = [
    {
      name: 'JWE',
      make: (lifetime) => createJweStore([KEY, OLD_KEY], lifetime),
      previousSecretCookie: async (data, atMs) => writeJweSession(data, OLD_KEY, atMs),
    },
    {
      name: 'DynamoDB',
      make: dynamodb,
      previousSecretCookie: async (data, atMs, lifetime) => signId(idOfCookie(await started(dynamodb(lifetime), data.count, atMs)), OLD_SECRET),
    },
  ]

  for (const kind of KINDS) {
    for (const [label, lifetime] of LIFETIMES) {
      const ttlMs = lifetime.ttlSeconds * 1000
      const renewMs = lifetime.renewAfterSeconds * 1000
      t.test(`${kind.name} store, N = ${label}`, async (t) => {
        const store = kind.make(lifetime)

        t.test('alive just before N since the last use, gone just after', async (t) => {
          const cookie = await started(store, 1)
          const before = await store.load(cookie, NOW + ttlMs - 1)
          t.equal(before.exists, true, 'a millisecond before N')
          t.strictSame(before.data, { count: 1 })
          t.strictSame(await store.load(cookie, NOW + ttlMs + 1), { data: {}, exists: false, refresh: false, unreadable: 'expired' }, 'a millisecond after N')
          t.equal((await store.load(cookie, NOW + ttlMs + DAY * 1000)).exists, false, 'and later')
        })

        t.test('a read at the renewal threshold renews; a second before, it does not', async (t) => {
          const cookie = await started(store, 2)
          t.equal((await store.load(cookie, NOW)).refresh, false, 'just written')
          t.equal((await store.load(cookie, NOW + renewMs - 1000)).refresh, false, 'a second before the threshold')
          const due = await store.load(cookie, NOW + renewMs)
          t.equal(due.refresh, true, 'at the threshold')
          t.strictSame(due.data, { count: 2 })
        })

        t.test('renewed by reads only, a session outlives N many times over, with one write per renewal interval', async (t) => {
          let cookie = await started(store, 3)
          let now = NOW
          let reads = 0
          let writes = 0
          // A read every N/4 for 4 N, each renewing the session when it is due, as the adapter does.
          for (const end = NOW + 4 * ttlMs; now < end; reads++) {
            now += renewMs / 2
            const loaded = await store.load(cookie, now)
            t.strictSame(loaded.data, { count: 3 }, `alive at ${(now - NOW) / 1000} s`)
            if (!loaded.exists) return
            if (loaded.refresh) {
              cookie = decodeURIComponent(await store.save(loaded, loaded.data, now))
              writes++
            }
          }
          t.equal(writes, reads / 2, 'every other read renews it')
          t.equal((await store.load(cookie, now + ttlMs + 1)).exists, false, 'then N of idleness ends it')
        })

        t.test('a write after expiry starts a new session', async (t) => {
          const cookie = await started(store, 4)
          const later = NOW + ttlMs + 1000
          const expired = await store.load(cookie, later)
          t.equal(expired.unreadable, 'expired')
          const next = decodeURIComponent(await store.save(expired, { count: 1 }, later))
          t.strictSame((await store.load(next, later)).data, { count: 1 }, 'nothing of the old session')
          t.equal((await store.load(cookie, later)).exists, false, 'the old cookie stays expired')
          if (kind.name === 'DynamoDB') {
            t.not(idOfCookie(next), idOfCookie(cookie), 'a new id, never the old one revived')
            t.strictSame((await getItem(client, TABLE, idOfCookie(cookie)))?.['_ttl'], { N: String(NOW / 1000 + lifetime.ttlSeconds) }, 'the old item is left as it was')
          }
        })

        t.test('a cookie made with the previous secret is renewed at once, and expires like any other', async (t) => {
          const cookie = await kind.previousSecretCookie({ count: 5 }, NOW, lifetime)
          const loaded = await store.load(cookie, NOW + 1000)
          t.strictSame(loaded.data, { count: 5 })
          t.equal(loaded.refresh, true, 'moved to the current secret on this request')
          t.equal((await store.load(cookie, NOW + ttlMs + 1)).unreadable, 'expired')
        })
      })
    }
  }

  t.test('JWE store: the token is the record of the last use, so a new N applies to every token at once', async (t) => {
    const token = writeJweSession({ count: 6 }, KEY, NOW)
    t.equal((await createJweStore([KEY], DEFAULT_LIFETIME).load(token, NOW + 2 * 3_600_000)).exists, true, 'two hours old: alive under a week')
    t.equal((await createJweStore([KEY], sessionLifetime(3600)).load(token, NOW + 2 * 3_600_000)).unreadable, 'expired', 'gone under an hour')
    const month = createJweStore([KEY], sessionLifetime(30 * DAY))
    const eightDays = await month.load(token, NOW + 8 * DAY * 1000)
    t.equal(eightDays.exists, true, 'eight days old: alive under 30 days, where @architect/functions would drop it')
    t.equal(eightDays.refresh, true)
    t.equal(readJweSession(token, [KEY], NOW + 8 * DAY * 1000).ok, false, 'readJweSession without a lifetime applies the reference week')
  })

  t.test('DynamoDB store', async (t) => {
    t.test('_ttl is the last use plus N', async (t) => {
      const store = dynamodb(sessionLifetime(6))
      const cookie = await started(store, 7, NOW + 999)
      t.strictSame((await getItem(client, TABLE, idOfCookie(cookie)))?.['_ttl'], { N: String(NOW / 1000 + 6) }, 'in whole seconds, truncated')
      const due = await store.load(cookie, NOW + 3000)
      await store.save(due, due.data, NOW + 3000)
      t.strictSame((await getItem(client, TABLE, idOfCookie(cookie)))?.['_ttl'], { N: String(NOW / 1000 + 3 + 6) }, 'renewed: N from this use')
    })

    t.test('an item past _ttl that DynamoDB has not deleted is absent', async (t) => {
      const store = dynamodb(sessionLifetime(6))
      await putItem(client, TABLE, { _idx: { S: 'PastItsTtl00000000000000' }, _secret: { S: 's' }, _ttl: { N: String(NOW / 1000 - 1) }, _v: { N: '3' }, count: { N: '9' } })
      t.strictSame(await store.load(signId('PastItsTtl00000000000000', SECRET), NOW), { data: {}, exists: false, refresh: false, unreadable: 'expired' })
      t.ok(await getItem(client, TABLE, 'PastItsTtl00000000000000'), 'still in the table')
    })

    t.test('an item written under a longer TTL is renewed on its next use, which cuts it to N', async (t) => {
      const cookie = await started(dynamodb(DEFAULT_LIFETIME), 8)
      const hour = dynamodb(sessionLifetime(3600))
      const loaded = await hour.load(cookie, NOW + 60_000)
      t.equal(loaded.refresh, true, 'a week left under a one-hour TTL')
      await hour.save(loaded, loaded.data, NOW + 60_000)
      t.strictSame((await getItem(client, TABLE, idOfCookie(cookie)))?.['_ttl'], { N: String(NOW / 1000 + 60 + 3600) })
      t.equal((await hour.load(cookie, NOW + 60_000 + 3_600_001)).exists, false, 'an hour of idleness ends it now')
    })

    t.test('a JWE cookie is carried over while it lives, moved by a read once due, and not after N', async (t) => {
      const store = dynamodb(sessionLifetime(6))
      const token = writeJweSession({ count: 10 }, KEY, NOW)
      const fresh = await store.load(token, NOW + 2999)
      t.strictSame(fresh.data, { count: 10 })
      t.equal(fresh.refresh, false, 'a fresh token is not moved by a read (docs/guarantees.md#g-lazy-writes)')
      t.equal((await store.load(token, NOW + 3000)).refresh, true, 'due at N/2: a read moves it into an item')
      t.equal((await store.load(token, NOW + 6001)).unreadable, 'expired', 'after N it is not carried over')
      t.equal((await scanAll(client, TABLE)).length, 0, 'reading made no item')
    })
  })
})
