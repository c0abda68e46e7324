/**
 * What a handler's return means, as `arc.http` 8.x reads it, checked before anything is written:
 * a response object (every key known and of its type), an `Error`, nothing, or a value sent as
 * JSON. What cannot be understood is a SessionResponseError naming the key, never an empty 200.
 * The result is in API Gateway's own terms (PlainResponse) for ./response.ts to finish.
 */
import { SessionResponseError } from '../core/errors'
import { describeError, logLine } from '../core/log'
import { BACK_TO_START, errorPage, type ErrorPageOptions } from './error-response'
import type { HttpRequest } from './request'
import { NO_STORE, type HandlerResponse, type HeaderValue, type PlainResponse } from './response'

/** The body keys and the Content-Type each sets (arc's, with the IANA spelling `utf-8`). */
const BODY_TYPES = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
} as const
type BodyKey = keyof typeof BODY_TYPES

/** arc's default for a body without a type. */
const DEFAULT_TYPE = BODY_TYPES.json
/** arc's default for anything but HTML, JSON and redirects: a day. */
const DEFAULT_CACHE = 'max-age=86400'

const STATUS_KEYS = ['statusCode', 'status', 'code'] as const
const RESPONSE_KEYS: ReadonlySet<string> = new Set<keyof HandlerResponse>([
  ...(Object.keys(BODY_TYPES) as BodyKey[]),
  ...STATUS_KEYS,
  'body',
  'session',
  'regenerate',
  'location',
  'headers',
  'multiValueHeaders',
  'cookies',
  'cookie',
  'isBase64Encoded',
  'type',
  'cacheControl',
  'cors',
  'compression',
])

type Request = Pick<HttpRequest, 'method' | 'version' | 'headers'>
type Response = PlainResponse<unknown>

export function understand(result: unknown, request: Request, options: ErrorPageOptions = {}): Response {
  if (result instanceof Error) return returnedError(result, options)
  // Nothing (or null): an empty 200, as arc answers an HTTP API handler that returns nothing.
  if (result === undefined || result === null) return fromResponse({ body: '' }, request)
  if (isPlainObject(result) && Object.keys(result).some((key) => RESPONSE_KEYS.has(key))) return fromResponse(result, request)
  if (result instanceof Uint8Array) return fromResponse({ body: result, type: 'application/octet-stream' }, request)
  // arc sends any other value as JSON: a string, a number, an array, an object without a response key.
  if (typeof result === 'object' && !isPlainObject(result) && !Array.isArray(result) && typeof (result as { toJSON?: unknown }).toJSON !== 'function') {
    throw new SessionResponseError(`the handler returned a ${constructorName(result)}, which is neither a response nor JSON`)
  }
  if (typeof result === 'function' || typeof result === 'symbol' || typeof result === 'bigint') {
    throw new SessionResponseError(`the handler returned a ${typeof result}, which is neither a response nor JSON`)
  }
  return fromResponse({ json: result }, request)
}

/**
 * A returned Error is an answer, as in arc: its own 4xx/5xx status (`statusCode` or `status`)
 * or 500, and its message on the page, escaped. Never its stack: that is for the log.
 */
function returnedError(error: Error, options: ErrorPageOptions): Response {
  const own = [(error as { statusCode?: unknown }).statusCode, (error as { status?: unknown }).status].find(isErrorStatus)
  const statusCode = typeof own === 'number' ? own : 500
  logLine('error', `the handler returned an error (${statusCode}): ${describeError(error)}`)
  // The page's renderer escapes the message (request data may be in it: OWASP XSS rule 1). A 4xx
  // is the handler's answer to this request, so the start may still work; a 500 has no link.
  const action = statusCode < 500 ? { action: BACK_TO_START } : {}
  const page = errorPage({ statusCode, title: 'Something went wrong', message: error.message, ...action }, options)
  return { statusCode, headers: page.headers, multiValueHeaders: {}, cookies: [], body: page.body, isBase64Encoded: false }
}

