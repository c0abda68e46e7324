/**
 * DynamoDB down, throttled or slow is a SessionStoreUnavailableError (the adapter's
 * 503), with the SDK's error kept as the cause, and nothing half-written. Throttling is injected
 * as the SDK's own exception classes (the one fault a local DynamoDB cannot produce); a dead port
 * and a server that never answers are real.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import {
  GetItemCommand,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  DynamoDBServiceException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { createDynamoDbClient } from '../../src/shared/session/providers/ddb/client'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { SessionConfigError, SessionStoreUnavailableError } from '../../src/shared/session/core/errors'
import { DEFAULT_LIFETIME } from '../../src/shared/session/core/lifetime'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'
import { getItem, idOfCookie, scanAll, startDynalite } from '../helpers/dynamodb'

const TABLE = 'test-sessions'
const SECRET = 'fault-test-secret-0123456789abcdef-xyz'
const NOW = 1_700_000_000_000
const LOCAL = { kind: 'sandbox', ports: { tables: 1, internal: 1 } } as const

const throttles = [
  () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded', $metadata: { httpStatusCode: 400 } }),
  () => new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: { httpStatusCode: 400 } }),
  () => new RequestLimitExceeded({ message: 'Throughput exceeds the current throughput limit for your account', $metadata: { httpStatusCode: 400 } }),
]

const validationError = () =>
  new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message: 'One or more parameter values were invalid', $metadata: {} })

/** A client that sends reads to the real (local) DynamoDB and answers writes with `fault`. */
function failingWrites(real: DynamoDBClient, fault: () => Error): Pick<DynamoDBClient, 'send'> {
  const send = (command: unknown) => {
    if (command instanceof GetItemCommand) return real.send(command)
    return Promise.reject(fault())
  }
  return { send: send as DynamoDBClient['send'] }
}

t.test('throttling from the SDK is "unavailable", and nothing is half-written', async (t) => {
  const { client } = await startDynalite(t, TABLE)
  const healthy = createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
  const cookie = decodeURIComponent(await healthy.save(await healthy.load(undefined, NOW), { count: 5 }, NOW))
  const before = await getItem(client, TABLE, idOfCookie(cookie))

  for (const fault of throttles) {
    const name = fault().name
    const reads = createDynamoDbStore({ client: { send: (() => Promise.reject(fault())) as DynamoDBClient['send'] }, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
    const error = await reads.load(cookie, NOW).then(() => undefined, (e: unknown) => e)
    t.type(error, SessionStoreUnavailableError, `${name} on read`)
    t.equal((error as Error).message, `DynamoDB GetItem on ${TABLE} failed`)
    t.equal(((error as Error).cause as Error).name, name, 'the SDK error is the cause')

    const writes = createDynamoDbStore({ client: failingWrites(client, fault), table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
    const loaded = await writes.load(cookie, NOW)
    t.strictSame(loaded.data, { count: 5 })
    await t.rejects(writes.save(loaded, { count: 6 }, NOW), SessionStoreUnavailableError, `${name} on write`)
    await t.rejects(writes.destroy(loaded), SessionStoreUnavailableError, `${name} on delete`)
    await t.rejects(writes.save(await writes.load(undefined, NOW), { count: 1 }, NOW), SessionStoreUnavailableError, `${name} on create`)
  }
  t.strictSame(await getItem(client, TABLE, idOfCookie(cookie)), before, 'the item is as it was')
  t.equal((await scanAll(client, TABLE)).length, 1, 'no other item appeared')
})

t.test('other SDK errors are not disguised as "unavailable"', async (t) => {
  const validation = createDynamoDbStore({
    client: { send: (() => Promise.reject(validationError())) as DynamoDBClient['send'] },
    table: TABLE,
    signingSecrets: [SECRET],
    lifetime: DEFAULT_LIFETIME,
  })
  const error = await validation.load(signId('abc', SECRET), NOW).then(() => undefined, (e: unknown) => e)
  t.type(error, DynamoDBServiceException)
  t.notOk(error instanceof SessionStoreUnavailableError, 'a bug stays a bug (500)')
})

t.test('a missing table is a configuration error naming ARC_SESSION_TABLE_NAME', async (t) => {
  const { client } = await startDynalite(t, TABLE)
  const store = createDynamoDbStore({ client, table: 'no-such-table', signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
  const error = await store.load(signId('abc', SECRET), NOW).then(() => undefined, (e: unknown) => e)
  t.type(error, SessionConfigError)
  t.equal((error as SessionConfigError).variable, 'ARC_SESSION_TABLE_NAME')
  t.match((error as Error).message, /no-such-table/)
})

t.test('a dead port fails fast as "unavailable" with the network error as the cause', async (t) => {
  const port = await freePort()
  const client = createDynamoDbClient(LOCAL, { AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${port}` })
  t.teardown(() => client.destroy())
  const store = createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
  const error = await store.load(signId('abc', SECRET), NOW).then(() => undefined, (e: unknown) => e)
  t.type(error, SessionStoreUnavailableError)
  t.match(String((error as Error).cause), /ECONNREFUSED/)
})

t.test('a DynamoDB that accepts but never answers times out as "unavailable"', async (t) => {
  const silent = http.createServer(() => {
    // Never answers.
  })
  await new Promise<void>((resolve) => silent.listen(0, 'localhost', resolve))
  t.teardown(() => {
    silent.closeAllConnections()
    silent.close()
  })
  const client = createDynamoDbClient(LOCAL, { AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${(silent.address() as AddressInfo).port}` })
  t.teardown(() => client.destroy())
  const store = createDynamoDbStore({ client, table: TABLE, signingSecrets: [SECRET], lifetime: DEFAULT_LIFETIME })
  const error = await store.load(signId('abc', SECRET), NOW).then(() => undefined, (e: unknown) => e)
  t.type(error, SessionStoreUnavailableError)
  t.equal(((error as Error).cause as Error).name, 'TimeoutError')
})

async function freePort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
