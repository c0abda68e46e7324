/**
 * Encrypted-cookie sessions: the whole session lives in the `_idx` cookie as a JWE token
 * (docs/guarantees.md#g-compat-jwe). Nothing is kept on the server.
 */
import { SessionTooLargeError } from '../../core/errors'
import { open, seal, type JweKey } from './token'
import { MAX_COOKIE_BYTES, SESSION_COOKIE } from '../../cookie/codec'
import { absoluteLifetimeOver, BEGAN_AT, beganAt, DEFAULT_LIFETIME, renewalDue, type SessionLifetime } from '../../core/lifetime'
import { unstorable } from '../../core/storable'
import { isPlainObject, noSession, unusableSession, type LoadedSession, type SessionData, type SessionStore, type UnreadableReason } from '../store'

export type JweReadResult =
  | {
      readonly ok: true
      readonly data: SessionData
      readonly issuedAt: number
      /** When the session began (`_created`), or now for a token that has none. */
      readonly beganAt: number
      readonly beganAtRecorded: boolean
      readonly key: JweKey
    }
  | { readonly ok: false; readonly reason: Exclude<UnreadableReason, 'unusable'> }
  /** Authentic and live, but its data cannot be used (core/storable.ts): `why` says where. */
  | { readonly ok: false; readonly reason: 'unusable'; readonly why: string }

/**
 * Opens a session token. `iat` (seconds) is the reference's only claim: the token is the session's
 * last use, and expires N seconds after it (docs/guarantees.md#g-server-lifetime; unset, N is the reference's week), whatever
 * the cookie's Max-Age said; and it is over once the session is older than the absolute lifetime,
 * counted from `_created`. any other key, `exp` included, is session data and not a claim.
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
  const { iat, [BEGAN_AT]: created, ...data } = payload
  if (typeof iat !== 'number' || !Number.isFinite(iat) || iat <= 0) return { ok: false, reason: 'malformed' }
  // As the reference (node-webtokens): still valid at the very second it ends, expired after.
  if (nowMs > (iat + lifetime.ttlSeconds) * 1000) return { ok: false, reason: 'expired' }
  const began = beganAt(created, nowMs)
  if (absoluteLifetimeOver(began.beganAt, nowMs, lifetime)) return { ok: false, reason: 'expired' }
  // Sealed with our key is not the same as usable: the data must be what a write could store again.
  const why = unstorable(data)
  if (why !== undefined) return { ok: false, reason: 'unusable', why }
  // Authentic, but larger than a browser keeps (we never write one): it could not be renewed.
  if (cookieBytes(token.length) > MAX_COOKIE_BYTES) return { ok: false, reason: 'unusable', why: `(a ${cookieBytes(token.length)}-byte cookie, over the ${MAX_COOKIE_BYTES}-byte limit)` }
  return { ok: true, data: data as SessionData, issuedAt: iat, beganAt: began.beganAt, beganAtRecorded: began.recorded, key: opened.key }
}

/**
 * Whether an open token is to be sealed again, even by a read: it is due for renewal (docs/guarantees.md#g-server-lifetime),
 * was made with a previous secret, which the current one replaces (docs/guarantees.md#g-secret-rotation), or has no `_created` yet,
 * which its first read gives it (core/lifetime.ts).
 */
export function jweRenewalDue(read: Extract<JweReadResult, { ok: true }>, currentKey: JweKey | undefined, nowMs: number, lifetime: SessionLifetime): boolean {
  return read.key !== currentKey || !read.beganAtRecorded || renewalDue(read.issuedAt + lifetime.ttlSeconds, nowMs, lifetime)
}

/**
 * Seals a session with `iat` set to now, as the reference does on every write, and `_created` to
 * when it began (now, for a new one).
 */
export function writeJweSession(data: SessionData, key: JweKey, nowMs: number, began: number = Math.floor(nowMs / 1000)): string {
  const token = seal(payloadOf(data, nowMs, began), key)
  // A browser silently drops a cookie over 4096 bytes, losing the session (docs/sessions.md).
  const size = cookieBytes(token.length)
  if (size > MAX_COOKIE_BYTES) throw new SessionTooLargeError(size, MAX_COOKIE_BYTES, 'a browser cookie')
  return token
}

/**
 * Whether a session read from a token can be sealed again at `nowMs` within a cookie: a renewal
 * re-serialises the data (which need not take the bytes it took in the token it came from).
 */
export function jweRenewable(data: SessionData, key: JweKey, nowMs: number, began: number): boolean {
  return cookieBytes(sealedLength(Buffer.byteLength(payloadOf(data, nowMs, began)), key)) <= MAX_COOKIE_BYTES
}

function payloadOf(data: SessionData, nowMs: number, began: number): string {
  return JSON.stringify({ ...data, iat: Math.floor(nowMs / 1000), [BEGAN_AT]: began })
}

/** `_idx=<token>`: what the browser counts against its limit. */
function cookieBytes(tokenLength: number): number {
  return SESSION_COOKIE.length + 1 + tokenLength
}

/** header . "" . iv (12 bytes) . ciphertext (as long as the plaintext: GCM) . tag (16 bytes), base64url. */
function sealedLength(plaintextBytes: number, key: JweKey): number {
  const b64 = (bytes: number) => Math.ceil((bytes * 4) / 3)
  return key.header.length + 2 + b64(12) + 1 + b64(plaintextBytes) + 1 + b64(16)
}

/**
 * A token as a loaded session (the JWE store's, and the DynamoDB store's carry-over). One that
 * cannot be used, or renewed when due, reads as a new visitor's with one log line, never a 5xx.
 */
export function loadJweSession(cookieValue: string, keys: readonly JweKey[], nowMs: number, lifetime: SessionLifetime, recordBeginning = true): LoadedSession {
  const [current] = keys
  const result = readJweSession(cookieValue, keys, nowMs, lifetime)
  if (!result.ok) return result.reason === 'unusable' ? unusableSession(result.why) : noSession(result.reason)
  // `recordBeginning: false` (the carry-over): a token without `_created` is not rewritten by a read
  // for that alone, since in DynamoDB mode that rewrite would create an item; its move records it.
  const refresh = jweRenewalDue(recordBeginning ? result : { ...result, beganAtRecorded: true }, current, nowMs, lifetime)
  if (refresh && current && !jweRenewable(result.data, current, nowMs, result.beganAt)) return unusableSession('(too large to be renewed within a cookie)')
  return { data: result.data, exists: true, refresh, beganAt: result.beganAt }
}

export function createJweStore(keys: readonly JweKey[], lifetime: SessionLifetime): SessionStore {
  const [current] = keys
  if (!current) throw new RangeError('the JWE store needs at least one key')
  return {
    async load(cookieValue, nowMs) {
      if (cookieValue === undefined) return noSession()
      return loadJweSession(cookieValue, keys, nowMs, lifetime)
    },
    async save(loaded, data, nowMs) {
      return writeJweSession(data, current, nowMs, loaded.beganAt)
    },
    async destroy() {
      // Nothing is kept server-side: clearing the cookie is the whole of it. A copy of the old
      // cookie still reads until its lifetime ends (docs/sessions.md#what-reset-does).
    },
  }
}
