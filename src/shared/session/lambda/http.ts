/**
 * The Lambda adapter, shaped like `arc.http`: it reads the session into `req.session`, runs the
 * handler, and turns `{ session, location }`, `{ session, html }` or `{ json }` into an API
 * Gateway response with the session cookie.
 *
 * @example
 *   export const handler = http(async (req) => ({ session: { count: 1 }, location: '/' }))
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { getConfig } from '../core/config'
import { logOnce } from '../core/log'
import { readSessionCookie } from '../cookie/codec'
import { getStore, prepareStore } from '../providers'
import type { SessionData } from '../providers/store'
import { crossSiteRefusal, type CrossSiteOptions } from '../security/guard'
import { withSecurityHeaders } from '../security/headers'
import type { SessionShape } from '../typed/schema'
import type { AnySessionSchema } from '../typed/view'
import { runWithRetries, type RunHandler } from './commit'
import { errorPage, errorResponse } from './error-response'
import { formatResponse, type HandlerResponse, type HttpResult } from './response'

export type HttpEvent = APIGatewayProxyEventV2
export type { HandlerResponse, HttpResult } from './response'
export { NO_STORE } from './response'

/** `Session`: the session's shape, `SessionData` (any JSON object) unless a schema declares it. */
export interface SessionRequest<Session = SessionData> extends HttpEvent {
  /** The session's data; a copy, so changing it changes nothing until it is returned. */
  session: Session
}

export type SessionHandler<Session = SessionData, Input = Session> = (req: SessionRequest<Session>) => Promise<HandlerResponse<Input>>

export type SessionLambda = (event: HttpEvent) => Promise<HttpResult>

/** `allowCrossSite`: see docs/security.md. By default a state-changing request from another site is refused. */
export type HttpOptions = CrossSiteOptions

/** An untyped session: `req.session` is any JSON object. For a declared shape, see `defineSession`. */
export function http(handler: SessionHandler, options: HttpOptions = {}): SessionLambda {
  return createHttp(undefined, handler, options)
}

/** The adapter, with the schema (if any) that `req.session` is checked against on every read. */
export function createHttp<Session, Input>(
  schema: AnySessionSchema | undefined,
  handler: SessionHandler<Session, Input>,
  options: HttpOptions = {},
): SessionLambda {
  // DynamoDB mode: load the SDK, make the client and find the table while the function initialises.
  prepareStore()
  // The adapter itself handles any session shape: the types above are what the handler promised.
  const anyHandler = handler as unknown as SessionHandler<unknown, SessionShape>
  return async function lambda(event) {
    const run: RunHandler = (session) => anyHandler({ ...event, session })
    return withSecurityHeaders(await respond(schema, run, event, options))
  }
}

async function respond(schema: AnySessionSchema | undefined, run: RunHandler, event: HttpEvent, options: HttpOptions): Promise<HttpResult> {
  try {
    // A cross-site write is refused before the session is read, so it cannot touch it.
    if (crossSiteRefusal(event, options)) {
      return errorPage(403, 'Refused', 'This request came from another site, so it was not carried out. Nothing was changed.')
    }
    const config = getConfig()
    for (const warning of config.warnings) logOnce('warn', warning)
    const store = await getStore(config)
    const { response, setCookie } = await runWithRetries(schema, run, readSessionCookie(event), store, config)
    return formatResponse(response, setCookie)
  } catch (error) {
    return errorResponse(error)
  }
}
