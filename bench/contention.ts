/**
 * Contention: 100 concurrent `POST /count` on one session, through the app's own handler (the
 * adapter, the store, the real SDK client) against a local DynamoDB (dynalite, in this process),
 * with a counting proxy in between: how many DynamoDB calls each request costs, whether all 100
 * are kept, and how long the burst takes. Beside it, what an atomic `UpdateItem ... ADD` would cost
 * (one call per request), which the adapter cannot use for a handler's arbitrary change
 * (docs/dynamodb.md, "Concurrent requests").
 *
 * `npx tsx bench/contention.ts` prints the section; `npm run bench` puts it in bench/RESULTS.md.
 * Runs against whatever code is checked out, so the same file measures before and after a change.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { FaultProxy } from '../test/helpers/fault-proxy'
import { lambdaEvent, setCookieValue } from '../test/helpers/lambda-event'

const TABLE = 'bench-contention-sessions'
const SECRET = 'bench-contention-secret-0123456789abcdef'
const CONCURRENT = 100
/** Sent in waves of this many at once (the integration test's waves are 10); 100: all at once. */
const WAVE = Number(process.env['WAVE'] ?? CONCURRENT)

/**
 * The local DynamoDB in a process of its own, as the Sandbox runs it: in this one it would compete
 * with the 100 requests for the event loop.
 */
async function startDynalite(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', "const s = require('dynalite')({ createTableMs: 0 }); s.listen(0, 'localhost', () => console.log(s.address().port))"], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))))
  return { port, stop: () => void child.kill() }
}

interface Round {
  readonly kept: number
  readonly statuses: Record<number, number>
  readonly calls: Record<string, number>
  readonly ms: number
}

export async function runContention(rounds = 5): Promise<string> {
  const db = await startDynalite()
  const dbPort = db.port
  const proxy = new FaultProxy(0, dbPort)
  const proxyPort = await proxy.listen()
  const direct = new DynamoDBClient({ endpoint: `http://localhost:${dbPort}`, region: 'us-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
  await direct.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: '_idx', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: '_idx', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  )
  Object.assign(process.env, {
    ARC_ENV: 'testing',
    ARC_APP_NAME: 'bench-contention',
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: TABLE,
    ARC_TABLE_NAMES: JSON.stringify({ sessions: TABLE }),
    ARC_SANDBOX: JSON.stringify({ ports: { tables: dbPort, _arc: 1 } }),
    AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${proxyPort}`,
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  // Required after the environment is set: the handler reads its configuration as it is made.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require('../src/http/post-count') as typeof import('../src/http/post-count')

  const results: Round[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const first = await handler(lambdaEvent({ method: 'POST', path: '/count' }))
      const cookie = setCookieValue(first)
      if (cookie === undefined) throw new Error(`the first POST /count set no session cookie (status ${first.statusCode})`)
      proxy.seen.length = 0
      const started = performance.now()
      const answers = []
      for (let sent = 0; sent < CONCURRENT; sent += WAVE) {
        const wave = Array.from({ length: Math.min(WAVE, CONCURRENT - sent) }, () => handler(lambdaEvent({ method: 'POST', path: '/count', sessionCookie: cookie })))
        answers.push(...(await Promise.all(wave)))
      }
      const ms = performance.now() - started
      const calls: Record<string, number> = {}
      for (const operation of proxy.seen) calls[operation] = (calls[operation] ?? 0) + 1
      const statuses: Record<number, number> = {}
      for (const answer of answers) statuses[answer.statusCode] = (statuses[answer.statusCode] ?? 0) + 1
      const id = decodeURIComponent(cookie).split('.')[0]!
      const item = (await direct.send(new GetItemCommand({ TableName: TABLE, Key: { _idx: { S: id } }, ConsistentRead: true }))).Item
      results.push({ kept: Number(item?.['count']?.N) - 1, statuses, calls, ms })
    }
    const atomic = await atomicUpdates(direct, proxyPort)
    return report(results, atomic)
  } finally {
    await proxy.close()
    direct.destroy()
    db.stop()
  }
}

/** The same burst as raw `UpdateItem ... ADD count :1` calls through the proxy: one call each, no read. */
async function atomicUpdates(direct: DynamoDBClient, proxyPort: number): Promise<{ kept: number; ms: number }> {
  const client = new DynamoDBClient({ endpoint: `http://localhost:${proxyPort}`, region: 'us-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
  const key = { _idx: { S: 'atomic-update-session-00' } }
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENT }, () =>
      client.send(new UpdateItemCommand({ TableName: TABLE, Key: key, UpdateExpression: 'ADD #c :one', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':one': { N: '1' } } })),
    ),
  )
  const ms = performance.now() - started
  client.destroy()
  const item = (await direct.send(new GetItemCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item
  return { kept: Number(item?.['count']?.N), ms }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function report(rounds: Round[], atomic: { kept: number; ms: number }): string {
  const total = (r: Round) => Object.values(r.calls).reduce((a, b) => a + b, 0)
  const rows = rounds.map(
    (r, i) =>
      `| ${i + 1} | ${r.kept} | ${Object.entries(r.statuses).map(([s, n]) => `${n}× ${s}`).join(', ')} | ${r.calls['GetItem'] ?? 0} | ${r.calls['PutItem'] ?? 0} | ${r.calls['DeleteItem'] ?? 0} | ${(total(r) / CONCURRENT).toFixed(1)} | ${Math.round(r.ms)} |`,
  )
  return [
    `${CONCURRENT} \`POST /count\` with one cookie, ${WAVE === CONCURRENT ? 'all at once' : `in waves of ${WAVE}`}, ${rounds.length} rounds (each on a fresh session), DynamoDB calls counted by a proxy:`,
    '',
    '| round | increments kept | answers | GetItem | PutItem | DeleteItem | calls per request | burst, ms |',
    '|---:|---:|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Median: ${median(rounds.map(total)) / CONCURRENT} calls per request, ${Math.round(median(rounds.map((r) => r.ms)))} ms per burst. ` +
      `An atomic \`UpdateItem ... ADD\` for comparison: ${atomic.kept} of ${CONCURRENT} kept, 1 call per request, ${Math.round(atomic.ms)} ms.`,
  ].join('\n')
}

if (require.main === module) {
  runContention(Number(process.env['ROUNDS'] ?? 5)).then(
    (section) => console.log(section),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
