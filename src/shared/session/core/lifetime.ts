/**
 * How long a session lives (docs/sessions.md#how-long-a-session-lives): `ARC_SESSION_TTL` = N
 * seconds of inactivity, decided by the server in both modes, and when a read renews a session so
 * that a visitor who keeps coming back never loses it; and `ARC_SESSION_ABSOLUTE_TTL`, the most a
 * session lives from when it began, however often it is used. Pure arithmetic on epoch times; each
 * store applies it to its own record of the last use (a JWE token's `iat`, a DynamoDB item's
 * `_ttl`) and of the beginning (`_created` in both).
 */

/** The reference's token life, and ours when ARC_SESSION_TTL is unset: one week. */
export const DEFAULT_TTL_SECONDS = 604_800

/**
 * The shortest ARC_SESSION_TTL. Last-use times are whole seconds (`iat` and `_ttl` are truncated),
 * so a session written late in a second looks up to a second older than it is. From N = 2 up, a
 * visitor who comes back within N/2 (the renewal interval) still finds the session alive:
 * N/2 + 1 <= N.
 */
export const MIN_TTL_SECONDS = 2

/** Long lifetimes are renewed at most this often, so that reads stay cheap (docs/guarantees.md#g-expiry-on-read). */
const MAX_RENEWAL_INTERVAL_SECONDS = 86_400

/**
 * Leeway before a session with more than N seconds left counts as written under a longer TTL:
 * last-use times are whole seconds, and two machines' clocks differ a little.
 */
const CLOCK_LEEWAY_MS = 1_000

/**
 * The absolute lifetime when ARC_SESSION_ABSOLUTE_TTL is unset: 30 days (or N, when N is longer).
 * A stolen cookie that its thief keeps renewing dies within a month, while a visitor who comes
 * back daily signs in again once a month at most; OWASP's Session Management Cheat Sheet asks for
 * an absolute timeout and leaves its length to the app's risk.
 */
export const DEFAULT_ABSOLUTE_SECONDS = 2_592_000

/**
 * Where both stores keep the time a session began (epoch seconds), across renewals: a key of the
 * JWE payload and an attribute of the DynamoDB item. @architect/functions gives it to its handlers
 * as data and writes it back with the rest, so sessions it touches keep it.
 */
export const BEGAN_AT = '_created'

export interface SessionLifetime {
  /** N: a session unused for this many seconds is gone. */
  readonly ttlSeconds: number
  /**
   * A read renews a session written at least this long ago: min(N/2, one day). Half, as ASP.NET
   * Core's sliding expiration does: a visitor who comes back within N/2 never loses the session,
   * and costs at most one extra write per N/2 (two per N; one a day from N = 2 days up).
   */
  readonly renewAfterSeconds: number
  /** A: a session is over this many seconds after it began, used or not. At least N. */
  readonly absoluteSeconds: number
}

export function sessionLifetime(ttlSeconds: number, absoluteSeconds = Math.max(DEFAULT_ABSOLUTE_SECONDS, ttlSeconds)): SessionLifetime {
  return { ttlSeconds, renewAfterSeconds: Math.min(ttlSeconds / 2, MAX_RENEWAL_INTERVAL_SECONDS), absoluteSeconds }
}

/** Unset ARC_SESSION_TTL: a week after the last use, renewed once a day, as before this setting existed. */
export const DEFAULT_LIFETIME = sessionLifetime(DEFAULT_TTL_SECONDS)

/**
 * Whether a live session whose life ends at `expiresAt` (epoch seconds) is due to be written back
 * at `nowMs`: once its remaining life has fallen to N - renewAfter (it was last written renewAfter
 * seconds ago), or when it has more than N left, which means it was written under a longer
 * ARC_SESSION_TTL than today's and is cut down to today's by the rewrite.
 */
export function renewalDue(expiresAt: number, nowMs: number, lifetime: SessionLifetime): boolean {
  // In milliseconds: whole numbers, so the comparisons at the boundary are exact.
  const remainingMs = expiresAt * 1000 - nowMs
  const { ttlSeconds, renewAfterSeconds } = lifetime
  return remainingMs <= (ttlSeconds - renewAfterSeconds) * 1000 || remainingMs > ttlSeconds * 1000 + CLOCK_LEEWAY_MS
}

/**
 * When a stored session began: its `_created` (epoch seconds), or, for a session written without one
 * (by @architect/functions, or before this setting existed), now: it begins at its first read here,
 * and `recorded: false` tells the store to write that down.
 */
export function beganAt(stored: unknown, nowMs: number): { readonly beganAt: number; readonly recorded: boolean } {
  const valid = typeof stored === 'number' && Number.isSafeInteger(stored) && stored > 0
  return valid ? { beganAt: stored, recorded: true } : { beganAt: Math.floor(nowMs / 1000), recorded: false }
}

/** Whether a session that began at `began` (epoch seconds) is over at `nowMs`: from `began + A` on. */
export function absoluteLifetimeOver(began: number, nowMs: number, lifetime: SessionLifetime): boolean {
  return nowMs >= (began + lifetime.absoluteSeconds) * 1000
}
