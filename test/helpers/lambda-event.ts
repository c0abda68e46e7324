/**
 * API Gateway (HTTP API, payload 2.0) events for calling handlers directly, without a Sandbox.
 * `lambdaEvent` is shaped like what a browser's same-origin request produces, so that origin
 * checks see a legitimate request; `apiGatewayEvent` sends exactly the headers a test gives it.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { Test } from 'tap'

const DOMAIN = 'abc123.execute-api.us-west-2.amazonaws.com'

/** The origin of the events below: what a same-origin browser names in `Origin`. */
export const APP_ORIGIN = `https://${DOMAIN}`

export interface EventOptions {
  readonly method?: 'GET' | 'POST'
  readonly path?: string
  /** The `_idx` cookie's value, if any. */
  readonly sessionCookie?: string | undefined
}

export function lambdaEvent({ method = 'GET', path = '/', sessionCookie }: EventOptions = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {}
  if (method === 'POST') {
    headers['origin'] = APP_ORIGIN
    headers['sec-fetch-site'] = 'same-origin'
    headers['content-type'] = 'application/x-www-form-urlencoded'
  }
  if (sessionCookie !== undefined) headers['cookie'] = `_idx=${sessionCookie}`
  return apiGatewayEvent({ method, path, headers })
}

export interface EventParts {
  readonly method?: string
  readonly path?: string
  /** Besides `host` and `x-forwarded-proto`, which API Gateway always sends (and these may replace). */
  readonly headers?: Record<string, string>
  readonly cookies?: string[]
  readonly body?: string
}

/** Any request to the app, with exactly the browser headers given: for tests of the adapter's checks. */
export function apiGatewayEvent({ method = 'GET', path = '/', headers = {}, cookies, body }: EventParts = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: DOMAIN, 'x-forwarded-proto': 'https', ...headers },
    ...(cookies ? { cookies } : {}),
    ...(body !== undefined ? { body } : {}),
    requestContext: { domainName: DOMAIN, http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2
}

/**
 * Every Set-Cookie a result sends, wherever its payload keeps them: payload 2.0's `cookies`, 1.0's
 * `multiValueHeaders`, and a `set-cookie` header (which the adapter never sends: a test sees it).
 */
export function setCookies(result: CookieCarrier): string[] {
  const header = result.headers?.['set-cookie']
  return [...(result.cookies ?? []), ...(result.multiValueHeaders?.['set-cookie'] ?? []), ...(typeof header === 'string' ? [header] : [])]
}

/** Any response shape: the adapter's, or the wider one of aws-lambda's types. */
export interface CookieCarrier {
  readonly headers?: Readonly<Record<string, unknown>> | undefined
  readonly cookies?: readonly string[] | undefined
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[]>> | undefined
}

/** The session's Set-Cookie (`_idx=...`), or undefined when the result sets none. */
export function sessionSetCookie(result: CookieCarrier): string | undefined {
  const found = setCookies(result).filter((cookie) => cookie.startsWith('_idx='))
  if (found.length > 1) throw new Error(`two session cookies in one response: ${found.length}`)
  return found[0]
}

/** The `_idx` value a result sets ('' when it clears the cookie), or undefined. */
export function setCookieValue(result: CookieCarrier): string | undefined {
  return /^_idx=([^;]*)/.exec(sessionSetCookie(result) ?? '')?.[1]
}

/** Everything the code under test writes through console, one entry per call. */
export function captureConsole(t: Pick<Test, 'capture'>): { readonly lines: string[]; restore(): void } {
  const lines: string[] = []
  const captures = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    t.capture(console, level, (...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  )
  return { lines, restore: () => captures.forEach((capture) => capture.restore()) }
}
