/**
 * The DynamoDB client: keep-alive connections, and the endpoint, region and credentials it uses
 * deployed and under the Sandbox.
 */
import t from 'tap'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { awsTarget } from '../../src/shared/session/providers/ddb/target'
import { createDynamoDbClient } from '../../src/shared/session/providers/ddb/client'
import { SessionConfigError } from '../../src/shared/session/core/errors'
import { startDynalite } from '../helpers/dynamodb'

t.test('calls share one keep-alive connection', async (t) => {
  const { port, server } = await startDynalite(t, 'keepalive-sessions')
  let connections = 0
  server.on('connection', () => connections++)
  const client = createDynamoDbClient({ kind: 'sandbox', ports: { tables: port, internal: 1 } }, {})
  t.teardown(() => client.destroy())
  for (let i = 0; i < 5; i++) {
    await client.send(new GetItemCommand({ TableName: 'keepalive-sessions', Key: { _idx: { S: `id-${i}` } }, ConsistentRead: true }))
  }
  t.equal(connections, 1, 'five calls, one TCP connection')
})

t.test('under the Sandbox: its DynamoDB port, a default region, dummy credentials when none are given', async (t) => {
  const client = createDynamoDbClient({ kind: 'sandbox', ports: { tables: 6543, internal: 1 } }, {})
  t.teardown(() => client.destroy())
  const endpoint = await client.config.endpoint?.()
  t.equal(endpoint?.hostname, 'localhost')
  t.equal(endpoint?.port, 6543)
  t.equal(await client.config.region(), 'us-west-2')
  t.equal((await client.config.credentials()).accessKeyId, 'arcDummyAccessKey')

  const given = createDynamoDbClient(
    { kind: 'sandbox', ports: { tables: 6543, internal: 1 } },
    { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'sandbox-key', AWS_SECRET_ACCESS_KEY: 'sandbox-secret' },
  )
  t.teardown(() => given.destroy())
  t.equal(await given.config.region(), 'eu-west-1')
  t.equal((await given.config.credentials()).accessKeyId, 'sandbox-key', 'the credentials the Sandbox passes are used')
})

t.test('AWS_ENDPOINT_URL_DYNAMODB moves the endpoint, under the Sandbox too', async (t) => {
  const client = createDynamoDbClient({ kind: 'sandbox', ports: { tables: 6543, internal: 1 } }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:7654' })
  t.teardown(() => client.destroy())
  const endpoint = await client.config.endpoint?.()
  t.equal(endpoint?.port, 7654)
})

t.test('which AWS: the rule of @architect/functions useAWS()', async (t) => {
  const sandbox = JSON.stringify({ ports: { http: 3333, tables: 5555, _arc: 2222 } })
  t.strictSame(awsTarget({ ARC_ENV: 'testing', ARC_SANDBOX: sandbox }), { kind: 'sandbox', ports: { tables: 5555, internal: 2222 } })
  t.strictSame(awsTarget({ ARC_ENV: 'staging', ARC_SANDBOX: sandbox }), { kind: 'sandbox', ports: { tables: 5555, internal: 2222 } }, 'Sandbox with a deployed env name')
  t.strictSame(awsTarget({ ARC_ENV: 'staging', ARC_SANDBOX: sandbox, ARC_LOCAL: '1' }), { kind: 'aws' }, 'ARC_LOCAL asks for live AWS')
  t.strictSame(awsTarget({ ARC_ENV: 'production' }), { kind: 'aws' })
  for (const broken of [undefined, 'not json', '{}', '{"ports":{"tables":"5555","_arc":2222}}', 'null']) {
    t.throws(() => awsTarget({ ARC_ENV: 'testing', ARC_SANDBOX: broken }), SessionConfigError, `ARC_SANDBOX=${broken}`)
  }
  t.throws(() => awsTarget({ ARC_ENV: 'testing' }), new SessionConfigError('ARC_SANDBOX', "is not set; DynamoDB sessions under ARC_ENV=testing need the ports that `arc sandbox` passes to each function; run the app with `npm start`"))
})
