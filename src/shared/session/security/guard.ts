/**
 * The adapter's side of the cross-site check: the verdict for one Lambda event, logged when the
 * request is refused. The log line holds only fixed words, never a header value, and comes at most
 * once a minute (core/log.ts).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { logRateLimited } from '../core/log'
import { crossSiteVerdict, type CrossSiteReason } from './cross-site'
import { trustedOrigins } from './trusted-origins'

export interface CrossSiteOptions {
  /**
   * Accept state-changing requests from other sites. Off by default; turn it on only for an
   * endpoint that other sites must post to and that does not act on the visitor's session.
   */
  readonly allowCrossSite?: boolean
}

/** Why the request must be refused, or undefined when it may go on. Throws SessionConfigError for a bad ARC_TRUSTED_ORIGINS. */
export function crossSiteRefusal(event: APIGatewayProxyEventV2, options: CrossSiteOptions): CrossSiteReason | undefined {
  const trusted = trustedOrigins()
  if (options.allowCrossSite === true) return undefined
  // Hostile or hand-made events may lack any of these, whatever the type says.
  const context = event.requestContext as Partial<APIGatewayProxyEventV2['requestContext']> | undefined
  const restMethod = (event as { httpMethod?: unknown }).httpMethod
  const method = context?.http?.method ?? (typeof restMethod === 'string' ? restMethod : undefined)
  const domainName = typeof context?.domainName === 'string' ? context.domainName : undefined
  const verdict = crossSiteVerdict({ method, headers: event.headers, domainName }, trusted)
  if (verdict.allowed) return undefined
  // Anyone can send these at will: rate-limited, so that they cannot fill the log.
  logRateLimited(
    'cross-site',
    'warn',
    `refused a cross-site request: its ${verdict.reason} header names another site. If your own pages are refused, a proxy may be changing Host: list the public origin in ARC_TRUSTED_ORIGINS`,
  )
  return verdict.reason
}
