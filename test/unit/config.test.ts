/**
 * Configuration (contract A1, B1): the reference's meaning for every variable, and a
 * SessionConfigError naming the variable for every mistake.
 */
import t from 'tap'
import { loadConfig, MIN_DEPLOYED_SECRET_CHARS, type CookieSettings } from '../../src/shared/session/core/config'
import { SessionConfigError } from '../../src/shared/session/core/errors'
import { MIN_TTL_SECONDS } from '../../src/shared/session/core/lifetime'

const STRONG = 'k'.repeat(MIN_DEPLOYED_SECRET_CHARS)

function configError(env: Record<string, string>): SessionConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof SessionConfigError) return error
    throw error
  }
  throw new Error(`no configuration error for ${JSON.stringify(env)}`)
}

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

t.test('B1: no default key outside testing', async (t) => {
  for (const arcEnv of ['staging', 'production', '']) {
    const error = configError({ ARC_ENV: arcEnv })
    t.equal(error.variable, 'ARC_APP_SECRET')
    t.match(error.message, /npx arc env/)
  }
  const short = configError({ ARC_ENV: 'production', ARC_APP_SECRET: 'short-secret' })
  t.equal(short.variable, 'ARC_APP_SECRET')
  t.match(short.message, /at least 32/)
  t.equal(loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET: STRONG }).warnings.length, 0)
})

t.test('B3: a weak previous secret still reads (moving off a weak secret signs no one out), with a warning', async (t) => {
  // @architect/functions signs DynamoDB ids with ARC_APP_NAME when ARC_APP_SECRET is unset.
  const ddb = loadConfig({ ARC_ENV: 'production', ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: STRONG, ARC_APP_SECRET_PREVIOUS: 'my-app-name' })
  t.strictSame(ddb.signingSecrets, [STRONG, 'my-app-name'])
  t.equal(ddb.warnings.length, 1)
  t.match(ddb.warnings[0], /ARC_APP_SECRET_PREVIOUS/)
  t.notMatch(ddb.warnings[0], /my-app-name/, 'the warning does not print the secret')
  // The reference accepts a 16-character secret for A128GCM.
  const a128 = loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET_ALGO: 'A128GCM', ARC_APP_SECRET: STRONG, ARC_APP_SECRET_PREVIOUS: 'abcdefghijklmnop' })
  t.equal(a128.jweKeys.length, 2)
  // One that cannot make a JWE key at all is still an error in JWE mode.
  t.equal(configError({ ARC_ENV: 'production', ARC_APP_SECRET: STRONG, ARC_APP_SECRET_PREVIOUS: 'weak' }).variable, 'ARC_APP_SECRET_PREVIOUS')
})

t.test('testing without a secret: the development key, with one warning', async (t) => {
  const config = loadConfig({ ARC_ENV: 'testing' })
  t.equal(config.jweKeys.length, 1)
  t.equal(config.warnings.length, 1)
  t.match(config.warnings[0], /ARC_APP_SECRET/)
  t.strictSame(config.signingSecrets, ['fallback'])
  t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_APP_NAME: 'my-app' }).signingSecrets, ['my-app'])
})

t.test('secrets: too short for the algorithm is an error in JWE mode, as in the reference', async (t) => {
  t.equal(configError({ ARC_ENV: 'testing', ARC_APP_SECRET: 'too-short' }).variable, 'ARC_APP_SECRET')
  t.equal(configError({ ARC_ENV: 'testing', ARC_APP_SECRET: 'abcdefghijklmno', ARC_APP_SECRET_ALGO: 'A128GCM' }).variable, 'ARC_APP_SECRET')
  t.equal(configError({ ARC_ENV: 'testing', ARC_FORCE_LEGACY_JWE_SECRET: '1', ARC_APP_SECRET: 'abc' }).variable, 'ARC_APP_SECRET')
  // In DynamoDB mode the secret only signs ids, so a short one is fine under testing.
  t.equal(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: 'short' }).jweKeys.length, 0)
})

t.test('rotation: previous secrets follow the current one', async (t) => {
  const config = loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET: STRONG, ARC_APP_SECRET_PREVIOUS: ` ${'a'.repeat(32)} ,${'b'.repeat(40)},` })
  t.equal(config.jweKeys.length, 3)
  t.strictSame(config.signingSecrets, [STRONG, 'a'.repeat(32), 'b'.repeat(40)])
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
      { maxAge: 60, domain: '.example.org', sameSite: 'None', secure: false },
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

t.test('B12: ARC_SESSION_TTL is the lifetime the stores enforce, and the cookie Max-Age', async (t) => {
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
