/**
 * Response headers that make every page of the adapter safer to show in a browser.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda'

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // CSP Level 3: nothing but this origin's own files, so no inline or injected script runs; no
  // framing (clickjacking), forms post only here, and no <base> can redirect relative URLs.
  'content-security-policy': "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // Browsers must not guess a type other than the one we send (Fetch §3.5, "X-Content-Type-Options").
  'x-content-type-options': 'nosniff',
  // Full Referer to ourselves (the cross-site check can read it), nothing to other sites.
  'referrer-policy': 'same-origin',
  // frame-ancestors for browsers that predate it.
  'x-frame-options': 'DENY',
}

/** Adds the security headers a response does not already set (a handler may set its own policy). */
export function withSecurityHeaders(result: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  const headers = { ...result.headers }
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()))
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!present.has(name)) headers[name] = value
  }
  return { ...result, headers }
}
