/**
 * Secrets into JWE keys, the way @architect/functions 8.x turns ARC_APP_SECRET into key material
 * (shared with the secret rule, ../../core/secrets.ts, which judges those very bytes), so that
 * cookies written by either side open on the other.
 */
import { keyMaterial, type KeyUse } from '../../core/secrets'
import { JWE_ENCS, makeJweKey, type JweEnc, type JweKey } from './token'

/** The reference's development keys, used only under ARC_ENV=testing without a secret. */
const DEVELOPMENT_SECRET: Readonly<Record<JweEnc, string>> = {
  A256GCM: '12345678901234567890123456789012',
  A192GCM: '123456789012345678901234',
  A128GCM: '1234567890123456',
}

/** The reference's signing fallback when neither ARC_APP_SECRET nor ARC_APP_NAME is set. */
export const DEVELOPMENT_SIGNING_SECRET = 'fallback'

export type KeyResult = { ok: true; key: JweKey } | { ok: false; problem: string }

/** The ways a secret becomes a JWE key. */
export type JweKeyUse = Exclude<KeyUse, { kind: 'signing' }>

/** How a key for `enc` (or for legacy mode) is made from a secret. */
export function jweKeyUse(enc: JweEnc, legacy: boolean): JweKeyUse {
  return legacy ? { kind: 'legacy-jwe' } : { kind: 'jwe', enc }
}

/** The key a secret makes for `use`; a secret too short for it makes none. */
export function jweKeyFor(secret: string, use: JweKeyUse): KeyResult {
  const material = keyMaterial(secret, use)
  if (!material.ok) return { ok: false, problem: material.why }
  return { ok: true, key: makeJweKey(use.kind === 'jwe' ? use.enc : 'A128GCM', material.bytes) }
}

/** The AES key is the UTF-8 bytes of the secret's first 16 / 24 / 32 characters. */
export function jweKeyFromSecret(secret: string, enc: JweEnc): KeyResult {
  return jweKeyFor(secret, { kind: 'jwe', enc })
}

/** ARC_FORCE_LEGACY_JWE_SECRET: A128GCM keyed by the first 16 bytes of the secret base64-decoded, as pre-7 tokens were made. */
export function legacyJweKeyFromSecret(secret: string): KeyResult {
  return jweKeyFor(secret, { kind: 'legacy-jwe' })
}

/**
 * Every way a previous secret may have made keys: each supported `enc`, so that a rotation can
 * change the algorithm in the same deploy (docs/sessions.md#rotating-it). In legacy mode tokens were
 * only ever A128GCM from the decoded secret.
 */
export function everyKeyUse(legacy: boolean): JweKeyUse[] {
  return legacy ? [{ kind: 'legacy-jwe' }] : JWE_ENCS.map((enc) => ({ kind: 'jwe', enc }) as const)
}

export function developmentJweKey(enc: JweEnc, legacy: boolean): JweKey {
  return makeJweKey(legacy ? 'A128GCM' : enc, Buffer.from(DEVELOPMENT_SECRET[legacy ? 'A128GCM' : enc], 'utf8'))
}
