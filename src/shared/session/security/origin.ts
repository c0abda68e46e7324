/**
 * Origins (RFC 6454): the one a browser names in `Origin` or `Referer`, and the one a request was
 * sent to. Only http and https origins exist here; anything else is "no origin".
 */

export type RequestHeaders = Readonly<Record<string, string | undefined>>

/**
 * A header's value, whatever the casing of its name. API Gateway v2 lowercases names and joins
 * repeated headers with ", " (as Node does); hand-made events may not, so every spelling is
 * collected and joined the same way: two values then read as one malformed value, never as either.
 */
export function headerValue(headers: RequestHeaders | null | undefined, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  const values: string[] = []
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string' && key.toLowerCase() === name) values.push(value)
  }
  return values.length === 0 ? undefined : values.join(', ')
}

/** The origin of an http(s) URL (scheme, host and port only), or undefined. Never throws. */
export function originOfUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
}

/**
 * The value of an `Origin` header, if it is exactly a serialized origin (RFC 6454 §6.2:
 * scheme "://" host [ ":" port ], lowercase, default port left out), as every browser sends it.
 * `null`, paths, user names, lists and other spellings are not origins.
 */
export function parseOriginHeader(value: string): string | undefined {
  const origin = originOfUrl(value)
  return origin === value ? origin : undefined
}

/** RFC 9110 §7.2: Host = uri-host [ ":" port ]; a reg-name, IPv4 or bracketed IPv6 literal. */
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * The origin this request was sent to: the `Host` header (API Gateway passes the client's; the
 * v2 event also carries it as requestContext.domainName) and the scheme from `X-Forwarded-Proto`,
 * which API Gateway sets to `https` and Sandbox to `http`. Without that header the scheme is
 * https, the only one API Gateway serves. Undefined when either part is unusable.
 */
export function requestOrigin(headers: RequestHeaders | null | undefined, domainName?: string): string | undefined {
  const host = headerValue(headers, 'host') ?? domainName
  if (host === undefined || !HOST.test(host)) return undefined
  // A proxy chain appends its own value: the first is the client's side.
  const [first = ''] = (headerValue(headers, 'x-forwarded-proto') ?? 'https').split(',')
  const proto = first.trim().toLowerCase()
  if (proto !== 'http' && proto !== 'https') return undefined
  return originOfUrl(`${proto}://${host}`)
}
