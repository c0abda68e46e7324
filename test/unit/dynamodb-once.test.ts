/**
 * Each request applies once (docs/dynamodb.md): real network faults from a TCP proxy in front of a
 * real local DynamoDB (dynalite), through the real SDK client, the store and the retry loop. A
 * write whose answer is lost is read back: "landed" is not written or run again, "lost" runs the
 * handler again, and "cannot tell" is SessionWriteUncertainError, never a second apply.
 */
import t, { type Test } from 'tap'
import { SessionConflictError, SessionWriteUncertainError } from '../../src/shared/session/core/errors'
import { runWithRetries } from '../../src/shared/session/lambda/commit'
import { loadConfig } from '../../src/shared/session/testing'
import { faultRig, type FaultRig as Rig } from '../helpers/dynamodb-fault-rig'
import { getItem, idOfCookie } from '../helpers/dynamodb'

const TABLE = 'test-sessions'
const SECRET = 'once-test-secret-0123456789abcdef-xyz'
/** The retry loop reads the clock itself (it takes no `nowMs`), so the seeded sessions are live now. */
const NOW = Date.now()
const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: SECRET, ARC_SESSION_TABLE_NAME: TABLE })

const rig = (t: Test) => faultRig(t, TABLE, SECRET)

/** A POST /count: the handler adds one; counts its runs. */
function counting(): { runs: number; run: (session: unknown) => Promise<{ session: { count: number } }> } {
  const state = {
    runs: 0,
    run: async (session: unknown) => {
      state.runs++
      return { session: { count: ((session as { count?: number }).count ?? 0) + 1 } }
    },
  }
  return state
}

async function seed(rig: Rig, count: number): Promise<string> {
  return rig.other.save(await rig.other.load(undefined, NOW), { count }, NOW)
}

async function countOf(rig: Rig, cookie: string): Promise<number> {
  return Number((await getItem(rig.direct, TABLE, idOfCookie(cookie)))?.['count']?.N)
}

/** Another request: reads the session and adds `by`, straight to DynamoDB. */
async function otherRequest(rig: Rig, cookie: string, by: number): Promise<void> {
  const loaded = await rig.other.load(cookie, NOW)
  await rig.other.save(loaded, { count: (loaded.data['count'] as number) + by }, NOW)
}

t.test('the first write\'s reply is lost (applied, then the SDK retries it): applied once, the handler ran once', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  r.proxy.drops.set('PutItem', ['reply'])
  const handler = counting()
  const { setCookie } = await runWithRetries(undefined, handler.run, cookie, r.store, config)
  t.equal(await countOf(r, cookie), 2, 'one request, one increment')
  t.equal(handler.runs, 1, 'the handler was not run again')
  t.match(setCookie, /^_idx=/, 'answered as applied')
  t.strictSame(r.proxy.seen, ['GetItem', 'PutItem', 'PutItem', 'GetItem'], 'read, write, the SDK\'s retry, the read back')
})

t.test('both replies of a write are lost: read back, it landed, answered as applied once', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  r.proxy.drops.set('PutItem', ['reply', 'reply'])
  const handler = counting()
  const { setCookie } = await runWithRetries(undefined, handler.run, cookie, r.store, config)
  t.equal(await countOf(r, cookie), 2)
  t.equal(handler.runs, 1)
  t.match(setCookie, /^_idx=/)
})

t.test('a write lost on its way (never applied) is sent again, as it was: applied once', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  r.proxy.drops.set('PutItem', ['request', 'request'])
  const handler = counting()
  await runWithRetries(undefined, handler.run, cookie, r.store, config)
  t.equal(await countOf(r, cookie), 2)
  t.equal(handler.runs, 1)
  t.strictSame(r.proxy.seen, ['GetItem', 'PutItem', 'PutItem', 'GetItem', 'PutItem'], 'the read back found it pending, so the same write went again')
})

t.test('a write lost on its way while another request writes: lost for good, so the handler runs again on the new session', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  r.proxy.drops.set('PutItem', ['request', 'request'])
  r.proxy.onDrop = async () => {
    r.proxy.onDrop = undefined
    await otherRequest(r, cookie, 10)
  }
  const handler = counting()
  await runWithRetries(undefined, handler.run, cookie, r.store, config)
  t.equal(await countOf(r, cookie), 12, 'the other request\'s 10, and ours once')
  t.equal(handler.runs, 2, 'run again: the first write can never land')
})

t.test('a write that landed, then another request wrote over it before the read back: still ours, not run again', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  r.proxy.drops.set('PutItem', ['reply', 'reply'])
  r.proxy.onDrop = async () => {
    r.proxy.onDrop = undefined
    await otherRequest(r, cookie, 10)
  }
  const handler = counting()
  await runWithRetries(undefined, handler.run, cookie, r.store, config)
  t.equal(await countOf(r, cookie), 12, 'ours once, then the other request\'s 10')
  t.equal(handler.runs, 1)
})

t.test('a reply lost and the read back failing: SessionWriteUncertainError (a 503 that may have applied), never a second run', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  r.proxy.drops.set('PutItem', ['reply', 'reply'])
  r.proxy.onDrop = async () => void r.proxy.faults.set('GetItem', 'throttle')
  const handler = counting()
  const error = await runWithRetries(undefined, handler.run, cookie, r.store, config).then(() => undefined, (e: unknown) => e)
  t.type(error, SessionWriteUncertainError)
  t.equal(handler.runs, 1)
  t.equal(await countOf(r, cookie), 2, 'it had landed: at most once')
})

t.test('a delete whose reply is lost: the session is ended, once', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  const loaded = await r.store.load(cookie, NOW)
  r.proxy.drops.set('DeleteItem', ['reply'])
  await r.store.destroy(loaded)
  t.equal(await getItem(r.direct, TABLE, idOfCookie(cookie)), undefined)
})

t.test('a delete decided on a stale read is a conflict: the rewritten session is kept', async (t) => {
  const r = await rig(t)
  const cookie = await seed(r, 1)
  const stale = await r.store.load(cookie, NOW)
  await otherRequest(r, cookie, 4)
  await t.rejects(r.store.destroy(stale), SessionConflictError)
  t.equal(await countOf(r, cookie), 5, 'the concurrent write survives')
  // On the fresh read, the end goes through.
  await r.store.destroy(await r.store.load(cookie, NOW))
  t.equal(await getItem(r.direct, TABLE, idOfCookie(cookie)), undefined)
})
