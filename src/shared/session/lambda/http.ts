/**
 * The Lambda adapter, shaped like `arc.http` (contract A5): it reads the session into
 * `req.session`, runs the handler, and turns `{ session, location }`, `{ session, html }` or
 * `{ json }` into an API Gateway response with the session cookie.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { crossSiteRefusal, type CrossSiteOptions } from '../security/guard'
import { withSecurityHeaders } from '../security/headers'
import { getConfig, type SessionConfig } from '../core/config'
import { serializeClearedCookie, serializeSessionCookie, readSessionCookie } from '../cookie/codec'
import { SessionConfigError, SessionConflictError, SessionSchemaError, SessionStoreUnavailableError, SessionTooLargeError } from '../core/errors'
import { describeError, logLine, logOnce } from '../core/log'
import type { SessionShape } from '../typed/schema'
import { getStore, prepareStore } from '../providers'
import { noSession, type JsonValue, type LoadedSession, type SessionData, type SessionStore } from '../providers/store'
import { readsAsNew, viewSession, type AnySessionSchema, type SessionView } from '../typed/view'

export type HttpEvent = APIGatewayProxyEventV2
export type HttpResult = APIGatewayProxyStructuredResultV2

/** `Session`: the session's shape, `SessionData` (any JSON object) unless a schema declares it. */
export interface SessionRequest<Session = SessionData> extends HttpEvent {
  /** The session's data; a copy, so changing it changes nothing until it is returned. */
  session: Session
}

/** `Input`: what may be stored, `SessionData` unless a schema declares it. */
export interface HandlerResponse<Input = SessionData> {
  /**
   * The session to keep. Omit it to leave the session as it was; `null`, `{}` or a session that
   * reads as a new visitor's (the schema's defaults) ends it.
   */
  session?: Input | null
  /** Start a new session (new id, old one destroyed) with `session` as its data: use it on sign-in or reset. */
  regenerate?: boolean
  /** Redirect here (303 See Other unless `status` says otherwise). */
  location?: string
  html?: string
  json?: JsonValue
  status?: number
  headers?: Record<string, string>
}

export type SessionHandler<Session = SessionData, Input = Session> = (req: SessionRequest<Session>) => Promise<HandlerResponse<Input>>

export type SessionLambda = (event: HttpEvent) => Promise<HttpResult>

/** `allowCrossSite`: see docs/security.md. By default a state-changing request from another site is refused. */
export type HttpOptions = CrossSiteOptions

/** What the reference sends on HTML, JSON and redirects: nothing that shows a session may be cached. */
export const NO_STORE = 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0'

/** How often a handler is run again when a concurrent request changed the session first. */
const MAX_ATTEMPTS = 40

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
  const run = handler as unknown as SessionHandler<unknown, SessionShape>
  return async function lambda(event) {
    return withSecurityHeaders(await respond(schema, run, event, options))
  }
}

type AnyHandler = SessionHandler<unknown, SessionShape>

async function respond(schema: AnySessionSchema | undefined, handler: AnyHandler, event: HttpEvent, options: HttpOptions): Promise<HttpResult> {
  try {
    // Contract B11: a cross-site write is refused before the session is read, so it cannot touch it.
    if (crossSiteRefusal(event, options)) {
      return errorPage(403, 'Refused', 'This request came from another site, so it was not carried out. Nothing was changed.')
    }
    const config = getConfig()
    for (const warning of config.warnings) logOnce('warn', warning)
    const store = await getStore(config)
    return await runWithRetries(schema, handler, event, store, config)
  } catch (error) {
    return errorResponse(error)
  }
}

async function runWithRetries(
  schema: AnySessionSchema | undefined,
  handler: AnyHandler,
  event: HttpEvent,
  store: SessionStore,
  config: SessionConfig,
): Promise<HttpResult> {
  const cookieValue = readSessionCookie(event)
  for (let attempt = 1; ; attempt++) {
    const loaded = await store.load(cookieValue, Date.now())
    const view = await viewSession(schema, loaded)
    const response = await handler({ ...event, session: view.session })
    try {
      const setCookie = await persist(store, { loaded, view, schema }, response, config)
      return formatResponse(response, setCookie)
    } catch (error) {
      if (!(error instanceof SessionConflictError) || attempt >= MAX_ATTEMPTS) throw error
      // Full jitter backoff (AWS Architecture Blog), capped at ~50 ms: contention is on one item.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * 2 ** attempt)))
    }
  }
}

/** The session as this request read it. */
interface ReadSession {
  readonly loaded: LoadedSession
  /** What the handler was given. */
  readonly view: SessionView<unknown>
  readonly schema: AnySessionSchema | undefined
}

