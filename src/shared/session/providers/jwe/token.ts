/**
 * Compact JWE (RFC 7516) with direct AES-GCM encryption, the one form @architect/functions writes:
 *   b64url(header) . "" . b64url(iv, 12 bytes) . b64url(ciphertext) . b64url(tag, 16 bytes)
 * with header exactly {"alg":"dir","enc":"A256GCM"} (or A192GCM / A128GCM) and AAD = the ASCII
 * bytes of the header segment (RFC 7516 §5.1 step 14).
 *
 * Everything that can be prepared once per key (the header segment, the AAD, the cipher name) is
 * prepared in makeJweKey, so a seal or an open does only the AES work plus base64url.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto'
import { KEY_BYTES } from '../../core/secrets'

export const JWE_ENCS = ['A256GCM', 'A192GCM', 'A128GCM'] as const
export type JweEnc = (typeof JWE_ENCS)[number]

/** Key length in bytes for each content encryption algorithm (RFC 7518 §5.3); the secret rule judges keys of these lengths. */
export const JWE_KEY_BYTES: Readonly<Record<JweEnc, number>> = KEY_BYTES

const CIPHER: Readonly<Record<JweEnc, 'aes-256-gcm' | 'aes-192-gcm' | 'aes-128-gcm'>> = {
  A256GCM: 'aes-256-gcm',
  A192GCM: 'aes-192-gcm',
  A128GCM: 'aes-128-gcm',
}
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * IVs come from the CSPRNG in bulk: one randomFillSync per 512 IVs instead of a randomBytes call
 * per token, which was the largest single cost of a write. Each 12-byte slice is used once; the
 * cipher copies it before the pool can be refilled (everything here is synchronous).
 */
const ivPool = Buffer.alloc(IV_BYTES * 512)
let ivOffset = ivPool.length

function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool)
    ivOffset = 0
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES)
  ivOffset += IV_BYTES
  return iv
}

/** GCM is a stream mode, so final() adds no bytes; skip the concat when it adds none. */
function join(head: Buffer, tail: Buffer): Buffer {
  return tail.length === 0 ? head : Buffer.concat([head, tail])
}

export interface JweKey {
  readonly enc: JweEnc
  readonly key: Buffer
  /** The protected header segment; also the AAD. */
  readonly header: string
  readonly aad: Buffer
}

export function makeJweKey(enc: JweEnc, key: Buffer): JweKey {
  if (key.length !== JWE_KEY_BYTES[enc]) {
    throw new RangeError(`${enc} needs a ${JWE_KEY_BYTES[enc]}-byte key, got ${key.length}`)
  }
  const header = Buffer.from(JSON.stringify({ alg: 'dir', enc })).toString('base64url')
  return { enc, key, header, aad: Buffer.from(header, 'ascii') }
}

/** Encrypts a UTF-8 plaintext into a compact JWE token. */
export function seal(plaintext: string, jweKey: JweKey): string {
  const iv = nextIv()
  const cipher = createCipheriv(CIPHER[jweKey.enc], jweKey.key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(jweKey.aad)
  const ciphertext = join(cipher.update(plaintext, 'utf8'), cipher.final())
  const tag = cipher.getAuthTag()
  return `${jweKey.header}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`
}

export type OpenResult =
  | { readonly ok: true; readonly plaintext: string; readonly key: JweKey }
  /** malformed: not a compact JWE of our form; unsupported: another alg/enc or a key we do not hold; invalid: authentication failed. */
  | { readonly ok: false; readonly reason: 'malformed' | 'unsupported' | 'invalid' }

/**
 * Decrypts a token with the first of `keys` whose header matches it. Never throws.
 * Strict acceptance: the header segment must be byte-for-byte one we would write ourselves,
 * so `alg: none`, JWS tokens, key wrapping and CBC encodings are all refused before any crypto.
 */
export function open(token: string, keys: readonly JweKey[]): OpenResult {
  const parts = token.split('.')
  if (parts.length !== 5 || parts[1] !== '') return { ok: false, reason: 'malformed' }
  const [header, , ivPart, ctPart, tagPart] = parts as [string, string, string, string, string]
  const iv = canonicalBase64url(ivPart)
  const tag = canonicalBase64url(tagPart)
  const ciphertext = canonicalBase64url(ctPart)
  if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return { ok: false, reason: 'malformed' }

  let matched = false
  for (const jweKey of keys) {
    if (jweKey.header !== header) continue
    matched = true
    try {
      const decipher = createDecipheriv(CIPHER[jweKey.enc], jweKey.key, iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(jweKey.aad)
      decipher.setAuthTag(tag)
      const plaintext = join(decipher.update(ciphertext), decipher.final()).toString('utf8')
      return { ok: true, plaintext, key: jweKey }
    } catch {
      // Authentication failed with this key: try the next one (secret rotation).
    }
  }
  return { ok: false, reason: matched ? 'invalid' : 'unsupported' }
}

/**
 * Decodes base64url only in its one canonical spelling (RFC 4648 §3.5: unpadded, unused bits
 * zero), the one we and the reference write. Node's decoder skips stray characters and ignores
 * the unused bits, so without this check one token would have many spellings that all open; a
 * character-class test would miss the unused bits. Re-encoding is also cheaper than such a scan
 * on a long ciphertext (about 1 µs for 3 KB on this machine).
 */
function canonicalBase64url(segment: string): Buffer | undefined {
  const bytes = Buffer.from(segment, 'base64url')
  return bytes.toString('base64url') === segment ? bytes : undefined
}
