/**
 * Encrypted-cookie sessions: the whole session lives in the `_idx` cookie as a JWE token
 * (contract A3). Nothing is kept on the server.
 */
import { SessionTooLargeError } from './errors'
import { open, seal, type JweKey } from './jwe'
import { MAX_COOKIE_BYTES, SESSION_COOKIE } from './cookie'
import {
  REFRESH_INTERVAL_SECONDS,
  SESSION_LIFETIME_SECONDS,
  isPlainObject,
  noSession,
  type SessionData,
  type SessionStore,
  type UnreadableReason,
} from './store'

export type JweReadResult =
  | { readonly ok: true; readonly data: SessionData; readonly issuedAt: number; readonly key: JweKey }
  | { readonly ok: false; readonly reason: UnreadableReason }

/**
 * Opens a session token. `iat` (seconds) is the reference's only claim: the token expires one
 * week after it. Contract B2: any other key, `exp` included, is session data and not a claim.
 */
export function readJweSession(token: string, keys: readonly JweKey[], nowMs: number): JweReadResult {
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
  if (nowMs > (iat + SESSION_LIFETIME_SECONDS) * 1000) return { ok: false, reason: 'expired' }
  return { ok: true, data: data as SessionData, issuedAt: iat, key: opened.key }
}

/** Seals a session with `iat` set to now, as the reference does on every write. */
export function writeJweSession(data: SessionData, key: JweKey, nowMs: number): string {
  const token = seal(JSON.stringify({ ...data, iat: Math.floor(nowMs / 1000) }), key)
  // Contract B4: a browser silently drops a cookie over 4096 bytes, losing the session.
  const size = SESSION_COOKIE.length + 1 + token.length
  if (size > MAX_COOKIE_BYTES) throw new SessionTooLargeError(size, MAX_COOKIE_BYTES, 'a browser cookie')
  return token
}

export function createJweStore(keys: readonly JweKey[]): SessionStore {
  const [current] = keys
  if (!current) throw new RangeError('the JWE store needs at least one key')
  return {
    kind: 'jwe',
    async load(cookieValue, nowMs) {
      if (cookieValue === undefined) return noSession()
      const result = readJweSession(cookieValue, keys, nowMs)
      if (!result.ok) return noSession(result.reason)
      const age = nowMs / 1000 - result.issuedAt
      // Re-seal a token made with a previous secret (rotation) or one due to slide its expiry.
      const refresh = result.key !== current || age > REFRESH_INTERVAL_SECONDS
      return { data: result.data, exists: true, refresh }
    },
    async save(_loaded, data, nowMs) {
      return writeJweSession(data, current, nowMs)
    },
    async destroy() {
      // Nothing is kept server-side: clearing the cookie is the whole of it.
    },
  }
}
