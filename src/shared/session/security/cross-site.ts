/**
 * Cross-site request forgery protection: may this request change state? A pure decision over the
 * method and headers that every browser sends and no web page can forge.
 *
 * - Safe methods (RFC 9110 §9.2.1: GET, HEAD, OPTIONS) change nothing and always pass.
 * - `Sec-Fetch-Site` (W3C Fetch Metadata): `same-origin` and `none` (typed URL, bookmark) pass;
 *   `cross-site` is refused, and so is `same-site`: a sibling subdomain is another origin, and
 *   it is exactly the case that a SameSite=Lax cookie does not stop.
 * - `Origin` (RFC 6454 §7, sent by browsers on every POST) must name this request's own origin or
 *   a trusted one; without `Origin`, `Referer` must. Both checks apply when both headers are
 *   present, so a contradiction between them is refused.
 * - A request with none of these headers is not from a browser form (curl, server-to-server),
 *   and cannot ride a visitor's cookie: it passes.
 */
import { headerValue, originOfUrl, parseOriginHeader, requestOrigin, type RequestHeaders } from './origin'

export interface WriteRequest {
  /** Undefined when the event does not say: then the request is checked as if it were a POST. */
  readonly method: string | undefined
  readonly headers: RequestHeaders | null | undefined
  /** API Gateway v2 `requestContext.domainName`, used when there is no Host header. */
  readonly domainName?: string | undefined
}

/** Which header gave the request away; fixed words, safe to log. */
export type CrossSiteReason = 'sec-fetch-site' | 'origin' | 'referer'

export type CrossSiteVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: CrossSiteReason }

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])
const SAME_ORIGIN_FETCH_SITES: ReadonlySet<string> = new Set(['same-origin', 'none'])
const ALLOWED: CrossSiteVerdict = { allowed: true }

export function crossSiteVerdict(request: WriteRequest, trustedOrigins: readonly string[]): CrossSiteVerdict {
  if (typeof request.method === 'string' && SAFE_METHODS.has(request.method.toUpperCase())) return ALLOWED

  const own = requestOrigin(request.headers, request.domainName)
  const isOurs = (origin: string | undefined): boolean =>
    origin !== undefined && (origin === own || trustedOrigins.includes(origin))
  const originHeader = headerValue(request.headers, 'origin')
  const origin = originHeader === undefined ? undefined : parseOriginHeader(originHeader)

  const fetchSite = headerValue(request.headers, 'sec-fetch-site')?.trim()
  // A trusted origin may post from another site on purpose (a second front end, say).
  if (fetchSite !== undefined && !SAME_ORIGIN_FETCH_SITES.has(fetchSite) && !(origin !== undefined && trustedOrigins.includes(origin))) {
    return { allowed: false, reason: 'sec-fetch-site' }
  }
  if (originHeader !== undefined) return isOurs(origin) ? ALLOWED : { allowed: false, reason: 'origin' }

  const referer = headerValue(request.headers, 'referer')
  if (referer !== undefined) return isOurs(originOfUrl(referer)) ? ALLOWED : { allowed: false, reason: 'referer' }
  return ALLOWED
}
