/**
 * The one rule for secrets (docs/sessions.md#the-secret): a secret is judged on the bytes that
 * become a key, the way @architect/functions turns it into one, for each use. Outside the Sandbox
 * a key must be long enough for its algorithm, not a public value (the development keys, anything
 * printed in this repository's docs, vectors or benchmarks, the app name), not a repeated
 * character or an obvious sequence, and varied enough to plausibly come from a generator.
 * `openssl rand -base64 32` and `openssl rand -hex 32` pass with a margin measured in
 * test/unit/secret-rule.test.ts.
 *
 * Pure, and importing nothing of the core: the app's Architect plugin (../arc/plugin.js) bundles
 * this one file at Sandbox start to judge the Sandbox's secrets for its notice.
 */
import publicSecrets from './public-secrets.json'

/** RFC 7518 §5.3: the key length of each content encryption algorithm, in bytes. */
export const KEY_BYTES = { A256GCM: 32, A192GCM: 24, A128GCM: 16 } as const
export type KeyAlgorithm = keyof typeof KEY_BYTES

/** How a secret becomes a key: each use the core has for one. */
export type KeyUse =
  /** JWE: the UTF-8 bytes of the secret's first 16 / 24 / 32 characters, then that many bytes. */
  | { readonly kind: 'jwe'; readonly enc: KeyAlgorithm }
  /** ARC_FORCE_LEGACY_JWE_SECRET: the first 16 bytes of the secret base64-decoded, leniently, as Node does. */
  | { readonly kind: 'legacy-jwe' }
  /** DynamoDB mode: the whole secret is the HMAC key that signs session ids. */
  | { readonly kind: 'signing' }

/** A signing secret shorter than this is refused: as long as the longest JWE key. */
const MIN_SIGNING_BYTES = 32

export type SecretVerdict = { readonly strong: true } | { readonly strong: false; readonly why: string }

export interface SecretContext {
  /** ARC_APP_NAME: public (it is in every URL of the stack's resources). */
  readonly appName?: string | undefined
}

/**
 * The bytes that become the key, or a reason there are none: too short for the use. Exactly what
 * @architect/functions does with the secret (shared by providers/jwe/keys.ts, which makes the keys).
 */
export function keyMaterial(secret: string, use: KeyUse): { ok: true; bytes: Buffer } | { ok: false; why: string } {
  switch (use.kind) {
    case 'jwe': {
      const length = KEY_BYTES[use.enc]
      if (secret.length < length) return { ok: false, why: `is ${secret.length} characters; ${use.enc} needs at least ${length}` }
      // The reference truncates by characters, then its JWE library takes the first `length` bytes.
      return { ok: true, bytes: Buffer.from(secret.substring(0, length), 'utf8').subarray(0, length) }
    }
    case 'legacy-jwe': {
      const bytes = Buffer.from(secret, 'base64')
      if (bytes.length < 16) return { ok: false, why: `decodes from base64 to ${bytes.length} bytes; legacy mode needs at least 16` }
      return { ok: true, bytes: bytes.subarray(0, 16) }
    }
    case 'signing':
      return { ok: true, bytes: Buffer.from(secret, 'utf8') }
  }
}

/** Whether a secret is good enough to make a key for `use` outside the Sandbox. Never mentions the secret itself. */
export function judgeSecret(secret: string, use: KeyUse, context: SecretContext = {}): SecretVerdict {
  const material = keyMaterial(secret, use)
  if (!material.ok) return { strong: false, why: material.why }
  const key = material.bytes
  if (use.kind === 'signing' && key.length < MIN_SIGNING_BYTES) {
    return { strong: false, why: `is ${key.length} bytes; a signing secret needs at least ${MIN_SIGNING_BYTES}` }
  }
  const publicValue = matchesPublicValue(secret, key, use, context)
  if (publicValue) return { strong: false, why: publicValue }
  const variety = judgeVariety(key)
  // Legacy keys are decoded bytes, in which a pattern typed in base64 no longer shows: the text is judged too.
  return variety.strong && use.kind === 'legacy-jwe' ? judgeVariety(Buffer.from(secret.slice(0, 24), 'latin1')) : variety
}

/**
 * The public values a key must not be made from, in the secret's own form: compared by the key
 * they make (so a public value followed by anything random is still caught when only its start
 * becomes the key) and, for the longer ones, found anywhere in the key's text.
 */
