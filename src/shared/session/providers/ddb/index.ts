/**
 * DynamoDB mode's entry point, loaded (with the AWS SDK) only when the configuration asks for it.
 * Makes the client and builds the store, once per process; the table's name may still be on its
 * way (providers/index.ts starts finding it before it loads this module).
 */
import type { AwsTarget, Env } from './target'
import type { SessionConfig } from '../../core/config'
import { createDynamoDbClient } from './client'
import { createDynamoDbStore } from './store'
import type { SessionStore } from '../store'

export async function openDynamoDbStore(config: SessionConfig, table: Promise<string> | string, target: AwsTarget, env: Env): Promise<SessionStore> {
  return createDynamoDbStore({
    client: createDynamoDbClient(target, env),
    table: await table,
    signingSecrets: config.signingSecrets,
    jweKeys: config.jweKeys,
    lifetime: config.lifetime,
  })
}
