/**
 * ARC_TRUSTED_ORIGINS: comma-separated origins, besides the request's own, that may post to this
 * app. Needed when a proxy in front (a CloudFront distribution, say) hands API Gateway another
 * Host than the one the browser sees, or when a second front end on another origin posts here.
 */
import { SessionConfigError } from '../core/errors'
import { processEnv, type Env } from '../core/env'
import { parseOriginHeader } from './origin'

export const TRUSTED_ORIGINS_VARIABLE = 'ARC_TRUSTED_ORIGINS'

/**
 * The trusted origins, each checked to be exactly an origin. Read on every request (a split and a
 * few URL parses) so that a mistake fails every request at once, with the variable named.
 */
export function trustedOrigins(env: Env = processEnv()): string[] {
  const origins = (env[TRUSTED_ORIGINS_VARIABLE] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const origin of origins) {
    if (parseOriginHeader(origin) === undefined) {
      throw new SessionConfigError(
        TRUSTED_ORIGINS_VARIABLE,
        `'${origin}' is not an origin; write scheme://host[:port] in lowercase with no path, e.g. https://example.com`,
      )
    }
  }
  return origins
}
