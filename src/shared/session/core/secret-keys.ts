/**
 * Which keys the configured secrets make, under the one secret rule (./secrets.ts): the current
 * secret (`ARC_APP_SECRET`) writes, every secret reads. Outside the Sandbox no key is ever made
 * from a secret that fails the rule; under ARC_ENV=testing any secret works, with a notice.
 */
import { SessionConfigError } from './errors'
import { GOOD_SECRET_COMMAND, judgeSecret, type KeyUse, type SecretVerdict } from './secrets'
import { DEVELOPMENT_SIGNING_SECRET, developmentJweKey, everyKeyUse, jweKeyFor, jweKeyUse } from '../providers/jwe/keys'
import type { JweEnc, JweKey } from '../providers/jwe/token'

export const SET_SECRET_FIX = `set a strong secret with \`npx arc env -e <staging|production> -a ARC_APP_SECRET "$(${GOOD_SECRET_COMMAND})"\``

export interface SecretSettings {
  readonly current: string | undefined
  readonly previous: readonly string[]
  readonly enc: JweEnc
  readonly legacy: boolean
  readonly mode: 'jwe' | 'dynamodb'
  /** ARC_ENV, for messages. */
  readonly arcEnv: string | undefined
  /** ARC_ENV=testing: weak secrets are allowed, with a notice. */
  readonly testing: boolean
  /** Under the Sandbox (ARC_SANDBOX set): the fix is prefs.arc or the shell, not `arc env`. */
  readonly sandbox?: boolean
  readonly appName: string | undefined
}

export interface SecretKeys {
  /** The current key first (it writes), then every other key that reads. Empty when none can be made (DynamoDB mode). */
  readonly jweKeys: readonly JweKey[]
  /** HMAC secrets for signed DynamoDB session ids: the current one first (it signs), then those that only verify. */
  readonly signingSecrets: readonly string[]
  /** Worth one log line (a development key or a weak secret under ARC_ENV=testing, the reference's signing fallback). */
  readonly notices: readonly string[]
}

const ORDINALS = ['1st', '2nd', '3rd']
const ordinal = (i: number): string => ORDINALS[i] ?? `${i + 1}th`

/** The fix to name: `arc env` configures a deployed app; a Sandbox run as staging or production reads prefs.arc or the shell. */
function secretFix(arcEnv: string | undefined, sandbox: boolean): string {
  if (!sandbox) return SET_SECRET_FIX
  const name = arcEnv ?? 'testing'
  return `${SET_SECRET_FIX} when deployed; under the Sandbox (ARC_ENV=${name}) put it in prefs.arc's @env ${name} block, or export it in the shell`
}

export function secretKeys(settings: SecretSettings): SecretKeys {
  const { current, previous, enc, legacy, mode, arcEnv, testing, appName } = settings
  const fix = secretFix(arcEnv, settings.sandbox ?? false)
  const context = { appName }
  const notices: string[] = []
  const judge = (secret: string, use: KeyUse): SecretVerdict => (testing ? { strong: true } : judgeSecret(secret, use, context))

  if (!current) {
    if (!testing) throw new SessionConfigError('ARC_APP_SECRET', `is not set and ARC_ENV is '${arcEnv || '(unset)'}'; ${fix}`)
    notices.push('ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing')
    // The reference signs ids with ARC_APP_SECRET || ARC_APP_NAME || 'fallback' (docs/guarantees.md#g-compat-dynamodb).
    return { jweKeys: [developmentJweKey(enc, legacy)], signingSecrets: [appName ?? DEVELOPMENT_SIGNING_SECRET], notices }
  }

  // The current secret must pass for what it does in this mode: seal cookies, or sign ids.
  const writeUse: KeyUse = mode === 'jwe' ? jweKeyUse(enc, legacy) : { kind: 'signing' }
  const written = jweKeyFor(current, jweKeyUse(enc, legacy))
  if (mode === 'jwe' && !written.ok) throw new SessionConfigError('ARC_APP_SECRET', `${written.problem}; ${fix}`)
  const verdict = judge(current, writeUse)
  if (!verdict.strong) throw new SessionConfigError('ARC_APP_SECRET', `${verdict.why}; outside the Sandbox a secret must be generated; ${fix}`)
  const weak = testing ? weakAnywhere(current, writeUse, appName) : undefined
  if (weak) notices.push(`ARC_APP_SECRET is weak (${weak}): allowed only under ARC_ENV=testing; make a real one with \`${GOOD_SECRET_COMMAND}\``)

  const jweKeys: JweKey[] = []
  if (written.ok && judge(current, jweKeyUse(enc, legacy)).strong) jweKeys.push(written.key)
  const signingSecrets = [current]

  // A previous secret reads under every algorithm it makes a good key for, so that a rotation may
  // change ARC_APP_SECRET_ALGO in the same deploy. The current secret opens only tokens of the
  // configured algorithm (strict acceptance, docs/sessions.md#how-it-compares-to-architectfunctions).
  // A secret is judged once, on the longest key it makes (everyKeyUse lists the longest first): a
  // hand-written secret whose first 16 characters happen to look random makes no A128GCM key either.
  const readKeys = (secret: string): JweKey[] => {
    const made = everyKeyUse(legacy).flatMap((use) => {
      const key = jweKeyFor(secret, use)
      return key.ok ? [{ use, key: key.key }] : []
    })
    const [longest] = made
    return longest !== undefined && judge(secret, longest.use).strong ? made.map(({ key }) => key) : []
  }

  for (const [index, secret] of previous.entries()) {
    const name = `ARC_APP_SECRET_PREVIOUS (its ${ordinal(index)} secret)`
    const keys = readKeys(secret)
    jweKeys.push(...keys)
    if (mode === 'dynamodb' && judge(secret, { kind: 'signing' }).strong) {
      signingSecrets.push(secret)
    } else if (keys.length === 0 && (secret === appName || secret === DEVELOPMENT_SIGNING_SECRET)) {
      // The reference signed ids with ARC_APP_NAME (or 'fallback') when it had no secret, and the
      // docs once said to list it here. Ids are random and unguessable and a signature alone never
      // made a session, so DynamoDB cookies it signed that way are still verified (and re-signed on
      // use); it never seals, opens or signs anything (in JWE mode it does nothing at all).
      signingSecrets.push(secret)
      notices.push(`${name} is the public signing fallback of @architect/functions: it only verifies the session ids it signed, which are re-signed on use, and is never a key; remove it once ARC_SESSION_TTL has passed`)
      continue
    } else if (keys.length === 0) {
      const verdict = judgeSecret(secret, writeUse, context)
      const why = verdict.strong ? (jweKeyFor(secret, jweKeyUse(enc, legacy)) as { problem: string }).problem : verdict.why
      throw new SessionConfigError(name, `${why}; no key is made from it: remove it, or list only secrets that were generated (\`${GOOD_SECRET_COMMAND}\`)`)
    }
    const weak = testing ? weakAnywhere(secret, writeUse, appName) : undefined
    if (weak) notices.push(`${name} is weak (${weak}): allowed only under ARC_ENV=testing`)
  }
  return { jweKeys, signingSecrets, notices }
}

function weakAnywhere(secret: string, use: KeyUse, appName: string | undefined): string | undefined {
  const verdict = judgeSecret(secret, use, { appName })
  return verdict.strong ? undefined : verdict.why
}
