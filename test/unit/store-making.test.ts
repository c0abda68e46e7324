/**
 * getStore makes the configured store once per configuration (docs/dynamodb.md#start-up): a store that
 * could not be made is not kept, and its failure never evicts the store of a configuration that
 * replaced it; in DynamoDB mode a table lookup that fails before any request needs it is no
 * unhandled rejection, and is reported by the first call that needs the table.
 */
import path from 'node:path'
import t from 'tap'
import { getStore } from '../../src/shared/session/providers'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import type { JweKey } from '../../src/shared/session/providers/jwe/token'
import { loadConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'

const SECRET = 'store-making-test-secret-0123456789abcdef'
const JWE_ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET }
const NOW = Date.UTC(2026, 0, 1)

t.test('a store that could not be made is made again on the next call; once made, it is kept', async (t) => {
  const base = loadConfig(JWE_ENV)
  // The store cannot be made while the configuration holds no key.
  const keys: JweKey[] = []
  const config = { ...base, jweKeys: keys }
  await t.rejects(getStore(config), { name: 'RangeError', message: 'the JWE store needs at least one key' })
  keys.push(...base.jweKeys)
  const store = await getStore(config)
  const value = await store.save(await store.load(undefined, NOW), { n: 1 }, NOW)
  t.strictSame((await store.load(value, NOW)).data, { n: 1 }, 'the second call made a working store')
  t.equal(await getStore(config), store, 'and that store is kept')
})

t.test("a failed store does not evict the store of the configuration that replaced it", async (t) => {
  const good = loadConfig(JWE_ENV)
  const broken = { ...good, jweKeys: [] }
  const failing = getStore(broken)
  const kept = getStore(good)
  await t.rejects(failing, { message: 'the JWE store needs at least one key' })
  const store = await kept
  t.equal(await getStore(good), store, "the failure of the replaced configuration's store left this one in place")
})

t.test('DynamoDB mode: a table lookup that fails before any request needs it is reported by the first call that does, never as an unhandled rejection', async (t) => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  t.teardown(() => void process.off('unhandledRejection', onUnhandled))
  const env = {
    ...JWE_ENV,
    ARC_APP_NAME: 'making-app',
    ARC_SESSION_TABLE_NAME: 'sessions',
    // The deploy plugin's table names, without the sessions table: the lookup fails at once, with no I/O.
    ARC_TABLE_NAMES: JSON.stringify({ other: 'making-app-other' }),
    ARC_SANDBOX: JSON.stringify({ cwd: path.resolve(__dirname, '..', '..'), ports: { tables: 1, _arc: 2 } }),
  }
  await withEnv(env, async () => {
    const store = await getStore(loadConfig(env))
    // A turn of the event loop: time for Node to report a rejection that nobody handles.
    await new Promise((resolve) => setImmediate(resolve))
    t.strictSame(unhandled, [], 'no unhandled rejection while no request needed the table')
    t.strictSame(await store.load(undefined, NOW), { data: {}, exists: false, refresh: false }, 'a cookieless load needs no table')
    await t.rejects(store.load(signId('AnySession00000000000000', SECRET), NOW), {
      name: 'SessionConfigError',
      message: "ARC_SESSION_TABLE_NAME: no table of this app is called 'sessions' (its tables: other (making-app-other)); use a name from app.arc @tables, e.g. 'sessions', or 'jwe' for cookie sessions",
    })
  })
  t.strictSame(unhandled, [])
})
