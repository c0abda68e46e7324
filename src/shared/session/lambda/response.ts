/**
 * A handler's answer as an API Gateway response: a redirect, a page or JSON, with the session
 * cookie when one was written. Nothing that shows a session may be cached.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import type { JsonValue, SessionData } from '../providers/store'

export type HttpResult = APIGatewayProxyStructuredResultV2

/** `Input`: what may be stored, `SessionData` unless a schema declares it. */
export interface HandlerResponse<Input = SessionData> {
  /**
   * The session to keep. Omit it to leave the session as it was; `null`, `{}` or a session that
   * reads as a new visitor's (the schema's defaults) ends it.
   */
  session?: Input | null
  /** Start a new session (new id, old one destroyed) with `session` as its data: use it on sign-in or reset. */
  regenerate?: boolean
  /** Redirect here (303 See Other unless `status` says otherwise). */
  location?: string
  html?: string
  json?: JsonValue
  status?: number
  headers?: Record<string, string>
}

/** What the reference sends on HTML, JSON and redirects: nothing that shows a session may be cached. */
export const NO_STORE = 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0'

export function formatResponse(response: HandlerResponse<unknown>, setCookie: string | undefined): HttpResult {
  const headers: Record<string, string> = { 'cache-control': NO_STORE, ...response.headers }
  if (setCookie) headers['set-cookie'] = setCookie
  let body = ''
  if (response.location !== undefined) {
    headers['location'] = response.location
  } else if (response.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8'
    body = response.html
  } else if (response.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8'
    body = JSON.stringify(response.json)
  }
  const statusCode = response.status ?? (response.location !== undefined ? 303 : 200)
  return { statusCode, headers, body }
}
