/**
 * Property-based tests of the signed-id verifier (docs/guarantees.md#g-compat-dynamodb): whatever the cookie holds,
 * verifying never throws and gives an id or a typed reason; a verified value is exactly what one
 * of the secrets signs; every id signed with any of the secrets verifies, raw or through the
 * cookie; and no edit of a signed value verifies.
 */
import t from 'tap'
import fc from 'fast-check'
import { signId, verifySignedId, type VerifiedId } from '../../src/shared/session/providers/ddb/signed-id'
import { readSessionCookie } from '../../src/shared/session/cookie/codec'
import { anyString, checkProperty, mutate, mutation, stringOf } from '../helpers/property'

const secrets = fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 48 }), { minLength: 1, maxLength: 4 })
/** Ids of every length the verifier takes (at most 256 UTF-16 code units), in any well-formed text. */
const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }).filter((s) => s.length <= 256)
/** Ids as the stores issue them: base64url, 24 characters in the reference. */
const issuedId = fc.string({ unit: fc.constantFrom(...Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')), minLength: 1, maxLength: 32 })

function expectVerified(result: VerifiedId, expectedId: string, signed: string, keys: readonly string[]): void {
  if (!result.ok || result.id !== expectedId || signId(result.id, keys[result.secretIndex]!) !== signed) {
    throw new Error(`signed ${JSON.stringify(signed)}, verified ${JSON.stringify(result)}`)
  }
}

t.test('any value: never throws; an id or a typed reason; an id only for what a secret signs', async (t) => {
  const value = fc.oneof(
    anyString(300),
    stringOf(['.', 's:', '=', '+', '/', '%2B', 'abc', 'Vv0uuEz_tTdtpq1UjUvsm8dc'], 20),
    fc.tuple(id, anyString(60)).map(([id, signature]) => `${id}.${signature}`),
  )
  const keys = fc.oneof(secrets, fc.constant([] as string[]), fc.array(anyString(40), { maxLength: 3 }))
  checkProperty(t, 'arbitrary signed-id values and secrets', fc.tuple(value, keys), ([value, keys]) => {
    const result = verifySignedId(value, keys)
    if (result.ok) {
      expectVerified(result, value.slice(0, value.lastIndexOf('.')), value, keys)
    } else if (!['malformed', 'invalid'].includes(result.reason)) {
      // The type allows only these two; this checks what the verifier really returns.
      throw new Error(`untyped reason ${JSON.stringify(result)}`)
    }
  })
})

t.test('an id signed with any of the secrets verifies, raw and through the cookie', async (t) => {
  checkProperty(t, 'signed-id round trip', fc.tuple(id, secrets, fc.nat()), ([id, keys, pick]) => {
    const signed = signId(id, keys[pick % keys.length]!)
    expectVerified(verifySignedId(signed, keys), id, signed, keys)
    const fromCookie = readSessionCookie({ headers: { cookie: `a=1; _idx=${encodeURIComponent(signed)}` } })
    expectVerified(verifySignedId(fromCookie ?? '', keys), id, signed, keys)
  })
})

t.test('an edited signed value never verifies', async (t) => {
  const edits = fc.array(mutation, { minLength: 1, maxLength: 3 })
  checkProperty(t, 'tampered signed ids', fc.tuple(fc.oneof(issuedId, id), secrets, edits), ([id, keys, edits]) => {
    const signed = signId(id, keys[0]!)
    const edited = edits.reduce(mutate, signed)
    if (edited === signed) return
    const result = verifySignedId(edited, keys)
    if (result.ok) throw new Error(`edited ${JSON.stringify(signed)} to ${JSON.stringify(edited)}, which verified`)
  })
})

t.test('pinned: ids with lone surrogates are refused, since two of them share one signature', async (t) => {
  // HMAC input is UTF-8, where every lone surrogate becomes U+FFFD.
  const signature = (id: string) => signId(id, 'secret').slice(id.length + 1)
  t.equal(signature('id-\ud800'), signature('id-\udc00'))
  t.equal(signature('id-\ud800'), signature('id-\ufffd'))
  t.strictSame(verifySignedId(signId('id-\ufffd', 'secret').replace('\ufffd', '\ud800'), ['secret']), { ok: false, reason: 'malformed' })
  t.strictSame(verifySignedId(signId('id-\ufffd', 'secret'), ['secret']), { ok: true, id: 'id-\ufffd', secretIndex: 0 }, 'U+FFFD itself is an ordinary character')
})
