/**
 * The cross-site write policy (docs/guarantees.md#g-cross-site, docs/security.md), table-driven: which method and
 * header combinations may change state, and ARC_TRUSTED_ORIGINS.
 */
import t from 'tap'
import { crossSiteVerdict, type CrossSiteVerdict } from '../../src/shared/session/security/cross-site'
import { requestOrigin } from '../../src/shared/session/security/origin'
import { trustedOrigins } from '../../src/shared/session/security/trusted-origins'
import { SessionConfigError } from '../../src/shared/session/core/errors'

const SANDBOX = { host: 'localhost:6300', 'x-forwarded-proto': 'http' }
const DEPLOYED = { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https' }
const OWN = 'https://abc123.execute-api.us-east-1.amazonaws.com'

const ALLOWED: CrossSiteVerdict = { allowed: true }
const refused = (reason: 'sec-fetch-site' | 'origin' | 'referer'): CrossSiteVerdict => ({ allowed: false, reason })

t.test("the request's own origin", async (t) => {
  t.equal(requestOrigin(SANDBOX), 'http://localhost:6300')
  t.equal(requestOrigin(DEPLOYED), OWN)
  t.equal(requestOrigin({ host: 'Example.COM:443' }), 'https://example.com', 'https without X-Forwarded-Proto, default port dropped, lowercase')
  t.equal(requestOrigin({ host: 'example.com', 'x-forwarded-proto': 'https, http' }), 'https://example.com', 'the first proto of a chain')
  t.equal(requestOrigin({}, 'example.org'), 'https://example.org', "requestContext.domainName when there is no Host")
  t.equal(requestOrigin({ Host: 'example.com' }), 'https://example.com', 'any casing of the header name')
  t.equal(requestOrigin({ host: '[::1]:6300', 'x-forwarded-proto': 'http' }), 'http://[::1]:6300')
  for (const host of ['', 'evil.com@example.com', 'example.com/path', 'a b', 'example.com:99999999', 'example.com\r\n']) {
    t.equal(requestOrigin({ host }), undefined, `unusable Host ${JSON.stringify(host)}`)
  }
  t.equal(requestOrigin({ host: 'example.com', 'x-forwarded-proto': 'ftp' }), undefined, 'a scheme other than http(s)')
})

t.test('safe methods always pass, whatever the headers say', async (t) => {
  for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
    t.strictSame(crossSiteVerdict({ method, headers: { ...DEPLOYED, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }, []), ALLOWED, method)
  }
})

t.test('state-changing requests', async (t) => {
  const cases: [string, Record<string, string>, CrossSiteVerdict][] = [
    ['no browser headers at all (curl, tiny-json-http)', {}, ALLOWED],
    ['same-origin form post', { origin: OWN, 'sec-fetch-site': 'same-origin' }, ALLOWED],
    ['Origin only, ours', { origin: OWN }, ALLOWED],
    ['Sec-Fetch-Site none (user typed it), no Origin', { 'sec-fetch-site': 'none' }, ALLOWED],
    ['Referer only, ours', { referer: `${OWN}/some/page?x=1` }, ALLOWED],
    ['cross-site form post', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, refused('sec-fetch-site')],
    ['Sec-Fetch-Site cross-site alone', { 'sec-fetch-site': 'cross-site' }, refused('sec-fetch-site')],
    ['same-site (a sibling subdomain) is refused', { origin: 'https://other.execute-api.us-east-1.amazonaws.com', 'sec-fetch-site': 'same-site' }, refused('sec-fetch-site')],
    ['unknown Sec-Fetch-Site value', { 'sec-fetch-site': 'same-origin, cross-site' }, refused('sec-fetch-site')],
    ['foreign Origin without fetch metadata', { origin: 'https://evil.example' }, refused('origin')],
    ['foreign Origin that claims same-origin', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }, refused('origin')],
    ['Origin null (sandboxed frame, data: URL)', { origin: 'null' }, refused('origin')],
    ['empty Origin', { origin: '' }, refused('origin')],
    ['our host over plain http', { origin: OWN.replace('https:', 'http:') }, refused('origin')],
    ['our host on another port', { origin: `${OWN}:8443` }, refused('origin')],
    ['a suffix of our host', { origin: `${OWN}.evil.example` }, refused('origin')],
    ['Origin with a path is not an origin', { origin: `${OWN}/` }, refused('origin')],
    ['Origin with user info', { origin: `https://evil@${DEPLOYED.host}` }, refused('origin')],
    ['two Origin values', { origin: `${OWN}, https://evil.example` }, refused('origin')],
    ['foreign Referer, no Origin', { referer: 'https://evil.example/page' }, refused('referer')],
    ['unreadable Referer, no Origin', { referer: 'not a url' }, refused('referer')],
    ['Origin decides when present: Referer only stands in for it', { origin: OWN, referer: 'https://evil.example/' }, ALLOWED],
  ]
  for (const [name, headers, expected] of cases) {
    t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...DEPLOYED, ...headers } }, []), expected, name)
  }
  t.strictSame(crossSiteVerdict({ method: undefined, headers: { ...DEPLOYED, origin: 'https://evil.example' } }, []), refused('origin'), 'an unknown method is checked')
  t.strictSame(crossSiteVerdict({ method: 'DELETE', headers: { ...DEPLOYED, origin: 'https://evil.example' } }, []), refused('origin'), 'DELETE is checked')
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...SANDBOX, origin: 'http://localhost:6300' } }, []), ALLOWED, 'Sandbox: http://localhost')
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { origin: OWN } }, []), refused('origin'), 'no Host: no origin of our own to match')
  t.strictSame(
    crossSiteVerdict({ method: 'POST', headers: { Origin: OWN, ORIGIN: 'https://evil.example', ...DEPLOYED } }, []),
    refused('origin'),
    'the same header in two casings reads as one list, not as either value',
  )
})

t.test('trusted origins: a proxy in front, or a second front end', async (t) => {
  const cdn = 'https://www.example.com'
  // CloudFront hands API Gateway its own Host; the browser names the public origin.
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...DEPLOYED, origin: cdn, 'sec-fetch-site': 'same-origin' } }, []), refused('origin'))
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...DEPLOYED, origin: cdn, 'sec-fetch-site': 'same-origin' } }, [cdn]), ALLOWED)
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...DEPLOYED, origin: cdn, 'sec-fetch-site': 'cross-site' } }, [cdn]), ALLOWED)
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...DEPLOYED, referer: `${cdn}/x` } }, [cdn]), ALLOWED)
  t.strictSame(crossSiteVerdict({ method: 'POST', headers: { ...DEPLOYED, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }, [cdn]), refused('sec-fetch-site'))
})

t.test('ARC_TRUSTED_ORIGINS is read and checked', async (t) => {
  t.strictSame(trustedOrigins({}), [])
  t.strictSame(trustedOrigins({ ARC_TRUSTED_ORIGINS: ' https://a.example , http://localhost:3333,' }), ['https://a.example', 'http://localhost:3333'])
  for (const bad of ['a.example', 'https://a.example/', 'https://A.example', 'https://a.example:443', 'null', 'ftp://a.example', '*']) {
    try {
      trustedOrigins({ ARC_TRUSTED_ORIGINS: bad })
      t.fail(`accepted ${bad}`)
    } catch (error) {
      t.ok(error instanceof SessionConfigError, bad)
      t.equal((error as SessionConfigError).variable, 'ARC_TRUSTED_ORIGINS', bad)
    }
  }
})
