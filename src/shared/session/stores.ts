/**
 * Picks the store that the configuration asks for, once per process. The DynamoDB store, and with
 * it the AWS SDK, is loaded only in DynamoDB mode so that JWE-mode functions start fast.
 */
import type { SessionConfig } from './config'
import { SessionConfigError } from './errors'
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
      return createJweStore(config.jweKeys)
    case 'dynamodb':
      throw new SessionConfigError('ARC_SESSION_TABLE_NAME', 'DynamoDB sessions are not available in this build; use jwe')
  }
}
