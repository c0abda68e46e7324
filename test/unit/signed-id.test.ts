/**
 * Signed DynamoDB session ids (docs/guarantees.md#g-compat-dynamodb): the reference's vectors, rotation, and refusals.
 */
import t from 'tap'
import vectors from '../vectors/signed-ids.json'
import { signId, verifySignedId } from '../../src/shared/session/providers/ddb/signed-id'
import { readSessionCookie } from '../../src/shared/session/cookie/codec'

for (const vector of vectors.cases) {
  t.test(`${vector.id} / ${vector.secret}`, async (t) => {
    t.equal(signId(vector.id, vector.secret), vector.signed)
    t.strictSame(verifySignedId(vector.signed, [vector.secret]), { ok: true, id: vector.id, secretIndex: 0 })
    if (vector.cookie) {
      t.equal(encodeURIComponent(vector.signed), vector.cookie)
      const fromCookie = readSessionCookie({ headers: { cookie: `_idx=${vector.cookie}` } })
      t.strictSame(verifySignedId(fromCookie!, [vector.secret]), { ok: true, id: vector.id, secretIndex: 0 }, 'percent-encoded form')
    }
  })
}

t.test('rotation: a previous secret verifies and says so', async (t) => {
  const signed = signId('some-id', 'old-secret')
  t.strictSame(verifySignedId(signed, ['new-secret', 'old-secret']), { ok: true, id: 'some-id', secretIndex: 1 })
  t.strictSame(verifySignedId(signed, ['new-secret']), { ok: false, reason: 'invalid' })
})

t.test('refusals', async (t) => {
  const signed = signId('some-id', 'secret')
  const cases: Record<string, string> = {
    'no dot': 'some-id',
    'empty id': signed.slice(signed.indexOf('.')),
    'empty signature': 'some-id.',
    'id too long': signId('x'.repeat(300), 'secret'),
  }
  for (const [name, value] of Object.entries(cases)) t.strictSame(verifySignedId(value, ['secret']), { ok: false, reason: 'malformed' }, name)
  t.strictSame(verifySignedId(`${signed}x`, ['secret']), { ok: false, reason: 'invalid' }, 'longer signature')
  t.strictSame(verifySignedId(signed.replace('some-id', 'other-id'), ['secret']), { ok: false, reason: 'invalid' }, 'another id')
  t.strictSame(verifySignedId(`s:${signed}`, ['secret']), { ok: false, reason: 'invalid' }, 'an s: prefix is not ours')
})
