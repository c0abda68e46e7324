/**
 * Response headers that make every page of the adapter safer to show in a browser.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { sandboxDev } from '../dev/sandbox-only'

/**
 * CSP Level 3: nothing but this origin's own files, so no inline or injected script runs; no
 * framing (clickjacking), forms post only here, and no <base> can redirect relative URLs.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // Browsers must not guess a type other than the one we send (Fetch §3.5, "X-Content-Type-Options").
  'x-content-type-options': 'nosniff',
  // Full Referer to ourselves (the cross-site check can read it), nothing to other sites.
  'referrer-policy': 'same-origin',
  // frame-ancestors for browsers that predate it.
  'x-frame-options': 'DENY',
}

/**
 * The headers for this process: SECURITY_HEADERS, except that under `arc sandbox` the policy also
 * allows the Sandbox's live-reload script, by hash, and its WebSocket (../dev/live-reload.ts, in the
 * Sandbox's bundles only: ../dev/sandbox-only.ts).
 */
export function securityHeaders(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string>> {
  const liveReload = sandboxDev()?.liveReloadSources(env)
  if (!liveReload) return SECURITY_HEADERS
  const policy = `${CONTENT_SECURITY_POLICY}; script-src 'self' ${liveReload.script}; connect-src 'self' ${liveReload.connect}`
  return { ...SECURITY_HEADERS, 'content-security-policy': policy }
}

let pageHeaders: Readonly<Record<string, string>> | undefined

/**
 * Adds the security headers a response does not already set (a handler may set its own policy).
 * Only an HTML page can get the Sandbox's live-reload script, so only a page pays for its hash
 * (the Sandbox runs each request in a new process): a redirect carries the plain policy.
 */
export function withSecurityHeaders(result: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  const isPage = /^text\/html\b/i.test(String(result.headers?.['content-type'] ?? ''))
  const processHeaders = isPage ? (pageHeaders ??= securityHeaders(process.env)) : SECURITY_HEADERS
  const headers = { ...result.headers }
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()))
  for (const [name, value] of Object.entries(processHeaders)) {
    if (!present.has(name)) headers[name] = value
  }
  return { ...result, headers }
}
