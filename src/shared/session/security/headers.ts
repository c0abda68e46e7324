/**
 * Response headers that make every page of the adapter safer to show in a browser.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { isLocal, processEnv, type Env } from '../core/env'
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
 * HSTS (RFC 6797): browsers go straight to https for two years, subdomains included, so an on-path
 * attacker cannot answer a first http:// visit and plant a cookie. Two years is what the HSTS
 * preload list asks for; `preload` itself is left to the operator (it is hard to undo).
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains'

/**
 * The headers for this process: SECURITY_HEADERS and, outside the Sandbox, HSTS (the Sandbox
 * serves plain http on localhost, where it means nothing or, over a local https proxy, would pin
 * localhost). Under `arc sandbox` a page's policy also allows the Sandbox's live-reload script,
 * by hash, and its WebSocket (../dev/live-reload.ts, in the Sandbox's bundles only:
 * ../dev/sandbox-only.ts).
 */
export function securityHeaders(env: Env, page = true): Readonly<Record<string, string>> {
  const headers = isLocal(env) ? SECURITY_HEADERS : { ...SECURITY_HEADERS, 'strict-transport-security': STRICT_TRANSPORT_SECURITY }
  const liveReload = page ? sandboxDev()?.liveReloadSources(env) : undefined
  if (!liveReload) return headers
  const policy = `${CONTENT_SECURITY_POLICY}; script-src 'self' ${liveReload.script}; connect-src 'self' ${liveReload.connect}`
  return { ...headers, 'content-security-policy': policy }
}

/** Worked out once per process (and again only if the variables they depend on change, as tests do). */
let cached: { key: string; page: Readonly<Record<string, string>> | undefined; other: Readonly<Record<string, string>> } | undefined

/**
 * Adds the security headers a response does not already set (a handler may set its own policy), on
 * every response: pages, redirects, JSON and error pages alike. Only an HTML page can get the
 * Sandbox's live-reload script, so only a page pays for its hash (the Sandbox runs each request in
 * a new process): a redirect carries the plain policy.
 */
export function withSecurityHeaders(result: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  const env = processEnv()
  const key = `${env['ARC_ENV']}\n${env['ARC_SANDBOX']}`
  if (cached?.key !== key) cached = { key, page: undefined, other: securityHeaders(env, false) }
  const isPage = /^text\/html\b/i.test(String(result.headers?.['content-type'] ?? ''))
  const processHeaders = isPage ? (cached.page ??= securityHeaders(env)) : cached.other
  const headers = { ...result.headers }
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()))
  for (const [name, value] of Object.entries(processHeaders)) {
    if (!present.has(name)) headers[name] = value
  }
  return { ...result, headers }
}
