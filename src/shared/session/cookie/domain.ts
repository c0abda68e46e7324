/**
 * ARC_SESSION_DOMAIN checks. A browser drops a cookie whose Domain is a public suffix (`com`,
 * `co.uk`, `github.io`: RFC 6265 §5.3 step 5, with the Public Suffix List) or does not domain-match
 * the host that set it (§5.1.3), so such a setting would silently keep every visitor signed out.
 * The full Public Suffix List is large and changes weekly: this is a small built-in list of the
 * common suffixes (docs/sessions.md#configuration says so), plus any single-label name.
 */

/** Common public suffixes: generic and country top-level domains' registries, and hosting platforms'. */
const PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'io', 'co', 'app', 'dev', 'xyz', 'me', 'tv', 'cc', 'ai', 'eu',
  'uk', 'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'me.uk', 'ltd.uk', 'plc.uk',
  'au', 'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au', 'nz', 'co.nz', 'org.nz', 'net.nz',
  'jp', 'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'kr', 'co.kr', 'cn', 'com.cn', 'net.cn', 'org.cn', 'hk', 'com.hk', 'tw', 'com.tw',
  'sg', 'com.sg', 'in', 'co.in', 'br', 'com.br', 'mx', 'com.mx', 'ar', 'com.ar', 'za', 'co.za', 'tr', 'com.tr',
  'de', 'fr', 'it', 'es', 'nl', 'be', 'ch', 'at', 'se', 'no', 'dk', 'fi', 'pl', 'pt', 'ie', 'cz', 'ru', 'ca', 'us',
  'amazonaws.com', 'cloudfront.net', 'elasticbeanstalk.com', 'awsapprunner.com', 'on.aws',
  'github.io', 'gitlab.io', 'herokuapp.com', 'vercel.app', 'netlify.app', 'pages.dev', 'workers.dev', 'fly.dev',
  'web.app', 'firebaseapp.com', 'appspot.com', 'azurewebsites.net', 'blogspot.com', 'onrender.com',
])

/**
 * AWS's per-region suffixes, listed one by one in the Public Suffix List: an API Gateway endpoint
 * (`<id>.execute-api.<region>.amazonaws.com`) and a function URL (`<id>.lambda-url.<region>.on.aws`)
 * can share no cookie with its neighbours.
 */
const AWS_REGIONAL_SUFFIX = /^(?:execute-api\.[a-z0-9-]+\.amazonaws\.com|[a-z0-9-]+\.amazonaws\.com|lambda-url\.[a-z0-9-]+\.on\.aws)$/

/** The Domain attribute's name as browsers compare it: lowercase, without a leading dot (RFC 6265 §5.2.3). */
export function cookieDomainName(domain: string): string {
  return domain.replace(/^\./, '').toLowerCase()
}

/** Why browsers would refuse this Domain on any host, or undefined when some host can use it. */
export function publicSuffixProblem(domain: string): string | undefined {
  const name = cookieDomainName(domain)
  if (!name.includes('.')) return `'${domain}' is a single-label name, which browsers refuse as a cookie Domain`
  if (PUBLIC_SUFFIXES.has(name) || AWS_REGIONAL_SUFFIX.test(name)) {
    return `'${domain}' is a public suffix, which browsers refuse as a cookie Domain`
  }
  return undefined
}

/**
 * RFC 6265 §5.1.3: does `host` (a request's Host, any port removed) domain-match the Domain? It is
 * the name itself or a name under it, and not an IP address.
 */
export function domainMatches(host: string, domain: string): boolean {
  const name = cookieDomainName(domain)
  const hostname = host.replace(/:\d+$/, '').toLowerCase()
  if (hostname === name) return true
  return hostname.endsWith(`.${name}`) && !/^[\d.]+$/.test(hostname) && !hostname.startsWith('[')
}

/**
 * Why a cookie with this Domain cannot be set for a request to `host`, or undefined when it can. A
 * configuration mistake that shows only per request (the host is the request's), so it names the
 * variable and the host.
 */
export function cookieDomainProblem(host: string, domain: string, variable = 'ARC_SESSION_DOMAIN'): string | undefined {
  if (domainMatches(host, domain)) return undefined
  return `${variable}: '${domain}' does not cover the host ${host.replace(/:\d+$/, '')}, so browsers would refuse the cookie; set it to that host or a parent domain of it, or leave it unset`
}
