/**
 * One request's session work around its handler: read the session, run the handler, write what
 * changed (or end the session), and run it all again when a concurrent request changed the
 * session first. The rule for what a write does is here and nowhere else. The store tells a
 * conflict (its write certainly did not land: the handler may run again) from a write it cannot
 * confirm (never run again: docs/dynamodb.md, "What a 303 and a 503 mean").
 */
import { systemClock, type Clock } from '../core/clock'
import type { SessionConfig } from '../core/config'
import { SessionConflictError, SessionNotStorableError, SessionWriteUncertainError } from '../core/errors'
import { unstorable } from '../core/storable'
import { serializeClearedCookie, serializeSessionCookie } from '../cookie/codec'
import { noSession, type LoadedSession, type SessionData, type SessionStore } from '../providers/store'
import { checkSession, type SessionShape } from '../typed/schema'
import { readsAsNew, viewSession, type AnySessionSchema, type SessionView } from '../typed/view'
import type { HandlerResponse } from './response'

/**
 * How often a handler runs, at most, for one request whose writes keep losing to concurrent ones.
 * Between runs, a full-jitter exponential backoff (random in [0, min(cap, base * 2^run)]), which
 * spreads contenders out so that most runs succeed. The base is large on purpose: under a burst
 * every retry in a window shorter than the contenders' read-and-write cycles is lost, and costs two
 * calls. With 200 ms, 100 posts at once on one session keep all 100 with about 5 DynamoDB calls each
 * (10 ms: 12; bench/RESULTS.md, docs/dynamodb.md "Concurrent requests"); the price is a wait of
 * 200 ms on average for the loser of a two-way conflict.
 */
export const MAX_ATTEMPTS = 20
const BACKOFF_BASE_MS = 200
const BACKOFF_CAP_MS = 1_000
/** No run starts later than this after the request's first: the function's timeout is 10 s (app.arc). */
export const RETRY_BUDGET_MS = 6_000

/** Full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog). */
export function backoffMs(run: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** run)
}

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
  clock: Clock = systemClock,
): Promise<Committed> {
  const started = Date.now()
  for (let attempt = 1; ; attempt++) {
    const loaded = await store.load(cookieValue, clock())
    const view = await viewSession(schema, loaded)
    const response = await run(view.session)
    try {
      return { response, setCookie: await persist(store, { loaded, view, schema }, response, config, clock) }
    } catch (error) {
      if (!(error instanceof SessionConflictError) || attempt >= MAX_ATTEMPTS) throw error
      const wait = backoffMs(attempt)
      if (Date.now() + wait - started > RETRY_BUDGET_MS) throw error
      await new Promise((resolve) => setTimeout(resolve, wait))
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
  clock: Clock,
): Promise<string | undefined> {
  const next = response.session
  // A read slides a session that is due, unless it did not match its schema (docs/sessions.md).
  if (next === undefined) return view.refreshWith === undefined ? undefined : refreshOnRead(store, loaded, view.refreshWith, config, clock)
  const json = next === null ? '{}' : serialise(next)
  if (next === null || (await readsAsNew(schema, json))) {
    if (loaded.exists) await store.destroy(loaded)
    return loaded.exists || loaded.unreadable ? serializeClearedCookie(config.cookie) : undefined
  }
  if (response.regenerate) {
    await refuseUnstorable(schema, json)
    // The new session is saved before the old one is destroyed: if the save fails, the visitor keeps
    // the old session intact (nothing half-written); if the destroy then fails, the request fails
    // too and the new item, never sent in a cookie, simply expires.
    const now = clock()
    const value = await store.save(noSession(), asData(next), now)
    if (loaded.exists) await store.destroy(loaded)
    return serializeSessionCookie(value, config.cookie, now)
  }
  // Lazy creation: an unchanged session is not written again unless it is due to slide.
  // Unchanged means as the handler was given a stored session that matched its schema (a schema may
  // order, fill in or drop keys; a mismatched session's defaults, a new visitor's, were never stored).
  const unchanged = loaded.exists && view.matched && json === view.json
  if (!loaded.refresh && unchanged) return undefined
  if (!unchanged) await refuseUnstorable(schema, json)
  const now = clock()
  const value = await store.save(loaded, asData(next), now)
  return serializeSessionCookie(value, config.cookie, now)
}

/**
 * Inactivity means reads too, so a session due to slide (or to move to the current secret or
 * store) is written back even when the handler only read it. What it read is written, not what it
 * may have changed in place without returning. A conflict means a concurrent request has just
 * written the session, which slid it: nothing left to do.
 */
async function refreshOnRead(store: SessionStore, loaded: LoadedSession, data: string, config: SessionConfig, clock: Clock): Promise<string | undefined> {
  const now = clock()
  try {
    return serializeSessionCookie(await store.save(loaded, JSON.parse(data) as SessionData, now), config.cookie, now)
  } catch (error) {
    // Writing back what was read twice is harmless, so an unconfirmed renewal is no reason for a 503.
    if (error instanceof SessionConflictError || error instanceof SessionWriteUncertainError) return undefined
    throw error
  }
}

/** The handler's session as JSON; one too deep for JSON.stringify is the handler's mistake. */
function serialise(session: SessionShape): string {
  try {
    return JSON.stringify(session)
  } catch {
    throw new SessionNotStorableError('at the top level (it cannot be serialised as JSON)')
  }
}

/**
 * A session is stored only if the next read will give it back: what both stores can keep
 * (core/storable.ts) and, when a schema is declared, what that schema accepts
 * (docs/typed-sessions.md). Anything else is the handler's mistake: a typed error, never stored.
 */
async function refuseUnstorable(schema: AnySessionSchema | undefined, json: string): Promise<void> {
  const stored: unknown = JSON.parse(json)
  const why = unstorable(stored)
  if (why !== undefined) throw new SessionNotStorableError(why)
  if (!schema) return
  const checked = await checkSession(schema, stored)
  if (!checked.ok) throw new SessionNotStorableError(`its schema would refuse it on the next read ${checked.why}`)
}

/** Both stores keep a session through JSON, which drops the `undefined` of an absent field. */
function asData(session: SessionShape): SessionData {
  return session as SessionData
}
