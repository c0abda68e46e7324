/**
 * The session core's public API, shaped like Architect's sessions guide so that its code ports
 * with an import change:
 *
 *   export const handler = http(async (req) => ({ session: { count: 1 }, location: '/' }))
 *
 *   const session = await read(req)          // lower level, as arc.http.session.read
 *   const cookie = await write(session, req) // a Set-Cookie header, as arc.http.session.write
 *
 * A session's shape is declared once, checked on every read and known to the compiler (docs/guarantees.md#g-typed-sessions):
 *
 *   export const counterSession = defineSession(v.object({ count: v.optional(v.number(), 0) }))
 *   export const handler = counterSession.http(async (req) => ({ session: { count: req.session.count + 1 }, location: '/' }))
 *
 * Configuration comes from the environment (ARC_SESSION_TABLE_NAME, ARC_APP_SECRET, ...): see docs/sessions.md.
 */
import type { CookieSource } from './cookie/codec'
import { http as adapter } from './lambda/http'
import { readWith, writeWith } from './lambda/read-write'
import type { SessionData } from './providers/store'

/**
 * The adapter, with the lower-level API on it as `arc.http.session` has it, so that this module,
 * imported whole as `arc`, stands in for Architect's own runtime helpers in the guide's examples.
 */
export const http = Object.assign(adapter, { session: { read, write } })
export { NO_STORE } from './lambda/http'
export type {
  HandlerResponse,
  HandlerResult,
  HttpEvent,
  HttpOptions,
  HttpRequest,
  HttpResult,
  RequestBody,
  SessionHandler,
  SessionLambda,
  SessionRequest,
} from './lambda/http'
export { defineSession, type TypedSession } from './define'
export { plainErrorPage, type ErrorPageAction, type ErrorPageContent, type ErrorPageRenderer } from './lambda/error-response'
export type { InferSession, InferSessionInput, ParseSession, SessionSchema, SessionShape, SessionValue } from './typed/schema'
export type { JsonValue, SessionData, UnreadableReason } from './providers/store'
export {
  SessionConfigError,
  SessionConflictError,
  SessionError,
  SessionNotStorableError,
  SessionRequestBodyError,
  SessionResponseError,
  SessionSchemaError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SessionWriteUncertainError,
  type SessionErrorCode,
} from './core/errors'

/** The request's session data; `{}` when it has none or its cookie cannot be used. */
export async function read(req: CookieSource): Promise<SessionData> {
  return readWith<SessionData>(undefined, req)
}

/**
 * Saves `session` and returns the Set-Cookie header to send. Pass the request that `read` was
 * given (or the very object it returned) so the session keeps its identity; `{}` ends the session.
 */
export async function write(session: SessionData, req?: CookieSource): Promise<string> {
  return writeWith(undefined, session, req)
}
