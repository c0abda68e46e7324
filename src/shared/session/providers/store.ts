/**
 * The one interface every session store implements. The HTTP adapter and the public API speak
 * only to this, so a store is one file that knows nothing of requests or responses.
 */
import { logLine } from '../core/log'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type SessionData = { [key: string]: JsonValue }

/** Why a cookie gave an empty session (for tests and debugging; never shown to users). */
export type UnreadableReason =
  | 'malformed' // not a token or signed id of any form we write
  | 'unsupported' // another algorithm, or a key we do not hold
  | 'invalid' // failed authentication: tampered, or made with another secret
  | 'expired' // unused for longer than its lifetime, or past its absolute lifetime
  | 'unknown' // a valid signed id whose session no longer exists
  | 'unusable' // authentic, but holding what cannot be used or written back (core/storable.ts): too deep, too large, numbers beyond 2^53

export interface LoadedSession {
  /** The session as the handler sees it: JSON values only, no store metadata. */
  readonly data: SessionData
  /** True when the request's cookie named a live session (something to destroy). */
  readonly exists: boolean
  /** True when the session should be written back even if unchanged, to renew it (lifetime.ts). */
  readonly refresh: boolean
  /** Present when a cookie was sent but could not be used. */
  readonly unreadable?: UnreadableReason
  /** When the session began (epoch seconds), kept across renewals for the absolute lifetime (core/lifetime.ts). */
  readonly beganAt?: number
  /** Store-private state, such as a DynamoDB id and version. */
  readonly handle?: unknown
}

export interface SessionStore {
  /** Never throws for bad input; throws SessionStoreUnavailableError when the store cannot answer. */
  load(cookieValue: string | undefined, nowMs: number): Promise<LoadedSession>
  /**
   * Persists `data` as the new state of `loaded` and returns the cookie value to send.
   * Throws SessionConflictError when another request changed the session first,
   * SessionTooLargeError when it does not fit.
   */
  save(loaded: LoadedSession, data: SessionData, nowMs: number): Promise<string>
  /** Forgets the session for good. */
  destroy(loaded: LoadedSession): Promise<void>
}

/**
 * A stored session that cannot be used reads as a new visitor's, with one log line that says why
 * (where in the data, never a value), never a 5xx.
 */
export function unusableSession(why: string): LoadedSession {
  logLine('warn', `stored session unusable ${why}: read as a new visitor's`)
  return noSession('unusable')
}

/**
 * A request without a usable session. A new object every time: handlers may change
 * `req.session` in place, and a shared empty object would carry one request's data into the
 * next request of a warm function.
 */
export function noSession(unreadable?: UnreadableReason): LoadedSession {
  return unreadable === undefined ? { data: {}, exists: false, refresh: false } : { data: {}, exists: false, refresh: false, unreadable }
}

export function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
