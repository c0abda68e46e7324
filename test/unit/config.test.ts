/**
 * Configuration (docs/guarantees.md#g-compat-config, #g-no-default-key): the reference's meaning for every variable, and a
 * SessionConfigError naming the variable for every mistake.
 */
import t from 'tap'
import { loadConfig, type CookieSettings } from '../../src/shared/session/core/config'
import { MIN_TTL_SECONDS } from '../../src/shared/session/core/lifetime'
import { configError } from '../helpers/config-error'
import { generatedSecret } from '../helpers/secrets'

const STRONG = generatedSecret()

t.test('mode: jwe in either variable, a table name otherwise, jwe when unset', async (t) => {
  t.strictSame(loadConfig({ ARC_ENV: 'testing' }).store, { kind: 'jwe' })
  t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe' }).store, { kind: 'jwe' })
  t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'sessions' }).store, { kind: 'dynamodb', table: 'sessions' })
  t.strictSame(loadConfig({ ARC_ENV: 'testing', SESSION_TABLE_NAME: 'my-app-staging-sessions' }).store, {
    kind: 'dynamodb',
    table: 'my-app-staging-sessions',
  })
  t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'sessions', SESSION_TABLE_NAME: 'jwe' }).store, { kind: 'jwe' })
  t.equal(configError({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'no spaces!' }).variable, 'ARC_SESSION_TABLE_NAME')
})

t.test('no default key outside testing', async (t) => {
  for (const arcEnv of ['staging', 'production', '']) {
    const error = configError({ ARC_ENV: arcEnv })
    t.equal(error.variable, 'ARC_APP_SECRET')
    t.match(error.message, /npx arc env/)
  }
  const short = configError({ ARC_ENV: 'production', ARC_APP_SECRET: 'short-secret' })
  t.equal(short.variable, 'ARC_APP_SECRET')
  t.match(short.message, /A256GCM needs at least 32/)
  t.strictSame(loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET: STRONG }).warnings, [])
})

t.test('testing without a secret: the development key, with one warning', async (t) => {
  const config = loadConfig({ ARC_ENV: 'testing' })
  t.equal(config.jweKeys.length, 1)
  t.equal(config.warnings.length, 1)
  t.match(config.warnings[0], /ARC_APP_SECRET/)
  t.strictSame(config.signingSecrets, ['fallback'])
  t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_APP_NAME: 'my-app' }).signingSecrets, ['my-app'])
  t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_SANDBOX: '{}' }).warnings, [], "under `arc sandbox` the app's plugin says it once per start instead")
})

t.test('secrets: too short for the algorithm is an error in JWE mode, as in the reference', async (t) => {
  t.equal(configError({ ARC_ENV: 'testing', ARC_APP_SECRET: 'too-short' }).variable, 'ARC_APP_SECRET')
  t.equal(configError({ ARC_ENV: 'testing', ARC_APP_SECRET: 'abcdefghijklmno', ARC_APP_SECRET_ALGO: 'A128GCM' }).variable, 'ARC_APP_SECRET')
  t.equal(configError({ ARC_ENV: 'testing', ARC_FORCE_LEGACY_JWE_SECRET: '1', ARC_APP_SECRET: 'abc' }).variable, 'ARC_APP_SECRET')
  // In DynamoDB mode the secret only signs ids, so a short one is fine under testing.
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: 'short' }).jweKeys.length, 0)
})

t.test('ARC_APP_SECRET_ALGO', async (t) => {
  t.equal(loadConfig({ ARC_ENV: 'testing' }).jweKeys[0]!.enc, 'A256GCM')
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET_ALGO: 'A192GCM' }).jweKeys[0]!.enc, 'A192GCM')
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_FORCE_LEGACY_JWE_SECRET: '1' }).jweKeys[0]!.enc, 'A128GCM')
  const error = configError({ ARC_ENV: 'testing', ARC_APP_SECRET_ALGO: 'HS256' })
  t.equal(error.variable, 'ARC_APP_SECRET_ALGO')
  t.match(error.message, /A256GCM, A192GCM, A128GCM/)
})

t.test('cookie settings', async (t) => {
  const cases: [string, Record<string, string>, CookieSettings][] = [
    ['defaults under testing', { ARC_ENV: 'testing' }, { maxAge: 788400000, domain: undefined, sameSite: 'Lax', secure: false }],
    [
      'every variable, deployed',
      { ARC_ENV: 'production', ARC_APP_SECRET: STRONG, ARC_SESSION_TTL: '3600', ARC_SESSION_DOMAIN: 'example.com', ARC_SESSION_SAME_SITE: 'STRICT' },
      { maxAge: 3600, domain: 'example.com', sameSite: 'Strict', secure: true },
    ],
    [
      'legacy names',
      { ARC_ENV: 'testing', SESSION_TTL: '60', SESSION_DOMAIN: '.example.org', ARC_SESSION_SAME_SITE: 'none' },
      // Browsers drop SameSite=None without Secure, and keep Secure cookies from http://localhost.
      { maxAge: 60, domain: '.example.org', sameSite: 'None', secure: true },
    ],
    [
      'an empty new name falls back to the legacy one, as in the reference',
      { ARC_ENV: 'testing', ARC_SESSION_TTL: '', SESSION_TTL: '3600', ARC_SESSION_DOMAIN: '', SESSION_DOMAIN: 'example.com' },
      { maxAge: 3600, domain: 'example.com', sameSite: 'Lax', secure: false },
    ],
  ]
  for (const [name, env, expected] of cases) t.strictSame(loadConfig(env).cookie, expected, name)
  t.equal(configError({ ARC_ENV: 'testing', ARC_SESSION_TTL: '1.5' }).variable, 'ARC_SESSION_TTL')
  t.equal(configError({ ARC_ENV: 'testing', SESSION_TTL: '-1' }).variable, 'SESSION_TTL')
  t.equal(configError({ ARC_ENV: 'testing', ARC_SESSION_DOMAIN: 'a.com; HttpOnly=false' }).variable, 'ARC_SESSION_DOMAIN')
  t.equal(configError({ ARC_ENV: 'testing', ARC_SESSION_SAME_SITE: 'sometimes' }).variable, 'ARC_SESSION_SAME_SITE')
  // Names every object has (from Object.prototype) are not SameSite values either.
  for (const inherited of ['constructor', '__proto__', 'Constructor']) {
    t.equal(configError({ ARC_ENV: 'testing', ARC_SESSION_SAME_SITE: inherited }).variable, 'ARC_SESSION_SAME_SITE', inherited)
  }
})

