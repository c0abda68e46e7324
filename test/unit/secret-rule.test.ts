/**
 * The one secret rule (docs/sessions.md#the-secret), judged on the bytes that become a key: each
 * class of weak secret is refused when deployed and works, with a notice, under ARC_ENV=testing;
 * generated secrets pass; and every previous-secret case.
 */
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { loadConfig } from '../../src/shared/session/core/config'
import { judgeSecret, type KeyUse } from '../../src/shared/session/core/secrets'
import { configError } from '../helpers/config-error'
import { generatedHexSecret, generatedSecret } from '../helpers/secrets'

const APP = 'arc-sessions-ts-demo-application'

/** Each class of weak secret, with the algorithm it is judged for. */
const WEAK: [string, string, Record<string, string>][] = [
  ['the development key', '12345678901234567890123456789012', {}],
  ['the A128GCM development key, under A128GCM', '1234567890123456', { ARC_APP_SECRET_ALGO: 'A128GCM' }],
  ['one repeated character', 'a'.repeat(32), {}],
  ['one repeated character, then random text past the key', `${'a'.repeat(32)}${generatedSecret()}`, {}],
  ['a public prefix (the development key) followed by random text', `12345678901234567890123456789012${generatedSecret()}`, {}],
  ['a test vector secret', 'abcdefghijklmnopqrstuvwxyz0123456789', {}],
  ['a test vector secret, A192GCM', 'abcdefghijklmnopqrstuvwx', { ARC_APP_SECRET_ALGO: 'A192GCM' }],
  ['the benchmarks secret', 'bench-secret-0123456789abcdefghijklmnop', {}],
  ['an obvious sequence', 'zyxwvutsrqponmlkjihgfedcba987654', {}],
  ['a repeated pattern', 'abc!abc!abc!abc!abc!abc!abc!abc!', {}],
  ['a stepped sequence', '02468acegikmoqsuwy02468acegikmoq', {}],
  ['the app name', APP, {}],
  ['the app name inside it', `${randomBytes(6).toString('base64')}my-counter${generatedSecret()}`, { ARC_APP_NAME: 'my-counter' }],
  ['the app name, under A128GCM', 'my-counter-app-2026', { ARC_APP_NAME: 'my-counter-app-2026', ARC_APP_SECRET_ALGO: 'A128GCM' }],
  ['a hand-written secret', 'my-production-secret-for-the-app-2026', {}],
  ['too short for the algorithm', randomBytes(12).toString('base64'), {}],
  ['legacy: punctuation that base64-decodes to nothing', '!'.repeat(40), { ARC_FORCE_LEGACY_JWE_SECRET: '1' }],
  ['legacy: base64 of zero bytes (an all-zero key)', Buffer.alloc(32).toString('base64'), { ARC_FORCE_LEGACY_JWE_SECRET: '1' }],
  ['legacy: a typed pattern that decodes to varied bytes', 'aZ9+aZ9+aZ9+aZ9+aZ9+aZ9+aZ9+aZ9+', { ARC_FORCE_LEGACY_JWE_SECRET: '1' }],
  ['DynamoDB mode: a short signing secret', randomBytes(16).toString('base64'), { ARC_SESSION_TABLE_NAME: 'sessions' }],
  ['DynamoDB mode: the app name', APP, { ARC_SESSION_TABLE_NAME: 'sessions' }],
]

t.test('each class of weak secret: refused when deployed, with the variable and the command that makes a good one', async (t) => {
  for (const [name, secret, extra] of WEAK) {
    const error = configError({ ARC_ENV: 'production', ARC_APP_NAME: APP, ARC_APP_SECRET: secret, ...extra })
    t.equal(error.variable, 'ARC_APP_SECRET', name)
    t.match(error.message, /openssl rand -base64 32/, `${name}: the command`)
    t.notOk(error.message.includes(secret), `${name}: the message does not print the secret`)
  }
})

t.test('each class of weak secret, under the Sandbox: works, with one notice', async (t) => {
  for (const [name, secret, extra] of WEAK) {
    if (name.startsWith('too short') || name.startsWith('legacy: punctuation')) continue // no key at all, as in the reference
    const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_NAME: APP, ARC_APP_SECRET: secret, ...extra })
    t.ok(config.signingSecrets[0] === secret, `${name}: used`)
    t.equal(config.warnings.length, 1, `${name}: one notice`)
    t.match(config.warnings[0], /^ARC_APP_SECRET is weak \(.+\): allowed only under ARC_ENV=testing; make a real one with `openssl rand -base64 32`$/)
    t.notOk(config.warnings[0]!.includes(secret), `${name}: the notice does not print the secret`)
  }
})

t.test('generated secrets pass, for every use, with no notice', async (t) => {
  const uses: KeyUse[] = [{ kind: 'jwe', enc: 'A256GCM' }, { kind: 'jwe', enc: 'A192GCM' }, { kind: 'jwe', enc: 'A128GCM' }, { kind: 'legacy-jwe' }, { kind: 'signing' }]
  // 2,000 of each here; 100,000 of each were measured once with no refusal (docs/sessions.md#the-secret).
  for (const [name, make] of [['openssl rand -base64 32', generatedSecret], ['openssl rand -hex 32', generatedHexSecret]] as const) {
    let refused = 0
    for (let i = 0; i < 2000; i++) {
      const secret = make()
      for (const use of uses) if (!judgeSecret(secret, use, { appName: APP }).strong) refused++
    }
    t.equal(refused, 0, `${name}: none refused`)
  }
  for (const extra of [{}, { ARC_APP_SECRET_ALGO: 'A128GCM' }, { ARC_FORCE_LEGACY_JWE_SECRET: '1' }, { ARC_SESSION_TABLE_NAME: 'sessions' }]) {
    t.strictSame(loadConfig({ ARC_ENV: 'production', ARC_APP_NAME: APP, ARC_APP_SECRET: generatedSecret(), ...extra }).warnings, [], JSON.stringify(extra))
  }
})

