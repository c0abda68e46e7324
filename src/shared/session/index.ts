/**
 * The session core's public API, shaped like Architect's sessions guide so that its code ports
 * with an import change:
 *
 *   export const handler = http(async (req) => ({ session: { count: 1 }, location: '/' }))
 *
 *   const session = await read(req)          // lower level, as arc.http.session.read
 *   const cookie = await write(session, req) // a Set-Cookie header, as arc.http.session.write
 *
 * Configuration comes from the environment (ARC_SESSION_TABLE_NAME, ARC_APP_SECRET, ...): see README.
 */
import { getConfig } from './config'
import { readSessionCookie, serializeClearedCookie, serializeSessionCookie, type CookieSource } from './cookie'
import { getStore } from './stores'
import { noSession, type LoadedSession, type SessionData } from './store'

export { http, NO_STORE } from './http'
export type { HandlerResponse, HttpEvent, HttpOptions, HttpResult, SessionHandler, SessionRequest } from './http'
export type { JsonValue, SessionData, UnreadableReason } from './store'
export { SessionConfigError, SessionStoreUnavailableError, SessionTooLargeError } from './errors'
export { loadConfig, resetConfig } from './config'

const loadedBy = new WeakMap<object, LoadedSession>()

/** The request's session data; `{}` when it has none or its cookie cannot be used. */
export async function read(req: CookieSource): Promise<SessionData> {
  const store = await getStore(getConfig())
  const loaded = await store.load(readSessionCookie(req), Date.now())
  loadedBy.set(req, loaded)
  loadedBy.set(loaded.data, loaded)
  return loaded.data
}

/**
 * Saves `session` and returns the Set-Cookie header to send. Pass the request that `read` was
 * given (or the very object it returned) so the session keeps its identity; `{}` ends the session.
 */
export async function write(session: SessionData, req?: CookieSource): Promise<string> {
  const config = getConfig()
  const store = await getStore(config)
  const loaded = (req && loadedBy.get(req)) ?? loadedBy.get(session) ?? noSession()
  if (Object.keys(session).length === 0) {
    if (loaded.exists) await store.destroy(loaded)
    return serializeClearedCookie(config.cookie)
  }
  const now = Date.now()
  return serializeSessionCookie(await store.save(loaded, session, now), config.cookie, now)
}
