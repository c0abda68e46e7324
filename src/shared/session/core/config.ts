/**
 * Session configuration, read from the environment the way Architect configures sessions
 * (docs/sessions.md#configuration), validated once per process. Every mistake is a
 * SessionConfigError that names the variable and the fix. Which keys the secrets make, and the
 * rule they must pass, are apart: ./secret-keys.ts and ./secrets.ts.
 */
import { SessionConfigError } from './errors'
import { isTesting, nonEmpty, processEnv, type Env } from './env'
import { JWE_ENCS, type JweEnc, type JweKey } from '../providers/jwe/token'
import { DEFAULT_TTL_SECONDS, MIN_TTL_SECONDS, sessionLifetime, type SessionLifetime } from './lifetime'
import { secretKeys } from './secret-keys'
import { publicSuffixProblem } from '../cookie/domain'

export type SameSite = 'Lax' | 'Strict' | 'None'

export interface CookieSettings {
  readonly maxAge: number
  readonly domain: string | undefined
  readonly sameSite: SameSite
  readonly secure: boolean
}

export type StoreSettings = { readonly kind: 'jwe' } | { readonly kind: 'dynamodb'; readonly table: string }

export interface SessionConfig {
  readonly store: StoreSettings
  /** Current key first (it writes), then every key that still reads. Empty when no key can be made (DynamoDB mode with a short secret). */
  readonly jweKeys: readonly JweKey[]
  /** HMAC secrets for signed DynamoDB session ids: current first, then those that only verify. */
  readonly signingSecrets: readonly string[]
  /** ARC_SESSION_TTL and ARC_SESSION_ABSOLUTE_TTL: how long a session lives, enforced by the stores. */
  readonly lifetime: SessionLifetime
  readonly cookie: CookieSettings
  /** Things worth one log line at start-up (a development key or a weak secret under ARC_ENV=testing). */
  readonly warnings: readonly string[]
}

/**
 * The reference's cookie Max-Age when ARC_SESSION_TTL is unset: 25 years, in seconds. Browsers cap
 * it at 400 days (RFC 6265bis); the server ends the session a week after its last use all the same.
 */
const DEFAULT_COOKIE_MAX_AGE = 788_400_000

