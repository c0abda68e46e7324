/**
 * The test vectors (test/vectors/jwe.json, docs/guarantees.md#g-compat-jwe): tokens made by @architect/functions 8.1.10 open with our reader, under the
 * same configuration, and expire when the reference says they do.
 */
import t from 'tap'
import vectors from '../vectors/jwe.json'
import { loadConfig } from '../../src/shared/session/core/config'
import { readJweSession } from '../../src/shared/session/providers/jwe/store'

const expected = vectors.payload

for (const vector of vectors.cases) {
  t.test(vector.name, async (t) => {
    const config = loadConfig({ ARC_ENV: 'testing', ...vector.env })
    const read = readJweSession(vector.cookie, config.jweKeys, vectors.nowMs)
    // A reference token has no `_created`: the session begins at its first read here (now), which
    // that read records by writing the token again.
    t.strictSame(read, { ok: true, data: expected, issuedAt: vectors.iat, beganAt: vectors.nowMs / 1000, beganAtRecorded: false, key: config.jweKeys[0] })

    const lastValidMs = vectors.lastValidSecond * 1000
    t.equal(readJweSession(vector.cookie, config.jweKeys, lastValidMs).ok, true, 'valid through the last second')
    t.strictSame(readJweSession(vector.cookie, config.jweKeys, lastValidMs + 1), { ok: false, reason: 'expired' })
  })
}

t.test('a vector does not open under another configuration', async (t) => {
  const [first] = vectors.cases
  const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: 'a-different-secret-of-32-chars!!' })
  t.strictSame(readJweSession(first!.cookie, config.jweKeys, vectors.nowMs), { ok: false, reason: 'invalid' })
  const a128 = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET_ALGO: 'A128GCM' })
  t.strictSame(readJweSession(first!.cookie, a128.jweKeys, vectors.nowMs), { ok: false, reason: 'unsupported' })
})