function fromResponse(response: Record<string, unknown>, request: Request): Response {
  const unknown = Object.keys(response).filter((key) => !RESPONSE_KEYS.has(key))
  if (unknown.length > 0) {
    throw new SessionResponseError(`the handler's response has ${unknown.length === 1 ? 'an unknown key' : 'unknown keys'} ${unknown.map(quote).join(', ')} (see HandlerResponse for the keys a response takes)`)
  }
  const r = response as HandlerResponse<unknown>
  checkTypes(r)
  const headers = headerMap(r.headers)
  const multiValueHeaders = multiHeaderMap(r.multiValueHeaders, headers)
  const cookies = [...(multiValueHeaders['set-cookie'] ?? []), ...takeHeader(headers, 'set-cookie'), ...(r.cookie === undefined ? [] : [r.cookie]), ...(r.cookies ?? [])]
  delete multiValueHeaders['set-cookie']
  if (request.version === '2.0') {
    // Payload 2.0 has no multiValueHeaders: API Gateway would drop them.
    for (const [name, values] of Object.entries(multiValueHeaders)) headers[name] = values.join(', ')
  }

  const { key: bodyKey, content } = theBody(r)
  setOnce(headers, 'content-type', r.type, 'type')
  const type = (headers['content-type'] ??= bodyKey === 'body' || bodyKey === undefined ? DEFAULT_TYPE : BODY_TYPES[bodyKey])
  setOnce(headers, 'location', r.location, 'location')
  setOnce(headers, 'access-control-allow-origin', r.cors === true ? '*' : undefined, 'cors')
  setOnce(headers, 'cache-control', r.cacheControl, 'cacheControl')
  const mayShowSession = /text\/html|application\/json|application\/vnd\.api\+json/i.test(type) || r.location !== undefined
  headers['cache-control'] ??= mayShowSession ? NO_STORE : DEFAULT_CACHE
  // A cookie must never be stored by a shared cache and handed to another visitor.
  if (cookies.length > 0) headers['cache-control'] = NO_STORE

  let body = typeof content === 'string' ? content : Buffer.from(content ?? '').toString('base64')
  let isBase64Encoded = r.isBase64Encoded === true || typeof content === 'object' || isBinaryType(type)
  if (r.compression !== undefined && r.compression !== false && !isBase64Encoded && request.version === '2.0' && headers['content-encoding'] === undefined) {
    const encoding = chooseEncoding(r.compression, request.headers['accept-encoding'])
    if (encoding !== undefined && body !== '') {
      body = compress(body, encoding)
      isBase64Encoded = true
      headers['content-encoding'] = encoding
      headers['vary'] = headers['vary'] === undefined ? 'accept-encoding' : `${headers['vary']}, accept-encoding`
    }
  }

  const statusCode = STATUS_KEYS.map((key) => r[key]).find((status) => status !== undefined) ?? (r.location === undefined ? 200 : redirectStatus(request.method))
  const plain: Response = { statusCode, headers, multiValueHeaders, cookies, body, isBase64Encoded }
  if (r.session !== undefined) plain.session = r.session
  if (r.regenerate !== undefined) plain.regenerate = r.regenerate
  return plain
}

/** docs/guarantees.md#g-redirect-303: post/redirect/get answers 303 See Other; a GET's redirect stays arc's 302. */
function redirectStatus(method: string): number {
  const safe = method.toUpperCase()
  return safe === 'GET' || safe === 'HEAD' ? 302 : 303
}

function checkTypes(r: HandlerResponse<unknown>): void {
  const wrong = (key: string, what: string): never => {
    throw new SessionResponseError(`the handler's response key ${quote(key)} must be ${what}`)
  }
  const statuses = new Set<unknown>()
  for (const key of STATUS_KEYS) {
    const status = r[key]
    if (status === undefined) continue
    if (!Number.isInteger(status) || status < 100 || status > 599) wrong(key, 'a whole number from 100 to 599')
    statuses.add(status)
  }
  if (statuses.size > 1) throw new SessionResponseError(`the handler's response gives two different statuses (${STATUS_KEYS.filter((key) => r[key] !== undefined).join(', ')})`)
  for (const key of ['html', 'css', 'js', 'text', 'xml', 'cookie', 'location', 'type', 'cacheControl'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') wrong(key, 'a string')
  }
  for (const key of ['regenerate', 'cors', 'isBase64Encoded'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'boolean') wrong(key, 'true or false')
  }
  if (r.body !== undefined && typeof r.body !== 'string' && !(r.body instanceof Uint8Array)) wrong('body', 'a string or bytes (use json for data)')
  if (r.session !== undefined && r.session !== null && !isPlainObject(r.session)) wrong('session', 'an object or null')
  if (r.cookies !== undefined && !(Array.isArray(r.cookies) && r.cookies.every((c) => typeof c === 'string'))) wrong('cookies', 'an array of strings')
  if (r.compression !== undefined && ![true, false, 'br', 'gzip'].includes(r.compression)) wrong('compression', "true, false, 'br' or 'gzip'")
  if (r.headers !== undefined && !isPlainObject(r.headers)) wrong('headers', 'an object')
  if (r.multiValueHeaders !== undefined && !isPlainObject(r.multiValueHeaders)) wrong('multiValueHeaders', 'an object of arrays')
}

/** The one body given, if any: two are a mistake (arc would silently keep one). */
function theBody(r: HandlerResponse<unknown>): { key: BodyKey | 'body' | undefined; content: string | Uint8Array | undefined } {
  const given = (['body', ...Object.keys(BODY_TYPES)] as (BodyKey | 'body')[]).filter((key) => r[key] !== undefined)
  if (given.length > 1) throw new SessionResponseError(`the handler's response gives two bodies (${given.join(', ')}): return one`)
  const key = given[0]
  if (key === undefined) return { key, content: undefined }
  if (key !== 'json') return { key, content: r[key] }
  let json: string | undefined
  try {
    json = JSON.stringify(r.json)
  } catch (error) {
    throw new SessionResponseError(`the handler's json cannot be sent as JSON: ${describeError(error)}`)
  }
  // JSON.stringify gives undefined for a function or a symbol, whatever its declared type says.
  if ((json as string | undefined) === undefined) throw new SessionResponseError("the handler's json is not a JSON value")
  return { key, content: json }
}

function headerValue(name: string, value: HeaderValue): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new SessionResponseError(`the handler's header ${quote(name)} must be a string, number or boolean`)
}

