/**
 * A real local DynamoDB for unit tests (dynalite, in this process, on a free port), and small
 * table helpers that integration tests also use against the Sandbox's DynamoDB.
 */
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

/** The id inside a DynamoDB-mode cookie value (`id.signature`, percent-encoded). */
export function idOfCookie(cookieValue: string): string {
  return decodeURIComponent(cookieValue).split('.')[0]!
}
