/**
 * How @architect/functions 8.x turns ARC_APP_SECRET into key material, reproduced so that cookies
 * written by either side open on the other (shared/sessions-contract.md A1, A3, A4).
 */
import { JWE_KEY_BYTES, makeJweKey, type JweEnc, type JweKey } from './token'

/** The reference's development keys, used only under ARC_ENV=testing without a secret. */
const DEVELOPMENT_SECRET: Readonly<Record<JweEnc, string>> = {
  A256GCM: '12345678901234567890123456789012',
  A192GCM: '123456789012345678901234',
  A128GCM: '1234567890123456',
}

/** The reference's signing fallback when neither ARC_APP_SECRET nor ARC_APP_NAME is set. */
export const DEVELOPMENT_SIGNING_SECRET = 'fallback'

export type KeyResult = { ok: true; key: JweKey } | { ok: false; problem: string }

/**
 * The AES key is the UTF-8 bytes of the secret's first 16 / 24 / 32 characters.
 * A secret with fewer characters than that is refused, as the reference refuses it.
 */
export function jweKeyFromSecret(secret: string, enc: JweEnc): KeyResult {
  const length = JWE_KEY_BYTES[enc]
  if (secret.length < length) {
    return { ok: false, problem: `${enc} needs a secret of at least ${length} characters, this one has ${secret.length}` }
  }
  // The reference truncates by characters, then its JWE library takes the first `length` bytes.
  const bytes = Buffer.from(secret.substring(0, length), 'utf8').subarray(0, length)
  return { ok: true, key: makeJweKey(enc, bytes) }
}

/**
 * ARC_FORCE_LEGACY_JWE_SECRET: A128GCM keyed by the first 16 bytes of base64-decoding the secret,
 * with Node's lenient decoder, exactly as pre-7 tokens were made.
 */
export function legacyJweKeyFromSecret(secret: string): KeyResult {
  const bytes = Buffer.from(secret, 'base64')
  if (bytes.length < 16) {
    return { ok: false, problem: `legacy mode needs a base64 secret of at least 16 bytes, this one decodes to ${bytes.length}` }
  }
  return { ok: true, key: makeJweKey('A128GCM', bytes.subarray(0, 16)) }
}

export function developmentJweKey(enc: JweEnc, legacy: boolean): JweKey {
  return makeJweKey(legacy ? 'A128GCM' : enc, Buffer.from(DEVELOPMENT_SECRET[legacy ? 'A128GCM' : enc], 'utf8'))
}
