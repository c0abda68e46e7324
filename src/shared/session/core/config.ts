/**
 * Session configuration, read from the environment the way Architect configures sessions
 * (shared/sessions-contract.md A1), validated once per process. Every mistake is a
 * SessionConfigError that names the variable and the fix.
 */
import { SessionConfigError } from './errors'
import { JWE_ENCS, type JweEnc, type JweKey } from '../providers/jwe/token'
import { DEFAULT_TTL_SECONDS, MIN_TTL_SECONDS, sessionLifetime, type SessionLifetime } from './lifetime'
import {
  DEVELOPMENT_SIGNING_SECRET,
  developmentJweKey,
  jweKeyFromSecret,
  legacyJweKeyFromSecret,
  type KeyResult,
} from '../providers/jwe/keys'

export type SameSite = 'Lax' | 'Strict' | 'None'

export interface CookieSettings {
  readonly maxAge: number
  readonly domain: string | undefined
  readonly sameSite: SameSite
  readonly secure: boolean
}

export type StoreSettings = { readonly kind: 'jwe' } | { readonly kind: 'dynamodb'; readonly table: string }

export interface SessionConfig {
  /** ARC_ENV: `testing` in Sandbox, `staging` or `production` when deployed. */
  readonly env: string
  readonly testing: boolean
  readonly appName: string | undefined
  readonly store: StoreSettings
  /** Current key first, then previous ones (read only). Empty when no key can be made (DynamoDB mode with a short secret). */
  readonly jweKeys: readonly JweKey[]
  /** HMAC secrets for signed DynamoDB session ids: current first, then previous ones. */
  readonly signingSecrets: readonly string[]
  /** ARC_SESSION_TTL: how long an unused session lives, enforced by the stores (contract B12). */
  readonly lifetime: SessionLifetime
  readonly cookie: CookieSettings
  /** Things worth one log line at start-up (a development key in use). */
  readonly warnings: readonly string[]
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * The reference's cookie Max-Age when ARC_SESSION_TTL is unset: 25 years, in seconds. Browsers cap
 * it at 400 days (RFC 6265bis); the server ends the session a week after its last use all the same.
 */
const DEFAULT_COOKIE_MAX_AGE = 788_400_000
/** Outside Sandbox a secret must be at least this long: `openssl rand -base64 32` gives 44 characters. */
export const MIN_DEPLOYED_SECRET_CHARS = 32

const SET_SECRET_FIX =
  'set a strong secret with `npx arc env -e <staging|production> -a ARC_APP_SECRET "$(openssl rand -base64 32)"`'

/** The fix to name: `arc env` configures a deployed app; a Sandbox run as staging or production reads prefs.arc or the shell. */
function setSecretFix(env: Env): string {
  if (!env['ARC_SANDBOX']) return SET_SECRET_FIX
  const arcEnv = env['ARC_ENV'] ?? 'testing'
  return `${SET_SECRET_FIX} when deployed; under the Sandbox (ARC_ENV=${arcEnv}) put it in prefs.arc's @env ${arcEnv} block, or export it in the shell`
}

export function loadConfig(env: Env = process.env): SessionConfig {
  const arcEnv = env['ARC_ENV'] ?? ''
  const testing = arcEnv === 'testing'
  const warnings: string[] = []
  const secretFix = setSecretFix(env)

  const store = storeSettings(env)
  const secret = nonEmpty(env['ARC_APP_SECRET'])
  const previous = (env['ARC_APP_SECRET_PREVIOUS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

  if (!testing) {
    // Contract B1: no default key outside Sandbox.
    if (!secret) {
      throw new SessionConfigError('ARC_APP_SECRET', `is not set and ARC_ENV is '${arcEnv || '(unset)'}'; ${secretFix}`)
    }
    if (secret.length < MIN_DEPLOYED_SECRET_CHARS) {
      throw new SessionConfigError(
        'ARC_APP_SECRET',
        `is ${secret.length} characters; outside Sandbox it must be at least ${MIN_DEPLOYED_SECRET_CHARS}; ${secretFix}`,
      )
    }
    // Previous secrets only read, never write: a weak one (say, the ARC_APP_NAME that
    // @architect/functions signed with, or a 16-character A128GCM secret) must still be accepted so
    // that moving to a strong secret signs no one out. It is worth a warning, not a refusal.
    if (previous.some((p) => p.length < MIN_DEPLOYED_SECRET_CHARS)) {
      warnings.push(
        `ARC_APP_SECRET_PREVIOUS holds a secret under ${MIN_DEPLOYED_SECRET_CHARS} characters: sessions made with it are still accepted; remove it once they have moved to ARC_APP_SECRET`,
      )
    }
  }

  const enc = jweEnc(env)
  const legacy = nonEmpty(env['ARC_FORCE_LEGACY_JWE_SECRET']) !== undefined
  const jweKeys: JweKey[] = []
  if (secret) {
    const derive = (s: string): KeyResult => (legacy ? legacyJweKeyFromSecret(s) : jweKeyFromSecret(s, enc))
    for (const [name, value] of [['ARC_APP_SECRET', secret], ...previous.map((p) => ['ARC_APP_SECRET_PREVIOUS', p])] as const) {
      const result = derive(value)
      if (result.ok) jweKeys.push(result.key)
      // In DynamoDB mode the secret only signs ids; JWE keys matter only to carry old cookies over.
      else if (store.kind === 'jwe') throw new SessionConfigError(name, `${result.problem}; ${secretFix}`)
    }
  } else {
    jweKeys.push(developmentJweKey(enc, legacy))
    // Under `arc sandbox` every request is a new process: the app's Sandbox plugin
    // (src/shared/session/arc/plugin.js) says this once per start instead of once per request.
    if (!env['ARC_SANDBOX']) {
      warnings.push('ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing')
    }
  }

  const appName = nonEmpty(env['ARC_APP_NAME'])
  // The reference signs ids with ARC_APP_SECRET || ARC_APP_NAME || 'fallback' (contract A4).
  const signingSecrets = secret ? [secret, ...previous] : [appName ?? DEVELOPMENT_SIGNING_SECRET]

  const ttl = sessionTtl(env)
  return {
    env: arcEnv,
    testing,
    appName,
    store,
    jweKeys,
    signingSecrets,
    lifetime: sessionLifetime(ttl ?? DEFAULT_TTL_SECONDS),
    cookie: cookieSettings(env, testing, ttl),
    warnings,
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

const SAME_SITE = new Map<string, SameSite>([
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

  const sameSiteValue = (nonEmpty(env['ARC_SESSION_SAME_SITE']) ?? 'lax').toLowerCase()
  // A Map, not an object literal: `constructor` or `__proto__` would find Object.prototype's.
  const sameSite = SAME_SITE.get(sameSiteValue)
  if (sameSite === undefined) {
    throw new SessionConfigError('ARC_SESSION_SAME_SITE', `'${sameSiteValue}' is not one of lax, strict, none`)
  }
  return { maxAge: ttl ?? DEFAULT_COOKIE_MAX_AGE, domain, sameSite, secure: !testing }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

let cached: { config: SessionConfig } | { error: SessionConfigError } | undefined

/**
 * The process's configuration, read and checked on first use. A configuration error is kept too,
 * so every request of a misconfigured function fails the same way without re-reading.
 */
export function getConfig(): SessionConfig {
  if (!cached) {
    try {
      cached = { config: loadConfig(process.env) }
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
