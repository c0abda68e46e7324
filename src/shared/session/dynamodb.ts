/**
 * DynamoDB mode's entry point, loaded (with the AWS SDK) only when the configuration asks for it.
 * Finds the table, makes the client, and builds the store, once per process.
 */
import { awsTarget, type Env } from './aws-target'
import type { SessionConfig } from './config'
import { createDynamoDbClient } from './dynamodb-client'
import { createDynamoDbStore } from './dynamodb-store'
import type { SessionStore } from './store'
import { resolveTableName } from './table-discovery'

export async function openDynamoDbStore(config: SessionConfig, table: string, env: Env = process.env): Promise<SessionStore> {
  const target = awsTarget(env)
  return createDynamoDbStore({
    client: createDynamoDbClient(target, env),
    table: await resolveTableName(table, target, env),
    signingSecrets: config.signingSecrets,
    jweKeys: config.jweKeys,
    lifetime: config.lifetime,
  })
}
