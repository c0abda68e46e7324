/**
 * One request's session work around its handler: read the session, run the handler, write what
 * changed (or end the session), and run it all again when a concurrent request changed the
 * session first. The rule for what a write does is here and nowhere else.
 */
import type { SessionConfig } from '../core/config'
import { SessionConflictError } from '../core/errors'
import { serializeClearedCookie, serializeSessionCookie } from '../cookie/codec'
import { noSession, type LoadedSession, type SessionData, type SessionStore } from '../providers/store'
import type { SessionShape } from '../typed/schema'
import { readsAsNew, viewSession, type AnySessionSchema, type SessionView } from '../typed/view'
import type { HandlerResponse } from './response'

/** How often a handler is run again when a concurrent request changed the session first. */
export const MAX_ATTEMPTS = 40

/** The handler as the adapter runs it: any session shape (the types are what the handler promised). */
export type RunHandler = (session: unknown) => Promise<HandlerResponse<SessionShape>>

export interface Committed {
  readonly response: HandlerResponse<SessionShape>
  /** The Set-Cookie header to send, if the session was written or ended. */
  readonly setCookie: string | undefined
}

export async function runWithRetries(
  schema: AnySessionSchema | undefined,
  run: RunHandler,
  cookieValue: string | undefined,
  store: SessionStore,
  config: SessionConfig,
): Promise<Committed> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await store.load(cookieValue, Date.now())
    const view = await viewSession(schema, loaded)
    const response = await run(view.session)
    try {
      return { response, setCookie: await persist(store, { loaded, view, schema }, response, config) }
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
  // A read slides a session that is due, unless it did not match its schema (docs/sessions.md).
  if (next === undefined) return view.refreshWith === undefined ? undefined : refreshOnRead(store, loaded, view.refreshWith, config)
  const json = next === null ? '{}' : JSON.stringify(next)
  if (next === null || (await readsAsNew(schema, json))) {
    if (loaded.exists) await store.destroy(loaded)
    return loaded.exists || loaded.unreadable ? serializeClearedCookie(config.cookie) : undefined
  }
  if (response.regenerate) {
    // The new session is saved before the old one is destroyed: if the save fails, the visitor keeps
    // the old session intact (nothing half-written); if the destroy then fails, the request fails
    // too and the new item, never sent in a cookie, simply expires.
    const now = Date.now()
    const value = await store.save(noSession(), asData(next), now)
    if (loaded.exists) await store.destroy(loaded)
    return serializeSessionCookie(value, config.cookie, now)
  }
  // Lazy creation: an unchanged session is not written again unless it is due to slide.
  // Unchanged means as the handler was given a stored session that matched its schema (a schema may
  // order, fill in or drop keys; a mismatched session's defaults, a new visitor's, were never stored).
  const unchanged = loaded.exists && view.matched && json === view.json
  if (!loaded.refresh && unchanged) return undefined
  const now = Date.now()
  const value = await store.save(loaded, asData(next), now)
  return serializeSessionCookie(value, config.cookie, now)
}

/**
 * Inactivity means reads too, so a session due to slide (or to move to the current secret or
 * store) is written back even when the handler only read it. What it read is written, not what it
 * may have changed in place without returning. A conflict means a concurrent request has just
 * written the session, which slid it: nothing left to do.
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
