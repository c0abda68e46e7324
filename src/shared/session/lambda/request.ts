/**
 * An API Gateway event (HTTP API payload 2.0, or REST API payload 1.0) as the request a handler is
 * given: the names `arc.http` adds (`method`, `path`, `resource`, `params`, `query`, a parsed
 * `body`), the same fields whichever payload came in, and `{}` or `[]` where API Gateway leaves a
 * map out or sends `null`. docs/sessions.md has the table of what each field holds.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda'
import { SessionRequestBodyError } from '../core/errors'
import { parseBody, type RequestBody } from './request-body'

export type { RequestBody } from './request-body'

/** What Lambda hands the adapter: an HTTP API (2.0) or a REST API (1.0) event. */
export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent

export interface HttpRequest {
  /** `'2.0'` (HTTP API) or `'1.0'` (REST API): which shape the response takes too. */
  version: '2.0' | '1.0'
  /** The request method as API Gateway gives it, e.g. `GET`; `httpMethod` is the same (arc's alias). */
  method: string
  httpMethod: string
  /** The request's path, e.g. `/shop/cookies` (2.0: `rawPath`). */
  path: string
  /** Payload 2.0 only, as API Gateway sends them: the path and the query string undecoded. */
  rawPath?: string
  rawQueryString?: string
  /** The route that matched, e.g. `/shop/{product}` or `$default` (1.0: `resource`). */
  resource: string
  /** `method + ' ' + resource`, or `$default` (1.0: made up from those two). */
  routeKey: string
  /** Path parameters, e.g. `{ product: 'cookies' }`; a catch-all's is `proxy`. `pathParameters` is the same. */
  params: Record<string, string>
  pathParameters: Record<string, string>
  /**
   * Query parameters as API Gateway gives them (`queryStringParameters` is the same): a key given
   * twice is `'a,b'` in 2.0 and the last value in 1.0. Every value, in order, is in
   * `multiValueQueryStringParameters`, whichever the payload.
   */
  query: Record<string, string>
  queryStringParameters: Record<string, string>
  multiValueQueryStringParameters: Record<string, string[]>
  /** Header names in lower case (2.0 already sends them so; 1.0 keeps the client's casing). */
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  /** The request's cookies as `name=value` strings: the 2.0 `cookies` array, or the 1.0 Cookie header split. */
  cookies: string[]
  /**
   * See `RequestBody`: `{}` when the request has none. Parsed when first read; a body that cannot
   * be what its Content-Type says throws SessionRequestBodyError, which the adapter answers with a
   * 400 (or 413) page, so a handler that never reads the body is never refused for it.
   */
  body: RequestBody
  /** The body exactly as API Gateway sent it (base64 when `isBase64Encoded`), when there is one. */
  rawBody?: string
  isBase64Encoded: boolean
  /** As API Gateway sends it: its shape depends on the payload version. */
  requestContext: HttpEvent['requestContext']
  stageVariables: Record<string, string>
}

/** The two payloads differ in every field; 2.0 says so, 1.0 (REST) has `httpMethod`. */
export function isPayloadV1(event: unknown): boolean {
  const { version, httpMethod } = event as { version?: unknown; httpMethod?: unknown }
  return version === '1.0' || (version !== '2.0' && typeof httpMethod === 'string')
}

/**
 * A new request object on every call. Never throws: a hand-made or hostile event with missing or
 * mistyped fields gets the empty values, and a bad body throws only when it is read.
 */