export function loadConfig(env: Env = processEnv()): SessionConfig {
  const testing = isTesting(env)
  const store = storeSettings(env)
  const keys = secretKeys({
    current: nonEmpty(env['ARC_APP_SECRET']),
    previous: (env['ARC_APP_SECRET_PREVIOUS'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    enc: jweEnc(env),
    legacy: nonEmpty(env['ARC_FORCE_LEGACY_JWE_SECRET']) !== undefined,
    mode: store.kind,
    arcEnv: env['ARC_ENV'],
    testing,
    sandbox: env['ARC_SANDBOX'] !== undefined,
    appName: nonEmpty(env['ARC_APP_NAME']),
  })
  const ttl = sessionTtl(env)
  return {
    store,
    jweKeys: keys.jweKeys,
    signingSecrets: keys.signingSecrets,
    lifetime: sessionLifetime(ttl ?? DEFAULT_TTL_SECONDS, absoluteTtl(env, ttl ?? DEFAULT_TTL_SECONDS)),
    cookie: cookieSettings(env, testing, ttl),
    // Under `arc sandbox` every request is a new process: the app's Architect plugin
    // (../arc/plugin.js) says these once per start instead of once per request.
    warnings: env['ARC_SANDBOX'] ? [] : keys.notices,
  }
}

function storeSettings(env: Env): StoreSettings {
  const current = nonEmpty(env['ARC_SESSION_TABLE_NAME'])
  const legacy = nonEmpty(env['SESSION_TABLE_NAME'])
  // As in the reference, `jwe` in either variable selects cookie sessions.
  if (current === 'jwe' || legacy === 'jwe') return { kind: 'jwe' }
  const table = current ?? legacy
  if (!table) return { kind: 'jwe' }
  // DynamoDB table names: 3-255 of [A-Za-z0-9_.-].
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new SessionConfigError(
      current ? 'ARC_SESSION_TABLE_NAME' : 'SESSION_TABLE_NAME',
      `'${table}' is neither 'jwe' nor a DynamoDB table name; use 'jwe' or the @tables name, e.g. 'sessions'`,
    )
  }
  return { kind: 'dynamodb', table }
}

function jweEnc(env: Env): JweEnc {
  const value = nonEmpty(env['ARC_APP_SECRET_ALGO']) ?? 'A256GCM'
  if (!(JWE_ENCS as readonly string[]).includes(value)) {
    throw new SessionConfigError('ARC_APP_SECRET_ALGO', `'${value}' is not supported; use one of ${JWE_ENCS.join(', ')}`)
  }
  return value as JweEnc
}

/**
 * ARC_SESSION_TTL (legacy SESSION_TTL) in seconds, or undefined when unset. As the reference reads
 * them (`ARC_SESSION_TTL || SESSION_TTL`), an empty new name falls back to the legacy one.
 */
function sessionTtl(env: Env): number | undefined {
  const name = nonEmpty(env['ARC_SESSION_TTL']) !== undefined ? 'ARC_SESSION_TTL' : 'SESSION_TTL'
  const value = nonEmpty(env[name])
  if (value === undefined) return undefined
  // Whole seconds, as the reference takes them; from MIN_TTL_SECONDS up (lifetime.ts says why).
  if (!/^\d{1,10}$/.test(value) || Number(value) < MIN_TTL_SECONDS) {
    throw new SessionConfigError(
      name,
      `'${value}' is not a whole number of seconds from ${MIN_TTL_SECONDS} up; e.g. 86400 to end a session after a day of inactivity`,
    )
  }
  return Number(value)
}

/**
 * ARC_SESSION_ABSOLUTE_TTL in whole seconds: the most a session lives from when it began. Unset:
 * 30 days, or N when N is longer (core/lifetime.ts says why). Below N it could never matter that a
 * session is used, so that is a mistake.
 */
function absoluteTtl(env: Env, ttl: number): number | undefined {
  const value = nonEmpty(env['ARC_SESSION_ABSOLUTE_TTL'])
  if (value === undefined) return undefined
  if (!/^\d{1,10}$/.test(value) || Number(value) < ttl) {
    throw new SessionConfigError(
      'ARC_SESSION_ABSOLUTE_TTL',
      `'${value}' is not a whole number of seconds from ARC_SESSION_TTL (${ttl}) up; e.g. 2592000 to end every session 30 days after it began`,
    )
  }
  return Number(value)
}

const SAME_SITE: ReadonlyMap<string, SameSite> = new Map([
  ['lax', 'Lax'],
  ['strict', 'Strict'],
  ['none', 'None'],
])

/** `ttl`: ARC_SESSION_TTL, which is the cookie's Max-Age too when set. */
function cookieSettings(env: Env, testing: boolean, ttl: number | undefined): CookieSettings {
  const domainName = nonEmpty(env['ARC_SESSION_DOMAIN']) !== undefined ? 'ARC_SESSION_DOMAIN' : 'SESSION_DOMAIN'
  const domain = nonEmpty(env[domainName])
  // RFC 6265 §4.1.1 domain-value: letters, digits, hyphens and dots (a leading dot is tolerated).
  if (domain !== undefined && !/^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(domain)) {
    throw new SessionConfigError(domainName, `'${domain}' is not a domain name; e.g. example.com, or leave it unset`)
  }
  const suffix = domain === undefined ? undefined : publicSuffixProblem(domain)
  if (suffix) throw new SessionConfigError(domainName, `${suffix}, so the cookie would never be kept; name your own domain (example.com) or leave it unset`)

  const sameSiteValue = (nonEmpty(env['ARC_SESSION_SAME_SITE']) ?? 'lax').toLowerCase()
  // A Map, not an object: `constructor` or `__proto__` must not find anything.
  const sameSite = SAME_SITE.get(sameSiteValue)
  if (!sameSite) {
    throw new SessionConfigError('ARC_SESSION_SAME_SITE', `'${sameSiteValue}' is not one of lax, strict, none`)
  }
  // Browsers drop a SameSite=None cookie that is not Secure (RFC 6265bis §5.6.7), and keep Secure
  // cookies from http://localhost: under the Sandbox too, None goes with Secure.
  return { maxAge: ttl ?? DEFAULT_COOKIE_MAX_AGE, domain, sameSite, secure: !testing || sameSite === 'None' }
}

let cached: { config: SessionConfig } | { error: SessionConfigError } | undefined

/**
 * The process's configuration, read and checked on first use. A configuration error is kept too,
 * so every request of a misconfigured function fails the same way without re-reading.
 */
export function getConfig(): SessionConfig {
  if (!cached) {
    try {
      cached = { config: loadConfig(processEnv()) }
    } catch (error) {
      if (!(error instanceof SessionConfigError)) throw error
      cached = { error }
    }
  }
  if ('error' in cached) throw cached.error
  return cached.config
}

/** Forget the cached configuration (tests change the environment between cases). */
export function resetConfig(): void {
  cached = undefined
}
