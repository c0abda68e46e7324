/**
 * Picks the store that the configuration asks for, once per process. The DynamoDB store, and with
 * it the AWS SDK, is loaded only in DynamoDB mode so that JWE-mode functions start fast; in that
 * mode it is prepared while the function initialises, before its first request.
 */
import { awsTarget } from './ddb/target'
import { getConfig, type SessionConfig } from '../core/config'
import { processEnv } from '../core/env'
import { createJweStore } from './jwe/store'
import type { SessionStore } from './store'

let cached: { config: SessionConfig; store: Promise<SessionStore> } | undefined

export function getStore(config: SessionConfig): Promise<SessionStore> {
  if (cached?.config !== config) {
    const store = createStore(config)
    // A failed creation is not kept (the table is looked up later, by the store): the next request tries again.
    store.catch(() => {
      if (cached?.store === store) cached = undefined
    })
    cached = { config, store }
  }
  return cached.store
}

async function createStore(config: SessionConfig): Promise<SessionStore> {
  switch (config.store.kind) {
    case 'jwe':
      return createJweStore(config.jweKeys, config.lifetime)
    case 'dynamodb': {
      // Lazy requires, not import(): esbuild bundles each as a module initialised on first use, so
      // DynamoDB mode's code (and node:http, and the AWS SDK) is loaded only here; and the tests'
      // TypeScript loader keeps one instance of each module.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { resolveTableName } = require('./ddb/table-name') as typeof import('./ddb/table-name')
      const env = processEnv()
      const target = awsTarget(env)
      const table = config.store.table
      // Finding the table may take a call to service discovery (when ARC_TABLE_NAMES does not name
      // it): started first, it is under way while the SDK loads, and awaited only by the first
      // DynamoDB call (a cookieless request makes none). After that, each lookup is made when asked.
      let started: Promise<string> | undefined = resolveTableName(table, target, env)
      started.catch(() => undefined)
      const findTable = () => {
        const first = started
        started = undefined
        return first ?? resolveTableName(table, target, env)
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { openDynamoDbStore } = require('./ddb') as typeof import('./ddb')
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createCarryOver } = require('./carry-over') as typeof import('./carry-over')
      return openDynamoDbStore(config, findTable, target, env, createCarryOver(config.jweKeys, config.lifetime))
    }
  }
}

/**
 * Called when a handler is made, at module scope: Lambda's init phase. In DynamoDB mode it starts
 * loading the SDK, making the client and finding the table, so that the first request finds them
 * ready; Lambda runs init before the first invocation, sometimes well before it (proactive
 * initialisation). JWE mode has nothing to prepare. A failure is left to the first request, which
 * reports it (getStore gives it the same promise, or tries again once it has failed).
 */
export function prepareStore(): void {
  let config: SessionConfig
  try {
    config = getConfig()
  } catch {
    return
  }
  if (config.store.kind === 'dynamodb') getStore(config).catch(() => undefined)
}
