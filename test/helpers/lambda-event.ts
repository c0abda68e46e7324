/**
 * API Gateway (HTTP API, payload 2.0) events for calling handlers directly, shaped like what a
 * browser's same-origin request produces, so that origin checks see a legitimate request.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda'

const DOMAIN = 'abc123.execute-api.us-west-2.amazonaws.com'

export interface EventOptions {
  readonly method?: 'GET' | 'POST'
  readonly path?: string
  /** The `_idx` cookie's value, if any. */
  readonly sessionCookie?: string | undefined
}

export function lambdaEvent({ method = 'GET', path = '/', sessionCookie }: EventOptions = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { host: DOMAIN }
  if (method === 'POST') {
    headers['origin'] = `https://${DOMAIN}`
    headers['sec-fetch-site'] = 'same-origin'
    headers['content-type'] = 'application/x-www-form-urlencoded'
  }
  if (sessionCookie !== undefined) headers['cookie'] = `_idx=${sessionCookie}`
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { domainName: DOMAIN, http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2
}