t.test('ARC_SESSION_SAME_SITE: no inherited property is a setting', async (t) => {
  for (const value of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
    const error = configError({ ARC_ENV: 'testing', ARC_SESSION_SAME_SITE: value })
    t.equal(error.variable, 'ARC_SESSION_SAME_SITE', value)
    t.equal(error.message, `ARC_SESSION_SAME_SITE: '${value.toLowerCase()}' is not one of lax, strict, none`)
  }
})

t.test('ARC_SESSION_DOMAIN: a public suffix or a single label is refused, with why', async (t) => {
  for (const domain of ['com', '.com', 'co.uk', '.CO.UK', 'github.io', 'localhost', 'execute-api.us-west-2.amazonaws.com', 'amazonaws.com', 'cloudfront.net']) {
    const error = configError({ ARC_ENV: 'production', ARC_APP_SECRET: STRONG, ARC_SESSION_DOMAIN: domain })
    t.equal(error.variable, 'ARC_SESSION_DOMAIN', domain)
    t.match(error.message, /(public suffix|single-label name), which browsers refuse as a cookie Domain, so the cookie would never be kept/)
  }
  for (const domain of ['example.com', '.example.co.uk', 'app.example.github.io', 'abc123.execute-api.us-west-2.amazonaws.com']) {
    t.equal(loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET: STRONG, ARC_SESSION_DOMAIN: domain }).cookie.domain, domain, `${domain} is kept`)
  }
})

t.test('ARC_SESSION_ABSOLUTE_TTL: the absolute lifetime, 30 days (or N when longer) unless set', async (t) => {
  t.equal(loadConfig({ ARC_ENV: 'testing' }).lifetime.absoluteSeconds, 2_592_000)
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TTL: '5184000' }).lifetime.absoluteSeconds, 5_184_000, 'N of 60 days')
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TTL: '3600', ARC_SESSION_ABSOLUTE_TTL: '86400' }).lifetime.absoluteSeconds, 86_400)
  t.equal(configError({ ARC_ENV: 'testing', ARC_SESSION_ABSOLUTE_TTL: '86400' }).variable, 'ARC_SESSION_ABSOLUTE_TTL', 'below the default N, a week')
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TTL: '60', ARC_SESSION_ABSOLUTE_TTL: '60' }).lifetime.absoluteSeconds, 60, 'equal to N')
  for (const bad of ['59', '1.5', '-1', '1e6', '30d']) {
    const error = configError({ ARC_ENV: 'testing', ARC_SESSION_TTL: '60', ARC_SESSION_ABSOLUTE_TTL: bad })
    t.equal(error.variable, 'ARC_SESSION_ABSOLUTE_TTL', `'${bad}' is refused`)
    t.match(error.message, /whole number of seconds from ARC_SESSION_TTL \(60\) up/)
  }
})

t.test('ARC_SESSION_TTL is the lifetime the stores enforce, and the cookie Max-Age', async (t) => {
  const cases: [string, Record<string, string>, { ttl: number; renewAfter: number; maxAge: number }][] = [
    ['unset: a week on the server, the reference Max-Age', { ARC_ENV: 'testing' }, { ttl: 604800, renewAfter: 86400, maxAge: 788400000 }],
    ['an hour: renewed after half an hour', { ARC_ENV: 'testing', ARC_SESSION_TTL: '3600' }, { ttl: 3600, renewAfter: 1800, maxAge: 3600 }],
    ['legacy name', { ARC_ENV: 'testing', SESSION_TTL: '60' }, { ttl: 60, renewAfter: 30, maxAge: 60 }],
    ['the shortest', { ARC_ENV: 'testing', ARC_SESSION_TTL: String(MIN_TTL_SECONDS) }, { ttl: 2, renewAfter: 1, maxAge: 2 }],
    ['30 days: renewed daily', { ARC_ENV: 'testing', ARC_SESSION_TTL: '2592000' }, { ttl: 2592000, renewAfter: 86400, maxAge: 2592000 }],
  ]
  for (const [name, env, expected] of cases) {
    const config = loadConfig(env)
    t.strictSame({ ttl: config.lifetime.ttlSeconds, renewAfter: config.lifetime.renewAfterSeconds, maxAge: config.cookie.maxAge }, expected, name)
  }
  for (const bad of ['0', '1', '1.5', '-1', '1e3', ' 60', '60s', '99999999999']) {
    const error = configError({ ARC_ENV: 'testing', ARC_SESSION_TTL: bad })
    t.equal(error.variable, 'ARC_SESSION_TTL', `'${bad}' is refused`)
    t.match(error.message, /whole number of seconds from 2 up; e\.g\. 86400/)
  }
  t.equal(configError({ ARC_ENV: 'testing', SESSION_TTL: '1' }).variable, 'SESSION_TTL')
})
