/**
 * A real local DynamoDB for unit tests (dynalite, in this process, on a free port), and small
 * table helpers that integration tests also use against the Sandbox's DynamoDB.
 */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo, Server } from 'node:net'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import type { Test } from 'tap'

type Dynalite = (options: { createTableMs?: number }) => Server
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as Dynalite

export type Item = Record<string, AttributeValue>

export function testClient(port: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://localhost:${port}`,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
}

/** Starts dynalite on a free port with a sessions table (`_idx` hash key), stopped at teardown. */
export async function startDynalite(t: Pick<Test, 'teardown'>, table = 'test-sessions'): Promise<{ port: number; client: DynamoDBClient; server: Server }> {
  const server = dynalite({ createTableMs: 0 })
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  const { port } = server.address() as AddressInfo
  const client = testClient(port)
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: '_idx', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: '_idx', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  )
  t.teardown(async () => {
    client.destroy()
    await new Promise((resolve) => server.close(resolve))
  })
  return { port, client, server }
}

export async function scanAll(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = []
  let start: Item | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }))
    items.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start)
  return items
}

export async function getItem(client: DynamoDBClient, table: string, id: string): Promise<Item | undefined> {
  return (await client.send(new GetItemCommand({ TableName: table, Key: { _idx: { S: id } }, ConsistentRead: true }))).Item
}

export async function putItem(client: DynamoDBClient, table: string, item: Item): Promise<void> {
  await client.send(new PutItemCommand({ TableName: table, Item: item }))
}

/** One DynamoDB call as the SDK was asked to make it: the command's name and its input. */
export interface RecordedCall {
  readonly command: string
  readonly input: Record<string, unknown>
}

/**
 * Records every call made through `client`, which still goes to the real (local) DynamoDB: an SDK
 * middleware at the first step, so the input is exactly what the code under test passed. The
 * guarantees that live in the request (ConsistentRead, a write's condition, the attributes
 * written, no call at all) are asserted on these. Take the calls so far with `calls.splice(0)`.
 */
export function recordCalls(client: DynamoDBClient): RecordedCall[] {
  const calls: RecordedCall[] = []
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({ command: String(context.commandName), input: structuredClone(args.input as Record<string, unknown>) })
      return next(args)
    },
    { step: 'initialize', name: 'recordSessionCalls' },
  )
  return calls
}

/** A client of its own for the store under test, recorded; the test's own reads and writes stay out of the record. */
export function recordedClient(t: Pick<Test, 'teardown'>, port: number): { client: DynamoDBClient; calls: RecordedCall[] } {
  const client = testClient(port)
  t.teardown(() => client.destroy())
  return { client, calls: recordCalls(client) }
}

/**
 * Every request that reaches the local DynamoDB server, whoever's client sent it: the operation
 * (from `X-Amz-Target`) and the JSON body as sent on the wire. For code that makes its own client
 * (the adapter), where a test cannot add middleware.
 */
export function recordRequests(server: Server): { operation: string; body: Record<string, unknown> }[] {
  const requests: { operation: string; body: Record<string, unknown> }[] = []
  server.on('request', (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? ''
      requests.push({ operation, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> })
    })
  })
  return requests
}

/** The id inside a DynamoDB-mode cookie value (`id.signature`, percent-encoded). */
export function idOfCookie(cookieValue: string): string {
  return decodeURIComponent(cookieValue).split('.')[0]!
}
