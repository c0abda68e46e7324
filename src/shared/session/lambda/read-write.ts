/**
 * The lower-level API, as `arc.http.session.read` / `write`: read a request's session, and save one
 * into a Set-Cookie header. With a schema, `read` gives what the schema makes of the session
 * (docs/guarantees.md#g-typed-sessions) and `write` ends a session that reads as a new visitor's, as the adapter does.
 */
import { systemClock } from '../core/clock'
import { getConfig } from '../core/config'
import { readSessionCookie, serializeClearedCookie, serializeSessionCookie, type CookieSource } from '../cookie/codec'
import type { SessionShape } from '../typed/schema'
import { getStore } from '../providers'
import { noSession, type LoadedSession, type SessionData } from '../providers/store'
import { readsAsNew, viewSession, type AnySessionSchema } from '../typed/view'

/** What `read` loaded, by the request it was given and by the object it returned. */
const loadedBy = new WeakMap<object, LoadedSession>()

export async function readWith<Session>(schema: AnySessionSchema | undefined, req: CookieSource): Promise<Session> {
  const store = await getStore(getConfig())
  const loaded = await store.load(readSessionCookie(req), systemClock())
  const { session } = await viewSession<Session & object>(schema, loaded)
  loadedBy.set(req, loaded)
  loadedBy.set(session, loaded)
  return session
}

export async function writeWith(schema: AnySessionSchema | undefined, session: SessionShape, req?: CookieSource): Promise<string> {
  const config = getConfig()
  const store = await getStore(config)
  const loaded = (req && loadedBy.get(req)) ?? loadedBy.get(session) ?? noSession()
  const json = JSON.stringify(session)
  if (await readsAsNew(schema, json)) {
    if (loaded.exists) await store.destroy(loaded)
    return serializeClearedCookie(config.cookie)
  }
  const now = systemClock()
  // Both stores keep a session through JSON, which drops the `undefined` of an absent field.
  return serializeSessionCookie(await store.save(loaded, session as SessionData, now), config.cookie, now)
}
