/** The SessionConfigError that `env` makes loadConfig throw; fails the test when it makes none. */
import { loadConfig } from '../../src/shared/session/core/config'
import { SessionConfigError } from '../../src/shared/session/core/errors'

export function configError(env: Record<string, string>): SessionConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof SessionConfigError) return error
    throw error
  }
  throw new Error(`no configuration error for ${JSON.stringify(env)}`)
}