function matchesPublicValue(secret: string, key: Buffer, use: KeyUse, { appName }: SecretContext): string | undefined {
  const known: [string, string][] = publicSecrets.values.map((value) => [value, 'a public value (a development key, or printed in the docs or test vectors)'])
  if (appName) known.push([appName, 'the app name (ARC_APP_NAME), which is public'])
  const keyText = use.kind === 'legacy-jwe' ? secret.slice(0, 24) : key.toString('latin1')
  for (const [value, what] of known) {
    const made = keyMaterial(value, use)
    if (made.ok && made.bytes.equals(key.subarray(0, made.bytes.length)) && made.bytes.length >= Math.min(key.length, 8)) {
      return `is made from ${what}`
    }
    // Shorter ones would also turn up in random text now and then; 'fallback' and app names do not.
    if (value.length >= 8 && keyText.toLowerCase().includes(value.toLowerCase())) return `contains ${what}`
  }
  for (const word of HAND_MADE_MARKERS) {
    if (keyText.toLowerCase().includes(word)) return `contains the word '${word}': it was written by hand, not generated`
  }
  return undefined
}

/**
 * Words that only a person puts in a secret. Six letters or more, not all of them a-f: a random
 * base64 key holds a given one, in any case, about once in 40 million keys, and a hex key never.
 */
const HAND_MADE_MARKERS = ['secret', 'password', 'passwd', 'changeme', 'example', 'sample', 'default', 'qwerty', 'letmein']

/**
 * What a generator's output looks like, measured on the key's bytes:
 * - distinct symbols: 32 characters of base64 have about 25 different ones, of hex about 14;
 *   one repeated character has 1;
 * - fresh symbols: those that neither repeat the previous one, nor continue a run with the same
 *   small step (0123, aceg, zyx), nor repeat the pattern of the last 2 to 4 (abab, abcabc);
 * - an estimate of its bits: fresh symbols × log2 of the alphabet its character classes span.
 * The bars are a quarter of the key's length in distinct symbols, half of it in fresh ones,
 * and 2 bits per key byte (64 for a 32-byte key, 32 for 16): far below what any generator gives
 * (hex gives 4 bits a character), far above what a person's patterns give.
 */
function judgeVariety(key: Buffer): SecretVerdict {
  const length = Math.min(key.length, 32)
  const distinct = new Set(key).size
  if (distinct === 1) return { strong: false, why: 'is one character repeated' }
  const fresh = freshSymbols(key)
  if (fresh < Math.ceil(length / 2)) return { strong: false, why: 'is an obvious sequence or pattern, not generated' }
  if (distinct < Math.ceil(length / 4)) return { strong: false, why: 'has too few distinct characters to come from a generator' }
  if (fresh * Math.log2(alphabetSize(key)) < length * 2) return { strong: false, why: 'is too predictable to come from a generator' }
  return { strong: true }
}

function freshSymbols(key: Buffer): number {
  let fresh = 0
  for (let i = 0; i < key.length; i++) {
    // readUInt8 within bounds: a number, never undefined.
    const c = key.readUInt8(i)
    if (i >= 1 && c === key.readUInt8(i - 1)) continue
    if (i >= 2) {
      const step = c - key.readUInt8(i - 1)
      if (step === key.readUInt8(i - 1) - key.readUInt8(i - 2) && Math.abs(step) <= 2) continue
    }
    let repeatsPattern = false
    for (let period = 2; period <= 4 && !repeatsPattern; period++) {
      repeatsPattern = i >= period + 1 && c === key[i - period] && key[i - 1] === key[i - 1 - period]
    }
    if (!repeatsPattern) fresh++
  }
  return fresh
}

/** The size of the alphabet that the key's character classes span (any byte outside ASCII: all 256). */
function alphabetSize(key: Buffer): number {
  let digits = false
  let lower = false
  let upper = false
  let other = false
  for (const c of key) {
    if (c >= 0x30 && c <= 0x39) digits = true
    else if (c >= 0x61 && c <= 0x7a) lower = true
    else if (c >= 0x41 && c <= 0x5a) upper = true
    else if (c >= 0x20 && c < 0x7f) other = true
    else return 256
  }
  return (digits ? 10 : 0) + (lower ? 26 : 0) + (upper ? 26 : 0) + (other ? 33 : 0)
}

/** The command that makes a good secret, for error messages and notices. */
export const GOOD_SECRET_COMMAND = 'openssl rand -base64 32'
