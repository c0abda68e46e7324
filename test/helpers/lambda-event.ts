/**
 * API Gateway (HTTP API, payload 2.0) events for calling handlers directly, without a Sandbox.
 * `lambdaEvent` is shaped like what a browser's same-origin request produces, so that origin
 * checks see a legitimate request; `apiGatewayEvent` sends exactly the headers a test gives it.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { Test } from 'tap'
import type { HttpResult } from '../../src/shared/session'

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

/** The `_idx` value a result sets ('' when it clears the cookie), or undefined. */
export function setCookieValue(result: HttpResult): string | undefined {
  const header = result.headers?.['set-cookie']
  return typeof header === 'string' ? /^_idx=([^;]*)/.exec(header)?.[1] : undefined
}

/** Everything the code under test writes through console, one entry per call. */
export function captureConsole(t: Pick<Test, 'capture'>): { readonly lines: string[]; restore(): void } {
  const lines: string[] = []
  const captures = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    t.capture(console, level, (...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  )
  return { lines, restore: () => captures.forEach((capture) => capture.restore()) }
}
