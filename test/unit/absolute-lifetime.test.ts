/**
 * The absolute lifetime (ARC_SESSION_ABSOLUTE_TTL, docs/sessions.md#how-long-a-session-lives): a
 * session is over a set time after it began, however often it is used, in both stores (the DynamoDB
 * one on a real local DynamoDB) and through the adapter, with an injected clock. The beginning is
 * kept across renewals (`_created`); a cookie or item of @architect/functions, which has none,
 * begins at its first read here.
 */
import { createCarryOver } from '../../src/shared/session/providers/carry-over'
import t from 'tap'
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb'
import { http } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { createJweStore, readJweSession } from '../../src/shared/session/providers/jwe/store'
import { open, seal } from '../../src/shared/session/providers/jwe/token'
import { jweKeyFromSecret } from '../../src/shared/session/providers/jwe/keys'
import { sessionLifetime } from '../../src/shared/session/core/lifetime'
import type { SessionStore } from '../../src/shared/session/providers/store'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { getItem, idOfCookie, putItem, scanAll, startDynalite } from '../helpers/dynamodb'
import { lambdaEvent, setCookieValue } from '../helpers/lambda-event'
import { generatedSecret } from '../helpers/secrets'

const TABLE = 'absolute-sessions'
const SECRET = generatedSecret()
const made = jweKeyFromSecret(SECRET, 'A256GCM')
if (!made.ok) throw new Error(made.problem)
const KEY = made.key
/** A whole second. */
const NOW = 1_700_000_000_000
/** N = 40 s of inactivity, A = 100 s from the beginning. */
const LIFETIME = sessionLifetime(40, 100)
const A_MS = 100_000

t.test('both stores', async (t) => {
  const { client } = await startDynalite(t, TABLE)
  t.beforeEach(async () => {
    for (const item of await scanAll(client, TABLE)) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { _idx: item['_idx']! } }))
  })
  const kinds: [string, SessionStore][] = [
    ['JWE', createJweStore([KEY], LIFETIME)],
    ['DynamoDB', createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET], carryOver: createCarryOver([KEY], LIFETIME), lifetime: LIFETIME })],
  ]
  for (const [name, store] of kinds) {
    t.test(`${name}: renewed every 15 s, alive until A after it began, over at A`, async (t) => {
      let cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 1 }, NOW))
      let renewals = 0
      for (let now = NOW + 15_000; now < NOW + A_MS; now += 15_000) {
        const loaded = await store.load(cookie, now)
        t.equal(loaded.exists, true, `alive at ${(now - NOW) / 1000} s`)
        t.equal(loaded.beganAt, NOW / 1000, 'the beginning is kept')
        // Every use writes, as a handler that changes the session does: N alone would never end it.
        cookie = decodeURIComponent(await store.save(loaded, { count: 1 }, now))
        renewals++
      }
      t.equal(renewals, 6)
      t.equal((await store.load(cookie, NOW + A_MS - 1)).exists, true, 'a millisecond before A')
      t.strictSame(await store.load(cookie, NOW + A_MS), { data: {}, exists: false, refresh: false, unreadable: 'expired' }, 'at A: over')
      if (name === 'DynamoDB') t.strictSame((await getItem(client, TABLE, idOfCookie(cookie)))?.['_created'], { N: String(NOW / 1000) })
      else {
        const opened = open(cookie, [KEY])
        t.equal(opened.ok && (JSON.parse(opened.plaintext) as { _created?: number })._created, NOW / 1000, 'in the token')
      }
    })

    t.test(`${name}: a session that starts again after its end begins again`, async (t) => {
      const cookie = decodeURIComponent(await store.save(await store.load(undefined, NOW), { count: 1 }, NOW))
      const over = await store.load(cookie, NOW + A_MS)
      const next = decodeURIComponent(await store.save(over, { count: 1 }, NOW + A_MS))
      t.equal((await store.load(next, NOW + A_MS)).beganAt, (NOW + A_MS) / 1000)
    })
  }

  t.test('JWE: a reference token without _created begins at its first read, which records it', async (t) => {
    const store = kinds[0]![1]
    // As @architect/functions seals it: the data and `iat`, nothing else.
    const theirs = seal(JSON.stringify({ count: 2, iat: NOW / 1000 }), KEY)
    const first = await store.load(theirs, NOW + 30_000)
    t.equal(first.beganAt, NOW / 1000 + 30)
    t.equal(first.refresh, true, 'written back by this read, to record it')
    const ours = await store.save(first, first.data, NOW + 30_000)
    const read = readJweSession(ours, [KEY], NOW + 30_000, LIFETIME)
    t.equal(read.ok && read.beganAtRecorded && read.beganAt, NOW / 1000 + 30)
    t.equal((await store.load(ours, NOW + 30_000 + A_MS)).unreadable, 'expired', 'A after its first read here')
  })

  t.test('DynamoDB: a reference item without _created begins at its first read, which records it', async (t) => {
    const store = kinds[1]![1]
    const id = 'ReferenceItem00000000000'
    await putItem(client, TABLE, { _idx: { S: id }, _secret: { S: 's' }, _ttl: { N: String(NOW / 1000 + 40) }, count: { N: '3' } })
    const first = await store.load(signId(id, SECRET), NOW + 1000)
    t.equal(first.beganAt, NOW / 1000 + 1)
    t.equal(first.refresh, true)
    await store.save(first, first.data, NOW + 1000)
    t.strictSame((await getItem(client, TABLE, id))?.['_created'], { N: String(NOW / 1000 + 1) })
  })
})

t.test('through the adapter with an injected clock: reads renew the session, and it ends at A all the same', async (t) => {
  let clock = NOW
  const seen: unknown[] = []
  const lambda = http(async (req) => (seen.push(req.session), { html: 'ok' }), { clock: () => clock })
  const start = http(async () => ({ session: { count: 7 }, location: '/' }), { clock: () => clock })
  await withEnv({ ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET, ARC_SESSION_TTL: '40', ARC_SESSION_ABSOLUTE_TTL: '100' }, async () => {
    resetConfig()
    let cookie = setCookieValue(await start(lambdaEvent({ method: 'POST', path: '/count' })))!
    let renewals = 0
    for (clock = NOW + 25_000; clock < NOW + A_MS; clock += 25_000) {
      const answer = await lambda(lambdaEvent({ sessionCookie: cookie }))
      const renewed = setCookieValue(answer)
      if (renewed) {
        cookie = renewed
        renewals++
      }
    }
    t.equal(renewals, 3, 'each read past N/2 renewed it: idleness alone never ends it')
    clock = NOW + A_MS - 1
    await lambda(lambdaEvent({ sessionCookie: cookie }))
    clock = NOW + A_MS
    await lambda(lambdaEvent({ sessionCookie: cookie }))
  })
  t.strictSame(seen.slice(-2), [{ count: 7 }, {}], 'alive a millisecond before A, a new visitor at A')
})
