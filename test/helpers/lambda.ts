/**
 * Calling handlers the way API Gateway (payload v2) does, without a Sandbox: for unit tests of
 * the adapter, its refusals and its logs.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { Test } from 'tap'
import type { HttpResult } from '../../src/shared/session'

export interface EventParts {
  readonly method?: string
  readonly path?: string
  readonly headers?: Record<string, string>
  readonly cookies?: string[]
  readonly body?: string
}

/** A v2 event as API Gateway sends it for https://app.example (lowercase header names). */
export function lambdaEvent({ method = 'GET', path = '/', headers = {}, cookies, body }: EventParts = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'app.example', 'x-forwarded-proto': 'https', ...headers },
    ...(cookies ? { cookies } : {}),
    ...(body !== undefined ? { body, isBase64Encoded: false } : {}),
    requestContext: { domainName: 'app.example', http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' } },
  } as unknown as APIGatewayProxyEventV2
}

export const APP_ORIGIN = 'https://app.example'

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
