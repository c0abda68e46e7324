/**
 * How long a session lives (contract B12): `ARC_SESSION_TTL` = N seconds of inactivity, decided by
 * the server in both modes, and when a read renews a session so that a visitor who keeps coming
 * back never loses it. Pure arithmetic on epoch times; each store applies it to its own record of
 * the last use (a JWE token's `iat`, a DynamoDB item's `_ttl`).
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

/** Long lifetimes are renewed at most this often, so that reads stay cheap (contract B6). */
const MAX_RENEWAL_INTERVAL_SECONDS = 86_400

/**
 * Leeway before a session with more than N seconds left counts as written under a longer TTL:
 * last-use times are whole seconds, and two machines' clocks differ a little.
 */
const CLOCK_LEEWAY_MS = 1_000

export interface SessionLifetime {
  /** N: a session unused for this many seconds is gone. */
  readonly ttlSeconds: number
  /**
   * A read renews a session written at least this long ago: min(N/2, one day). Half, as ASP.NET
   * Core's sliding expiration does: a visitor who comes back within N/2 never loses the session,
   * and costs at most one extra write per N/2 (two per N; one a day from N = 2 days up).
   */
  readonly renewAfterSeconds: number
}

export function sessionLifetime(ttlSeconds: number): SessionLifetime {
  return { ttlSeconds, renewAfterSeconds: Math.min(ttlSeconds / 2, MAX_RENEWAL_INTERVAL_SECONDS) }
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