/** Header names are case-insensitive (RFC 9110 §5.1): one name given twice with two values is a mistake. */
function headerMap(given: HandlerResponse['headers']): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(given ?? {})) {
    if (value === undefined) continue
    setOnce(headers, name.toLowerCase(), headerValue(name, value), `headers[${quote(name)}]`)
  }
  return headers
}

function multiHeaderMap(given: HandlerResponse['multiValueHeaders'], headers: Record<string, string>): Record<string, string[]> {
  const multi: Record<string, string[]> = {}
  for (const [name, values] of Object.entries(given ?? {})) {
    if (!Array.isArray(values)) throw new SessionResponseError(`the handler's multiValueHeaders[${quote(name)}] must be an array`)
    const key = name.toLowerCase()
    if (key in headers && key !== 'set-cookie') throw new SessionResponseError(`the handler's response gives the header ${quote(key)} in both headers and multiValueHeaders`)
    multi[key] = [...(multi[key] ?? []), ...values.map((value: HeaderValue) => headerValue(name, value))]
  }
  return multi
}

/** Sets a header from a key (`type`, `location`, ...) unless it is there with another value: nothing given is dropped. */
function setOnce(headers: Record<string, string>, name: string, value: string | undefined, from: string): void {
  if (value === undefined) return
  const present = headers[name]
  if (present !== undefined && present !== value) {
    throw new SessionResponseError(`the handler's response sets the header ${quote(name)} twice, with two values (again in ${from})`)
  }
  headers[name] = value
}

function takeHeader(headers: Record<string, string>, name: string): string[] {
  const value = headers[name]
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the header is moved, by its (lower-case) name
  delete headers[name]
  return value === undefined ? [] : [value]
}

/** Content that is bytes whatever the body: a string body of such a type is taken as base64 already (as arc). */
function isBinaryType(type: string): boolean {
  const media = (type.split(';')[0] ?? '').trim().toLowerCase()
  if (media === 'image/svg+xml') return false
  if (/^(image|audio|video|font)\//.test(media)) return true
  return /^application\/(octet-stream|pdf|zip|gzip|x-gzip|x-zip|x-tar|x-bzip2?|x-7z-compressed|x-rar-compressed|(x-)?java-archive|epub\+zip|msword|rtf|vnd\.ms-[a-z]+|vnd\.openxmlformats-officedocument\.[a-z.]+|vnd\.amazon\.ebook|x-apple-diskimage)$/.test(media)
}

/** RFC 9110 §12.5.3: a coding the browser lists (`br ;q=1` too: OWS, §12.4.2), without `q=0`. `true` means arc's order: br, then gzip. */
function chooseEncoding(wanted: true | 'br' | 'gzip', acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.toLowerCase().split(';'))
      .filter(([, q]) => !/^\s*q=0(\.0*)?\s*$/.test(q ?? ''))
      .map(([coding]) => coding?.trim()),
  )
  const order = wanted === true ? (['br', 'gzip'] as const) : [wanted]
  return order.find((coding) => accepted.has(coding))
}

/** Loaded only for a response that asks for it: zlib costs start-up time that most pages never repay. */
function compress(body: string, encoding: 'br' | 'gzip'): string {
  const zlib = process.getBuiltinModule('node:zlib')
  return (encoding === 'br' ? zlib.brotliCompressSync(body) : zlib.gzipSync(body)).toString('base64')
}

function isErrorStatus(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 400 && (value as number) <= 599
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** A key as the log shows it: quoted, and short (a key is code, but may have been made from data). */
function quote(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)
}

/** The class name of a returned value, for the log line; any object may lack a constructor. */
function constructorName(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name
  return typeof name === 'string' && name !== '' ? name : 'object'
}
