/**
 * Session cookies an attacker (or a stale client) might send, made with real crypto: JWE variants
 * that must not open (docs/guarantees.md#g-strict-tokens), ones that must (exp is data), and forged signed ids.
 */
import { createHmac } from 'node:crypto'
import jwt from 'node-webtokens'
import { loadConfig } from '../../src/shared/session/core/config'
import { seal } from '../../src/shared/session/providers/jwe/token'
import { writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'

export interface HostileCookie {
  readonly name: string
  readonly value: string
  /** The count a server holding `secret` must read from it: 0 when it must give no session. */
  readonly count: number
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function hostileTokens(secret: string, nowMs: number): HostileCookie[] {
  const [key] = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: secret }).jweKeys
  const [otherKey] = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: `another-${secret}` }).jweKeys
  const [a128] = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: secret, ARC_APP_SECRET_ALGO: 'A128GCM' }).jweKeys
  const iat = Math.floor(nowMs / 1000)
  const payload = { count: 99, iat }
  const hs256Body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`
  const valid = writeJweSession({ count: 99 }, key!, nowMs)
  return [
    { name: 'JWE: alg none', value: `${b64url({ alg: 'none' })}.${b64url(payload)}.`, count: 0 },
    { name: 'JWS: HS256 signed with the secret', value: `${hs256Body}.${createHmac('sha256', secret).update(hs256Body).digest('base64url')}`, count: 0 },
    { name: 'JWE: A256CBC-HS512', value: jwt.generate('dir', 'A256CBC-HS512', { ...payload }, Buffer.from(secret.repeat(2).slice(0, 64)).toString('base64')), count: 0 },
    { name: 'JWE: A256KW key wrap', value: jwt.generate('A256KW', 'A256GCM', { ...payload }, Buffer.from(secret.slice(0, 32)).toString('base64')), count: 0 },
    { name: 'JWE: A128GCM under an A256GCM configuration', value: writeJweSession({ count: 99 }, a128!, nowMs), count: 0 },
    { name: 'JWE: sealed with a wrong key', value: writeJweSession({ count: 99 }, otherKey!, nowMs), count: 0 },
    { name: 'JWE: truncated', value: valid.slice(0, -6), count: 0 },
    { name: 'JWE: tag flipped', value: valid.slice(0, -2) + (valid.endsWith('A') ? 'B' : 'A') + valid.slice(-1), count: 0 },
    { name: 'JWE: expired (iat: 1)', value: seal(JSON.stringify({ count: 99, iat: 1 }), key!), count: 0 },
    // a key named exp is session data, not a claim, so this one is a live session.
    { name: 'JWE: payload with exp: 1', value: writeJweSession({ count: 50, exp: 1 }, key!, nowMs), count: 50 },
    { name: 'signed id: signed with the fallback secret', value: encodeURIComponent(signId('Vv0uuEz_tTdtpq1UjUvsm8dc', 'fallback')), count: 0 },
    { name: 'signed id: our secret, no such session', value: encodeURIComponent(signId('no-such-session-id-00000', secret)), count: 0 },
  ]
}
