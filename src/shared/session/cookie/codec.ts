/**
 * The `_idx` session cookie: finding it in a request and serializing it for a response.
 * Pure functions, no configuration reads; parsing never throws.
 */
import type { CookieSettings } from '../core/config'

export const SESSION_COOKIE = '_idx'
const PREFIX = `${SESSION_COOKIE}=`

/** Browsers keep at most 4096 bytes of a cookie's name and value (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096

export interface CookieSource {
  readonly headers?: Readonly<Record<string, string | undefined>> | null
  /** API Gateway payload v2 splits the Cookie header into this array. */
  readonly cookies?: readonly string[] | null
}

/**
 * The session cookie's value, or undefined. As in @architect/functions (docs/guarantees.md#g-compat-cookie): the Cookie
 * header (either casing) else the v2 `cookies` array; the last `_idx` pair wins; a value holding
 * `%` is percent-decoded, and one that fails to decode is kept as it is.
 */
export function readSessionCookie(source: CookieSource): string | undefined {
  const header = source.headers?.['cookie'] || source.headers?.['Cookie']
  const raw =
    typeof header === 'string' && header
      ? header
      : Array.isArray(source.cookies)
        ? source.cookies.filter((c) => typeof c === 'string').join(';')
        : ''
  if (!raw.includes(PREFIX)) return undefined

  let found: string | undefined
  // RFC 6265 §4.2.1: cookie-pair *( ";" SP cookie-pair ); be lenient about the spaces.
  for (const pair of raw.split(';')) {
    const trimmed = pair.trim()
    if (trimmed.startsWith(PREFIX)) found = trimmed.slice(PREFIX.length)
  }
  if (found === undefined) return undefined

  let value = found.trim()
  // RFC 6265 §4.1.1: cookie-value may be wrapped in DQUOTEs.
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value)
    } catch {
      // Malformed percent-encoding: keep the raw value; it will simply not verify.
    }
  }
  return value === '' ? undefined : value
}

/**
 * `Set-Cookie` for the session, attributes in the reference's order (docs/guarantees.md#g-compat-cookie):
 * Max-Age, Domain, Path, Expires, HttpOnly, Secure, SameSite. The value is percent-encoded here
 * and decoded by readSessionCookie, so stores deal in raw values: a signed id's `+` and `/` go out
 * as `%2B` and `%2F`, as the reference sends them; a JWE token (base64url and dots) is unchanged.
 */
export function serializeSessionCookie(value: string, settings: CookieSettings, nowMs: number): string {
  return serialize(encodeURIComponent(value), settings.maxAge, new Date(nowMs + settings.maxAge * 1000), settings)
}

/** `Set-Cookie` that makes the browser forget the session at once. */
export function serializeClearedCookie(settings: CookieSettings): string {
  return serialize('', 0, new Date(0), settings)
}

function serialize(value: string, maxAge: number, expires: Date, settings: CookieSettings): string {
  let cookie = `${PREFIX}${value}; Max-Age=${maxAge}`
  if (settings.domain) cookie += `; Domain=${settings.domain}`
  cookie += `; Path=/; Expires=${expires.toUTCString()}; HttpOnly`
  if (settings.secure) cookie += '; Secure'
  return `${cookie}; SameSite=${settings.sameSite}`
}
