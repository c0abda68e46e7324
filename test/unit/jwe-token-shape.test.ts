/**
 * docs/guarantees.md#g-strict-tokens: an IV that is not 12 bytes or a tag that is not 16 is malformed,
 * refused before any crypto (GCM itself would take other IV lengths, and truncated tags). And IVs are
 * drawn from the CSPRNG in bulk: one draw per 512 tokens.
 */
import t from 'tap'
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto'
import { makeJweKey, open, seal } from '../../src/shared/session/providers/jwe/token'

const key = makeJweKey('A256GCM', Buffer.alloc(32, 9))
const token = seal('{"a":1}', key)
const [header, , iv, ciphertext, tag] = token.split('.') as [string, string, string, string, string]
const b64 = (bytes: Buffer) => bytes.toString('base64url')

t.test('an IV of any length but 12 bytes is malformed, not a failed authentication', async (t) => {
  for (const length of [11, 13, 16]) {
    const other = b64(Buffer.concat([Buffer.from(iv, 'base64url'), Buffer.alloc(4)]).subarray(0, length))
    t.strictSame(open([header, '', other, ciphertext, tag].join('.'), [key]), { ok: false, reason: 'malformed' }, `${length} bytes`)
  }
  t.strictSame(open(token, [key]), { ok: true, plaintext: '{"a":1}', key }, 'the 12-byte original opens')
})

t.test('a tag of any length but 16 bytes is malformed: a truncated tag is never checked', async (t) => {
  const full = Buffer.from(tag, 'base64url')
  for (const length of [4, 12, 15]) {
    t.strictSame(open([header, '', iv, ciphertext, b64(full.subarray(0, length))].join('.'), [key]), { ok: false, reason: 'malformed' }, `${length} bytes`)
  }
  t.strictSame(open([header, '', iv, ciphertext, b64(Buffer.concat([full, Buffer.alloc(1)]))].join('.'), [key]), { ok: false, reason: 'malformed' }, '17 bytes')
})

t.test('IVs are drawn from the CSPRNG once per 512 tokens', async (t) => {
  const draws: number[] = []
  const counted = t.mockRequire<typeof import('../../src/shared/session/providers/jwe/token')>('../../src/shared/session/providers/jwe/token', {
    'node:crypto': {
      createCipheriv,
      createDecipheriv,
      randomFillSync: (buffer: Buffer) => {
        draws.push(buffer.length)
        return randomFillSync(buffer)
      },
    },
  })
  const ivs = new Set<string>()
  for (let i = 0; i < 1024; i++) ivs.add(counted.seal('x', key).split('.')[2]!)
  t.strictSame(draws, [6144, 6144], '1024 tokens: two draws of 512 IVs each')
  t.equal(ivs.size, 1024, 'each IV used once')
  counted.seal('x', key)
  t.strictSame(draws, [6144, 6144, 6144], 'the 1025th token draws again')
})
