/**
 * What a handler may return, and the API Gateway response made of it once the session is written:
 * every cookie in the payload's own place (2.0: `cookies`; 1.0: `multiValueHeaders`), and nothing
 * that sets a cookie cacheable. What a handler's return means is in ./handler-result.ts.
 */
import type { JsonValue, SessionData } from '../providers/store'

/** Header values as API Gateway takes them. */
export type HeaderValue = string | number | boolean

/**
 * The response keys `arc.http` 8.x takes (docs/sessions.md, "How it compares to arc.http"), plus
 * `regenerate`. Give at most one body (`body`, `html`, `json`, `text`, `css`, `js`, `xml`); a key
 * not listed here, or a value of another type, is refused (SessionResponseError), never dropped.
 * `Input`: what may be stored, `SessionData` unless a schema declares it.
 */
export interface HandlerResponse<Input = SessionData> {
  /**
   * The session to keep. Omit it to leave the session as it was; `null`, `{}` or a session that
   * reads as a new visitor's (the schema's defaults) ends it.
   */
  session?: Input | null | undefined
  /** Start a new session (new id, old one destroyed) with `session` as its data: use it on sign-in or reset. */
  regenerate?: boolean | undefined
  /** Redirect here: 302 Found after a GET or HEAD (as arc), 303 See Other after anything else, unless a status is given. */
  location?: string | undefined
  /** The status (default 200). `status` and `code` are arc's other names for it. */
  statusCode?: number | undefined
  status?: number | undefined
  code?: number | undefined
  /** Merged by name whatever the casing; a `set-cookie` here is sent beside the session's cookie. */
  headers?: Readonly<Record<string, HeaderValue | undefined>> | undefined
  multiValueHeaders?: Readonly<Record<string, readonly HeaderValue[]>> | undefined
  /** `Set-Cookie` values to send besides the session's (payload 2.0's own key). */
  cookies?: readonly string[] | undefined
  /** One `Set-Cookie` value (arc's older key, from before `cookies`). */
  cookie?: string | undefined
  /** A string, or bytes (sent base64-encoded). Content type: `type`, else `application/json` as arc. */
  body?: string | Uint8Array | undefined
  /** `body` is already base64 (binary content). */
  isBase64Encoded?: boolean | undefined
  html?: string | undefined
  json?: JsonValue | undefined
  text?: string | undefined
  css?: string | undefined
  js?: string | undefined
  xml?: string | undefined
  /** The Content-Type, overriding the one `html`, `json` and the others set. */
  type?: string | undefined
  /** The Cache-Control header. A response that sets a cookie is never cacheable, whatever this says. */
  cacheControl?: string | undefined
  /** `Access-Control-Allow-Origin: *`. */
  cors?: boolean | undefined
  /** Brotli or gzip this response's text when the browser accepts it (off by default: docs/sessions.md). */
  compression?: boolean | 'br' | 'gzip' | undefined
}

/**
 * Everything a handler may return: a response, an `Error` (a 500 page with its message, or its own
 * 4xx/5xx `status`), nothing (an empty 200), or a value sent as JSON, as `arc.http` does.
 */
export type HandlerResult<Input = SessionData> =
  | HandlerResponse<Input>
  | Error
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | Uint8Array
  | undefined
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a handler that returns nothing is an empty 200, as in arc
  | void

/** What the adapter sends back: the payload 2.0 or 1.0 response. */
export interface HttpResult {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded?: boolean
  /** Payload 2.0: each `Set-Cookie` value. */
  cookies?: string[]
  /** Payload 1.0: `set-cookie` (and any header the handler gave several values). */
  multiValueHeaders?: Record<string, string[]>
}

/** What the reference sends on HTML, JSON and redirects: nothing that shows a session may be cached. */
export const NO_STORE = 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0'

/**
 * A handler's answer in API Gateway's own terms (./handler-result.ts makes it): lower-case header
 * names with string values, every `Set-Cookie` in `cookies`, a string body.
 */
export interface PlainResponse<Input = SessionData> extends HandlerResponse<Input> {
  statusCode: number
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  cookies: string[]
  body: string
  isBase64Encoded: boolean
}

/** Adds the session's cookie (last, so it wins over a handler's own `_idx`) in the payload's place. */
export function formatResponse(response: PlainResponse<unknown>, setCookie: string | undefined, version: '1.0' | '2.0'): HttpResult {
  const headers = { ...response.headers }
  const cookies = setCookie === undefined ? response.cookies : [...response.cookies, setCookie]
  // docs/guarantees.md: a response that writes a session is never cacheable.
  if (setCookie !== undefined) headers['cache-control'] = NO_STORE
  const result: HttpResult = { statusCode: response.statusCode, headers, body: response.body }
  if (response.isBase64Encoded) result.isBase64Encoded = true
  if (version === '2.0') {
    if (cookies.length > 0) result.cookies = cookies
    return result
  }
  const multiValueHeaders = { ...response.multiValueHeaders }
  if (cookies.length > 0) multiValueHeaders['set-cookie'] = cookies
  if (Object.keys(multiValueHeaders).length > 0) result.multiValueHeaders = multiValueHeaders
  return result
}
