/**
 * Encrypted-cookie sessions: the whole session lives in the `_idx` cookie as a JWE token
 * (contract A3). Nothing is kept on the server.
 */
import { SessionTooLargeError } from '../../core/errors'
import { open, seal, type JweKey } from './token'
import { MAX_COOKIE_BYTES, SESSION_COOKIE } from '../../cookie/codec'
import { DEFAULT_LIFETIME, renewalDue, type SessionLifetime } from '../../core/lifetime'
import { isPlainObject, noSession, type SessionData, type SessionStore, type UnreadableReason } from '../store'

export type JweReadResult =
  | { readonly ok: true; readonly data: SessionData; readonly issuedAt: number; readonly key: JweKey }
  | { readonly ok: false; readonly reason: UnreadableReason }

/**
 * Opens a session token. `iat` (seconds) is the reference's only claim: the token is the session's
 * last use, and expires N seconds after it (contract B12; unset, N is the reference's week), whatever
 * the cookie's Max-Age said. Contract B2: any other key, `exp` included, is session data and not a claim.
 */
export function readJweSession(token: string, keys: readonly JweKey[], nowMs: number, lifetime: SessionLifetime = DEFAULT_LIFETIME): JweReadResult {
  const opened = open(token, keys)
  if (!opened.ok) return opened
  let payload: unknown
  try {
    payload = JSON.parse(opened.plaintext)
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (!isPlainObject(payload)) return { ok: false, reason: 'malformed' }
  const { iat, ...data } = payload
  if (typeof iat !== 'number' || !Number.isFinite(iat) || iat <= 0) return { ok: false, reason: 'malformed' }
  // As the reference (node-webtokens): still valid at the very second it ends, expired after.
  if (nowMs > (iat + lifetime.ttlSeconds) * 1000) return { ok: false, reason: 'expired' }
  return { ok: true, data: data as SessionData, issuedAt: iat, key: opened.key }
}

/**
 * Whether an open token is to be sealed again, even by a read: it is due for renewal (contract B12),
 * or was made with a previous secret, which the current one replaces (B3).
 */
export function jweRenewalDue(read: Extract<JweReadResult, { ok: true }>, currentKey: JweKey | undefined, nowMs: number, lifetime: SessionLifetime): boolean {
  return read.key !== currentKey || renewalDue(read.issuedAt + lifetime.ttlSeconds, nowMs, lifetime)
}

/** Seals a session with `iat` set to now, as the reference does on every write. */
export function writeJweSession(data: SessionData, key: JweKey, nowMs: number): string {
  const token = seal(JSON.stringify({ ...data, iat: Math.floor(nowMs / 1000) }), key)
  // Contract B4: a browser silently drops a cookie over 4096 bytes, losing the session.
  const size = SESSION_COOKIE.length + 1 + token.length
  if (size > MAX_COOKIE_BYTES) throw new SessionTooLargeError(size, MAX_COOKIE_BYTES, 'a browser cookie')
  return token
}

export function createJweStore(keys: readonly JweKey[], lifetime: SessionLifetime): SessionStore {
  const [current] = keys
  if (!current) throw new RangeError('the JWE store needs at least one key')
  return {
    async load(cookieValue, nowMs) {
      if (cookieValue === undefined) return noSession()
      const result = readJweSession(cookieValue, keys, nowMs, lifetime)
      if (!result.ok) return noSession(result.reason)
      return { data: result.data, exists: true, refresh: jweRenewalDue(result, current, nowMs, lifetime) }
    },
    async save(_loaded, data, nowMs) {
      return writeJweSession(data, current, nowMs)
    },
    async destroy() {
      // Nothing is kept server-side: clearing the cookie is the whole of it.
    },
  }
}
