/**
 * The Lambda adapter, a typed superset of `arc.http` 8.x (docs/sessions.md): it parses the request
 * (./request.ts), reads the session into `req.session`, runs the handler or middleware chain
 * (./middleware.ts), understands what it returned (./handler-result.ts), writes the session and
 * answers in the payload's shape (./response.ts).
 *
 * @example
 *   export const handler = http(async (req) => ({ session: { count: 1 }, location: '/' }))
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { systemClock } from '../core/clock'
import { getConfig, type SessionConfig } from '../core/config'
import { logOnce, logRateLimited } from '../core/log'
import { readSessionCookie } from '../cookie/codec'
import { cookieDomainProblem } from '../cookie/domain'
import { requestOrigin } from '../security/origin'
import { getStore, prepareStore } from '../providers'
import { crossSiteRefusal } from '../security/guard'
import { withSecurityHeaders } from '../security/headers'
import type { SessionShape } from '../typed/schema'
import type { AnySessionSchema } from '../typed/view'
import { runWithRetries, type RunHandler } from './commit'
import { BACK_TO_START, errorPage, errorResponse } from './error-response'
import { understand } from './handler-result'
import { chainOf, checkedOptions, runChain, type Chain, type HttpOptions, type SessionHandler } from './middleware'
import { isPayloadV1, parseRequest, type HttpEvent } from './request'
import { formatResponse, type HttpResult, type PlainResponse } from './response'

export type { HttpEvent, HttpRequest, RequestBody } from './request'
export type { HandlerResponse, HandlerResult, HttpResult } from './response'
export type { HttpOptions, SessionHandler, SessionRequest } from './middleware'
export { NO_STORE } from './response'

export type SessionLambda = (event: HttpEvent, context?: Context) => Promise<HttpResult>

/**
 * An untyped session: `req.session` is any JSON object (for a declared shape, see `defineSession`).
 * One handler, or several run in order as middleware; options, if any, last.
 */
export function http(...handlers: SessionHandler[]): SessionLambda
export function http(...args: [...handlers: SessionHandler[], options: HttpOptions]): SessionLambda
export function http(...args: unknown[]): SessionLambda {
  return createHttp(undefined, args)
}

/**
 * The adapter, with the schema (if any) that `req.session` is checked against on every read.
 * `defaults`: options for every route of a `defineSession` (the app's `errorPage`); the route's own add to them.
 */
export function createHttp(schema: AnySessionSchema | undefined, args: readonly unknown[], defaults: HttpOptions = {}): SessionLambda {
  const own = chainOf(args)
  const chain: Chain = { handlers: own.handlers, options: { ...checkedOptions(defaults), ...own.options } }
  // DynamoDB mode: load the SDK, make the client and find the table while the function initialises.
  prepareStore()
  return async function lambda(event, context = {} as Context) {
    // withSecurityHeaders keeps every field; it is typed for payload 2.0 only.
    return withSecurityHeaders(await respond(schema, chain, event, context)) as HttpResult
  }
}

async function respond(schema: AnySessionSchema | undefined, chain: Chain, event: HttpEvent, context: Context): Promise<HttpResult> {
  try {
    // A cross-site write is refused before the session is read, so it cannot touch it.
    // The guard reads either payload (1.0's httpMethod included); its type names 2.0 only.
    if (crossSiteRefusal(event as APIGatewayProxyEventV2, chain.options)) {
      const message = 'This request came from another site, so it was not carried out. Nothing was changed.'
      return errorPage({ statusCode: 403, title: 'Refused', message, action: BACK_TO_START }, chain.options)
    }
    const config = getConfig()
    for (const warning of config.warnings) logOnce('warn', warning)
    const domainProblem = cookieDomainMismatch(event, config)
    if (domainProblem) {
      // The host is the request's: per request, so rate-limited like anything an outsider can send.
      logRateLimited('cookie-domain', 'error', `configuration error: ${domainProblem}`)
      return errorPage({ statusCode: 500, title: 'Not configured', message: 'Sessions are not configured on this server. The log says how to fix it.' }, chain.options)
    }
    const store = await getStore(config)
    const run: RunHandler = async (session) => {
      // Each attempt (a retry too) starts from the event: nothing a handler changed carries over.
      // Assigned, not spread: a spread would read, and so parse, the body the handler may never read.
      const request = Object.assign(parseRequest(event), { session })
      return understand(await runChain(chain.handlers, request, context), request, chain.options) as PlainResponse<SessionShape>
    }
    const { response, setCookie } = await runWithRetries(schema, run, readSessionCookie(event), store, config, chain.options.clock ?? systemClock)
    // `run` gave the commit a PlainResponse, and the commit hands it back as it is.
    return formatResponse(response as PlainResponse<SessionShape>, setCookie, isPayloadV1(event) ? '1.0' : '2.0')
  } catch (error) {
    return errorResponse(error, { method: requestMethod(event) }, chain.options)
  }
}

/** The request's method in either payload (2.0's requestContext.http, 1.0's httpMethod); hand-made events may have neither. */
function requestMethod(event: HttpEvent): string | undefined {
  const { requestContext, httpMethod } = event as { requestContext?: { http?: { method?: unknown } }; httpMethod?: unknown }
  const method = requestContext?.http?.method ?? httpMethod
  return typeof method === 'string' ? method : undefined
}

/**
 * ARC_SESSION_DOMAIN must cover the host the browser asked for, or the cookie is never kept: known
 * only per request, and refused then. A request whose host cannot be read is left to go on.
 */
function cookieDomainMismatch(event: HttpEvent, config: SessionConfig): string | undefined {
  const { domain } = config.cookie
  if (domain === undefined) return undefined
  const context = event.requestContext as Partial<HttpEvent['requestContext']> | undefined
  const origin = requestOrigin(event.headers, typeof context?.domainName === 'string' ? context.domainName : undefined)
  return origin === undefined ? undefined : cookieDomainProblem(new URL(origin).host, domain)
}
