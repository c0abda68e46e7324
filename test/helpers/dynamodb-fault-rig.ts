/** A DynamoDB store whose calls go through a fault proxy, beside one that goes straight to the same local DynamoDB. */
import type { Test } from 'tap'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createDynamoDbClient } from '../../src/shared/session/providers/ddb/client'
import { createDynamoDbStore } from '../../src/shared/session/providers/ddb/store'
import { DEFAULT_LIFETIME } from '../../src/shared/session/core/lifetime'
import type { SessionStore } from '../../src/shared/session/providers/store'
import { FaultProxy } from './fault-proxy'
import { startDynalite } from './dynamodb'

const LOCAL = { kind: 'sandbox', ports: { tables: 1, internal: 1 } } as const

export interface FaultRig {
  readonly proxy: FaultProxy
  /** Through the proxy, as the app sends: the store under test. */
  readonly store: SessionStore
  /** Straight to DynamoDB: another request's writes, and the test's reads. */
  readonly other: SessionStore
  readonly direct: DynamoDBClient
}

export async function faultRig(t: Test, table: string, secret: string): Promise<FaultRig> {
  const { port, client: direct } = await startDynalite(t, table)
  const proxy = new FaultProxy(0, port)
  const proxyPort = await proxy.listen()
  t.teardown(() => proxy.close())
  const client = createDynamoDbClient(LOCAL, { AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${proxyPort}` })
  t.teardown(() => client.destroy())
  const options = { table, signingSecrets: [secret], lifetime: DEFAULT_LIFETIME }
  return { proxy, store: createDynamoDbStore({ client, ...options }), other: createDynamoDbStore({ client: direct, ...options }), direct }
}
