/**
 * Signed session ids for DynamoDB mode, in the format of the `cookie-signature` package that
 * @architect/functions uses (docs/guarantees.md#g-compat-dynamodb): `id + "." + base64(HMAC-SHA256(secret, id))` without
 * `=` padding and without an `s:` prefix. The cookie carries it percent-encoded.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Longer ids are not ours (we write 24 characters); refusing them bounds the HMAC work. */
const MAX_ID_LENGTH = 256
const LONE_SURROGATE = /\p{Cs}/u

export type VerifiedId = { readonly ok: true; readonly id: string; readonly secretIndex: number } | { readonly ok: false; readonly reason: 'malformed' | 'invalid' }

function signature(id: string, secret: string): string {
  return createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')
}

export function signId(id: string, secret: string): string {
  return `${id}.${signature(id, secret)}`
}

/**
 * Checks a signed id against each secret (current first, then previous ones), comparing in
 * constant time. `secretIndex` says which secret matched, so a caller can re-sign with the current one.
 * Never throws.
 */
export function verifySignedId(value: string, secrets: readonly string[]): VerifiedId {
  const dot = value.lastIndexOf('.')
  if (dot <= 0 || dot > MAX_ID_LENGTH || dot === value.length - 1) return { ok: false, reason: 'malformed' }
  const id = value.slice(0, dot)
  // A lone surrogate becomes U+FFFD in the HMAC's UTF-8 input, so two such ids would share one
  // signature. Issued ids are base64url (uid-safe in the reference), so no real id has one.
  if (LONE_SURROGATE.test(id)) return { ok: false, reason: 'malformed' }
  const given = Buffer.from(value.slice(dot + 1), 'utf8')
  for (const [secretIndex, secret] of secrets.entries()) {
    const expected = Buffer.from(signature(id, secret), 'utf8')
    // timingSafeEqual needs equal lengths; a length mismatch says nothing about the secret.
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true, id, secretIndex }
  }
  return { ok: false, reason: 'invalid' }
}