t.test('previous secrets: a generated one reads under every algorithm, the current one writes', async (t) => {
  const current = generatedSecret()
  const previous = generatedSecret()
  const config = loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: ` ${previous} ,` })
  t.strictSame(
    config.jweKeys.map((k) => k.enc),
    ['A256GCM', 'A256GCM', 'A192GCM', 'A128GCM'],
    'the current key, then the previous secret under each algorithm',
  )
  t.strictSame(config.jweKeys[0]!.key, Buffer.from(current.slice(0, 32)))
  t.strictSame(config.jweKeys[3]!.key, Buffer.from(previous.slice(0, 16)))
  t.strictSame(config.warnings, [])
  const ddb = loadConfig({ ARC_ENV: 'production', ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: previous })
  t.strictSame(ddb.signingSecrets, [current, previous])
  // Legacy mode only ever made A128GCM keys from the decoded secret.
  const legacy = loadConfig({ ARC_ENV: 'production', ARC_FORCE_LEGACY_JWE_SECRET: '1', ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: previous })
  t.strictSame(legacy.jweKeys.map((k) => k.key), [Buffer.from(current, 'base64').subarray(0, 16), Buffer.from(previous, 'base64').subarray(0, 16)])
})

t.test('previous secrets: a 16-character generated one (an old A128GCM secret) reads A128GCM only', async (t) => {
  const old = randomBytes(12).toString('base64')
  const config = loadConfig({ ARC_ENV: 'production', ARC_APP_SECRET: generatedSecret(), ARC_APP_SECRET_PREVIOUS: old })
  t.strictSame(config.jweKeys.map((k) => k.enc), ['A256GCM', 'A128GCM'])
})

t.test('previous secrets: a weak one makes no key; deployed, it is a configuration error naming its place, not its value', async (t) => {
  for (const [name, secret, extra] of WEAK) {
    // (A 16-character generated secret is a good old A128GCM secret: the case below.)
    // (The app name itself is the reference's signing fallback: the cases below.)
    if (name.startsWith('DynamoDB') || name.startsWith('legacy') || name.startsWith('too short') || name.startsWith('the app name,') || name === 'the app name') continue
    const error = configError({ ARC_ENV: 'production', ARC_APP_NAME: APP, ARC_APP_SECRET: generatedSecret(), ARC_APP_SECRET_PREVIOUS: `${generatedSecret()},${secret}`, ...extra })
    t.equal(error.variable, 'ARC_APP_SECRET_PREVIOUS (its 2nd secret)', name)
    t.notOk(error.message.includes(secret), `${name}: not printed`)
  }
})

t.test("previous secrets: the app name or 'fallback' in JWE mode is never a key", async (t) => {
  const current = generatedSecret()
  for (const previous of [APP, 'fallback']) {
    const config = loadConfig({ ARC_ENV: 'production', ARC_APP_NAME: APP, ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: previous })
    t.equal(config.jweKeys.length, 1, `${previous}: only the current key`)
    t.match(config.warnings[0], /is the public signing fallback of @architect\/functions/)
  }
})

t.test("previous secrets: in DynamoDB mode the reference's signing fallback verifies ids only, with a notice", async (t) => {
  const current = generatedSecret()
  for (const previous of [APP, 'fallback']) {
    const config = loadConfig({ ARC_ENV: 'production', ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_NAME: APP, ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: previous })
    t.strictSame(config.signingSecrets, [current, previous], `${previous}: verifies signed ids`)
    t.equal(config.jweKeys.length, 1, `${previous}: no JWE key (a carried-over cookie under it reads as a new visitor)`)
    t.equal(config.warnings.length, 1)
    t.match(config.warnings[0], /^ARC_APP_SECRET_PREVIOUS \(its 1st secret\) is the public signing fallback of @architect\/functions: it only verifies/)
    if (previous === APP) t.notOk(config.warnings[0]!.includes(previous), 'the notice does not print it')
  }
  // Any other weak value is not the fallback: refused.
  const error = configError({ ARC_ENV: 'production', ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_NAME: APP, ARC_APP_SECRET: current, ARC_APP_SECRET_PREVIOUS: 'a'.repeat(40) })
  t.equal(error.variable, 'ARC_APP_SECRET_PREVIOUS (its 1st secret)')
})

t.test('previous secrets under the Sandbox: a weak one reads, with a notice', async (t) => {
  const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: generatedSecret(), ARC_APP_SECRET_PREVIOUS: 'b'.repeat(40) })
  t.equal(config.jweKeys.length, 4)
  t.strictSame(config.warnings, ['ARC_APP_SECRET_PREVIOUS (its 1st secret) is weak (is one character repeated): allowed only under ARC_ENV=testing'])
  t.equal(configError({ ARC_ENV: 'testing', ARC_APP_SECRET: generatedSecret(), ARC_APP_SECRET_PREVIOUS: 'weak' }).variable, 'ARC_APP_SECRET_PREVIOUS (its 1st secret)', 'one that makes no key at all')
})
