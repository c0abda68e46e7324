/**
 * DynamoDB mode's entry point, loaded (with the AWS SDK) only when the configuration asks for it.
 * Makes the client and builds the store, once per process. The table's name is looked up on the
 * first call that needs it (a cookieless request needs none, and does not wait on it); a failed
 * lookup is not kept, so the next request tries again.
 */
import type { AwsTarget, Env } from './target'
import type { SessionConfig } from '../../core/config'
import type { CarryOver } from '../carry-over'
import { createDynamoDbClient } from './client'
import { createDynamoDbStore } from './store'
import type { SessionStore } from '../store'

export function openDynamoDbStore(config: SessionConfig, findTable: () => Promise<string>, target: AwsTarget, env: Env, carryOver: CarryOver | undefined): SessionStore {
  let table: Promise<string> | undefined
  const tableName = () => {
    if (!table) {
      const lookup = findTable()
      lookup.catch(() => {
        if (table === lookup) table = undefined
      })
      table = lookup
    }
    return table
  }
  return createDynamoDbStore({
    client: createDynamoDbClient(target, env),
    table: tableName,
    signingSecrets: config.signingSecrets,
    carryOver,
    lifetime: config.lifetime,
  })
}