export function parseRequest(event: HttpEvent): HttpRequest {
  const raw = event as unknown as Record<string, unknown>
  const v1 = isPayloadV1(event)
  const headers = lowerCaseHeaders(raw['headers'], raw['multiValueHeaders'])
  const context = isObject(raw['requestContext']) ? raw['requestContext'] : {}
  const contextHttp = isObject(context['http']) ? context['http'] : {}
  const routeKey = text(raw['routeKey'])
  const method = text(v1 ? raw['httpMethod'] : contextHttp['method']) || routeKey.split(' ')[0] || ''
  const resource = v1 ? text(raw['resource']) : routeKey.split(' ')[1] || routeKey
  const isBase64Encoded = raw['isBase64Encoded'] === true

  const params = stringMap(raw['pathParameters'])
  const query = stringMap(raw['queryStringParameters'])
  const request: HttpRequest = {
    ...(event as unknown as object),
    version: v1 ? '1.0' : '2.0',
    method,
    httpMethod: method,
    path: text(v1 ? raw['path'] : raw['rawPath']) || text(contextHttp['path']),
    resource,
    routeKey: v1 ? `${method} ${resource}` : routeKey,
    params,
    pathParameters: params,
    query,
    queryStringParameters: query,
    multiValueQueryStringParameters: v1 ? stringListMap(raw['multiValueQueryStringParameters']) : queryLists(text(raw['rawQueryString'])),
    headers: headers.single,
    multiValueHeaders: headers.multi,
    cookies: v1 || !Array.isArray(raw['cookies']) ? cookiePairs(headers.single['cookie']) : raw['cookies'].filter((c) => typeof c === 'string'),
    body: {},
    isBase64Encoded,
    requestContext: context as unknown as HttpEvent['requestContext'],
    stageVariables: stringMap(raw['stageVariables']),
  }
  if (typeof raw['body'] === 'string' && raw['body'] !== '') request.rawBody = raw['body']
  parseBodyWhenRead(request, raw['body'], isBase64Encoded, headers.single['content-type'])
  return request
}

/** `body` as a getter that parses once; assigning it (middleware may) replaces it with a plain value. */
function parseBodyWhenRead(request: HttpRequest, body: unknown, isBase64Encoded: boolean, contentType: string | undefined): void {
  let parsed: ReturnType<typeof parseBody> | undefined
  Object.defineProperty(request, 'body', {
    configurable: true,
    enumerable: true,
    get(): RequestBody {
      parsed ??= parseBody(body, isBase64Encoded, contentType)
      if (!parsed.ok) throw new SessionRequestBodyError(parsed.refusal.status, parsed.refusal.message)
      return parsed.value
    },
    set(this: HttpRequest, value: RequestBody) {
      Object.defineProperty(this, 'body', { configurable: true, enumerable: true, writable: true, value })
    },
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** A map of strings; anything else in it (a hand-made `null` value) is left out. */
function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {}
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

function stringListMap(value: unknown): Record<string, string[]> {
  if (!isObject(value)) return {}
  const lists: [string, string[]][] = []
  for (const [key, list] of Object.entries(value)) {
    if (Array.isArray(list)) lists.push([key, list.filter((item): item is string => typeof item === 'string')])
  }
  return Object.fromEntries(lists)
}

/**
 * Payload 2.0 joins a repeated key's values with commas, which cannot be told apart from a value
 * holding one: the raw query string still has them apart. WHATWG URL query parsing (`+` is a
 * space, bad percent-escapes are kept as written), as the Sandbox decodes `queryStringParameters`.
 */
function queryLists(rawQueryString: string): Record<string, string[]> {
  const lists = new Map<string, string[]>()
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const list = lists.get(key)
    if (list) list.push(value)
    else lists.set(key, [value])
  }
  return Object.fromEntries(lists)
}

/**
 * Lower-case names. A name sent in two casings (only a hand-made event can) keeps both values,
 * joined as HTTP joins a repeated field (RFC 9110 §5.3), Cookie with `; ` (RFC 6265 §5.4).
 */
function lowerCaseHeaders(headers: unknown, multiValueHeaders: unknown): { single: Record<string, string>; multi: Record<string, string[]> } {
  const multi = new Map<string, string[]>()
  const add = (name: string, values: string[]): void => {
    const key = name.toLowerCase()
    multi.set(key, [...(multi.get(key) ?? []), ...values])
  }
  const lists = stringListMap(multiValueHeaders)
  const singles = stringMap(headers)
  // 1.0 sends every header in both maps; the multi-value one has all of a repeated header's values.
  for (const [name, values] of Object.entries(lists)) add(name, values)
  for (const [name, value] of Object.entries(singles)) {
    if (!(name in lists)) add(name, [value])
  }
  const single = [...multi].map(([name, values]): [string, string] => [name, values.join(name === 'cookie' ? '; ' : ', ')])
  return { single: Object.fromEntries(single), multi: Object.fromEntries(multi) }
}

/** RFC 6265 §4.2.1: `cookie-pair *( ";" SP cookie-pair )`, lenient about the spaces. */
function cookiePairs(header: string | undefined): string[] {
  if (header === undefined) return []
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
}