/** Writes what changed; returns the Set-Cookie header, if any. */
async function persist(
  store: SessionStore,
  { loaded, view, schema }: ReadSession,
  response: HandlerResponse<SessionShape>,
  config: SessionConfig,
): Promise<string | undefined> {
  const next = response.session
  // B6 and B13: a read slides a session that is due, unless it did not match its schema.
  if (next === undefined) return view.refreshWith === undefined ? undefined : refreshOnRead(store, loaded, view.refreshWith, config)
  const json = next === null ? '{}' : JSON.stringify(next)
  if (next === null || (await readsAsNew(schema, json))) {
    if (loaded.exists) await store.destroy(loaded)
    return loaded.exists || loaded.unreadable ? serializeClearedCookie(config.cookie) : undefined
  }
  if (response.regenerate) {
    // The new session is saved before the old one is destroyed: if the save fails, the visitor keeps
    // the old session intact (contract B10: nothing half-written); if the destroy then fails, the
    // request fails too and the new item, never sent in a cookie, simply expires.
    const now = Date.now()
    const value = await store.save(noSession(), asData(next), now)
    if (loaded.exists) await store.destroy(loaded)
    return serializeSessionCookie(value, config.cookie, now)
  }
  // Contract B5, lazy creation: an unchanged session is not written again unless it is due to slide.
  // Unchanged means as the handler was given a stored session that matched its schema (a schema may
  // order, fill in or drop keys; a mismatched session's defaults, a new visitor's, were never stored).
  const unchanged = loaded.exists && view.matched && json === view.json
  if (!loaded.refresh && unchanged) return undefined
  const now = Date.now()
  const value = await store.save(loaded, asData(next), now)
  return serializeSessionCookie(value, config.cookie, now)
}

/**
 * Contract B6: inactivity means reads too, so a session due to slide (or to move to the current
 * secret or store) is written back even when the handler only read it. What it read is written,
 * not what it may have changed in place without returning. A conflict means a concurrent request
 * has just written the session, which slid it: nothing left to do.
 */
async function refreshOnRead(store: SessionStore, loaded: LoadedSession, data: string, config: SessionConfig): Promise<string | undefined> {
  const now = Date.now()
  try {
    return serializeSessionCookie(await store.save(loaded, JSON.parse(data) as SessionData, now), config.cookie, now)
  } catch (error) {
    if (error instanceof SessionConflictError) return undefined
    throw error
  }
}

/** Both stores keep a session through JSON, which drops the `undefined` of an absent field. */
function asData(session: SessionShape): SessionData {
  return session as SessionData
}

function formatResponse(response: HandlerResponse<unknown>, setCookie: string | undefined): HttpResult {
  const headers: Record<string, string> = { 'cache-control': NO_STORE, ...response.headers }
  if (setCookie) headers['set-cookie'] = setCookie
  let body = ''
  if (response.location !== undefined) {
    headers['location'] = response.location
  } else if (response.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8'
    body = response.html
  } else if (response.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8'
    body = JSON.stringify(response.json)
  }
  const statusCode = response.status ?? (response.location !== undefined ? 303 : 200)
  return { statusCode, headers, body }
}

function errorResponse(error: unknown): HttpResult {
  if (error instanceof SessionStoreUnavailableError) {
    // Contract B10: one line with what failed and why, e.g. "DynamoDB GetItem on <table> failed: Error (ECONNREFUSED): ...".
    const cause = error.cause === undefined ? '' : `: ${describeError(error.cause)}`
    logLine('error', `session store unavailable: ${error.message}${cause}`)
    return errorPage(503, 'Try again in a moment', 'The session store is not answering right now.', { 'retry-after': '2' })
  }
  if (error instanceof SessionConflictError) {
    // Every retry lost to a concurrent write on the same session: contention, not a fault.
    logLine('error', `session not saved: still conflicting after ${MAX_ATTEMPTS} attempts`)
    return errorPage(503, 'Try again in a moment', 'Too many changes to this session at once.', { 'retry-after': '2' })
  }
  if (error instanceof SessionTooLargeError) {
    logLine('error', `session not saved: ${error.message}`)
    return errorPage(413, 'Session too large', 'This session has grown too large to be kept, so it was not saved.')
  }
  if (error instanceof SessionSchemaError) {
    // A programming error that fails every request alike: said once per process, like configuration.
    logOnce('error', `schema error: ${error.message}`)
    return errorPage(500, 'Something went wrong', 'The server could not answer this request.')
  }
  if (error instanceof SessionConfigError) {
    // Contract B1: a misconfigured deployment fails closed, with one line that names the fix.
    logOnce('error', `configuration error: ${error.message}`)
    return errorPage(500, 'Not configured', 'Sessions are not configured on this server. The log says how to fix it.')
  }
  logLine('error', `unexpected error: ${describeError(error)}`)
  return errorPage(500, 'Something went wrong', 'The server could not answer this request.')
}

function errorPage(statusCode: number, title: string, message: string, extra: Record<string, string> = {}): HttpResult {
  // Titles and messages are fixed strings above, never request data: nothing to escape.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the start</a></p></body></html>`
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE, ...extra },
    body,
  }
}
