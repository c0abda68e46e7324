/**
 * DynamoDB mode, one process, all against the same local DynamoDB (the Sandbox's, started here):
 * a session write followed by a read. Ours (the store the adapter uses), @architect/functions in
 * DynamoDB mode, and the floor: a raw PutItem + GetItem on a keep-alive client.
 */
import http from 'node:http'
import path from 'node:path'
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import arc from '@architect/functions'
import { loadConfig } from '../src/shared/session/core/config'
import { readSessionCookie } from '../src/shared/session/cookie/codec'
import { awsTarget } from '../src/shared/session/providers/ddb/target'
import { openDynamoDbStore } from '../src/shared/session/providers/ddb'
import { resolveTableName } from '../src/shared/session/providers/ddb/table-name'
import { dataToItem } from '../src/shared/session/providers/ddb/item'
import type { LoadedSession, SessionData } from '../src/shared/session/providers/store'
import { measure, table, type Implementation, type Plan } from './lib/measure'
import { SESSIONS } from './jwe-micro'
import { startSandboxProcess } from './lib/sandbox-process'

const ROOT = path.resolve(__dirname, '..')
const PORT = Number(process.env['BENCH_PORT_BASE'] ?? 6500)
const APP = 'arc-sessions-ts'
const TABLE = `${APP}-staging-sessions`
const SECRET = 'bench-secret-0123456789abcdefghijklmnop'

/** The same item a session write stores, built once: the floor pays for the I/O alone. */
function floor(client: DynamoDBClient, data: SessionData): () => Promise<unknown> {
  const item = { ...dataToItem(data), _idx: { S: 'floor-session-id-00000000' }, _secret: { S: 'x'.repeat(24) }, _ttl: { N: '2000000000' }, _v: { N: '1' } }
  return async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item }))
    return client.send(new GetItemCommand({ TableName: TABLE, Key: { _idx: item._idx }, ConsistentRead: true }))
  }
}

/**
 * The floor plus the one thing docs/guarantees.md#g-no-lost-updates adds: the write is conditional on the version read.
 * Shown so the cost of the condition (paid by the local DynamoDB) is told apart from our own code's.
 */
function conditionalFloor(client: DynamoDBClient, id: string, data: SessionData): () => Promise<unknown> {
  const base = { ...dataToItem(data), _idx: { S: id }, _secret: { S: 'x'.repeat(24) }, _ttl: { N: '2000000000' } }
  let version = 0
  return async () => {
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { ...base, _v: { N: String(version + 1) } },
        ...(version === 0
          ? { ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': '_idx' } }
          : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': '_v' }, ExpressionAttributeValues: { ':v': { N: String(version) } } }),
      }),
    )
    version++
    return client.send(new GetItemCommand({ TableName: TABLE, Key: { _idx: base._idx }, ConsistentRead: true }))
  }
}

async function ours(env: Record<string, string>, data: SessionData): Promise<() => Promise<unknown>> {
  const target = awsTarget(env)
  const store = openDynamoDbStore(loadConfig(env), () => resolveTableName('sessions', target, env), target, env, undefined)
  let loaded: LoadedSession = { data: {}, exists: false, refresh: false }
  return async () => {
    const cookie = await store.save(loaded, data, Date.now())
    loaded = await store.load(readSessionCookie({ headers: { cookie: `_idx=${cookie}` } }), Date.now())
    return loaded.data
  }
}

async function reference(env: Record<string, string>, data: SessionData): Promise<() => Promise<unknown>> {
  Object.assign(process.env, env)
  // The reference's write needs the `_idx` and `_secret` that its read creates.
  let session = await arc.http.session.read({ headers: {} })
  return async () => {
    Object.assign(process.env, env)
    const setCookie = await arc.http.session.write({ ...session, ...data })
    session = await arc.http.session.read({ headers: { cookie: setCookie.slice(0, setCookie.indexOf(';')) } })
    return session
  }
}

export async function runDynamoDbMicro(plan: Plan): Promise<string> {
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true'
  const sandbox = await startSandboxProcess(ROOT, PORT)
  const env = {
    ARC_ENV: 'testing',
    ARC_APP_NAME: APP,
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: 'sessions',
    ARC_SANDBOX: JSON.stringify({ ports: { http: PORT, tables: PORT + 1, _arc: PORT + 2 } }),
  }
  const client = new DynamoDBClient({
    endpoint: `http://localhost:${PORT + 1}`,
    region: 'us-west-2',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: { httpAgent: new http.Agent({ keepAlive: true }) },
  })
  try {
    const sections: string[] = []
    for (const [label, data] of Object.entries(SESSIONS)) {
      const implementations: Implementation[] = [
        { name: 'floor: raw PutItem + GetItem, keep-alive', op: floor(client, data) },
        { name: 'floor + the version condition (no lost updates): conditional PutItem + GetItem', op: conditionalFloor(client, `conditional-${label}`, data) },
        { name: 'ours (DynamoDB store + cookie codec)', op: await ours(env, data) },
        { name: '@architect/functions 8.1.10', op: await reference(env, data) },
      ]
      const results = await measure(implementations, plan)
      sections.push(`#### ${label} session\n\n${table(results, implementations[0]!.name)}`)
    }
    return sections.join('\n\n')
  } finally {
    client.destroy()
    await sandbox.stop()
  }
}

if (require.main === module) {
  void runDynamoDbMicro({ rounds: 7, warmup: 50, operations: 500 }).then((md) => console.log(md))
}
