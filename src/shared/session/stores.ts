/**
 * Picks the store that the configuration asks for, once per process. The DynamoDB store, and with
 * it the AWS SDK, is loaded only in DynamoDB mode so that JWE-mode functions start fast.
 */
import type { SessionConfig } from './config'
import { createJweStore } from './jwe-store'
import type { SessionStore } from './store'

let cached: { config: SessionConfig; store: Promise<SessionStore> } | undefined

export function getStore(config: SessionConfig): Promise<SessionStore> {
  if (cached?.config !== config) {
    const store = createStore(config)
    // A failed creation (say, an unknown table) is not kept: the next request tries again.
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
      // A lazy require, not import(): esbuild bundles it as a module initialised on first use, so
      // the AWS SDK is required only here; and ts-node (the tests) keeps one instance of each module.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { openDynamoDbStore } = require('./dynamodb') as typeof import('./dynamodb')
      return openDynamoDbStore(config, config.store.table)
    }
  }
}
