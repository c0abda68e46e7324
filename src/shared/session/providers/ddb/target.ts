/**
 * Which AWS a function talks to: the real services when deployed, or the Sandbox's local
 * stand-ins (dynalite for DynamoDB, an SSM look-alike on its internal port) under `arc sandbox`.
 * The rule is @architect/functions' `useAWS()`, so both pick the same place.
 */
import { SessionConfigError } from '../../core/errors'
import { sandboxInfo, type Env } from '../../core/env'

export type { Env } from '../../core/env'

export interface SandboxPorts {
  /** The Sandbox's local DynamoDB. */
  readonly tables: number
  /** The Sandbox's internal services, its SSM look-alike among them. */
  readonly internal: number
}

export type AwsTarget = { readonly kind: 'aws' } | { readonly kind: 'sandbox'; readonly ports: SandboxPorts }

/** What the Sandbox sets `ARC_ENV` to when it runs against a deployed stage's names. */
const DEPLOYED_ENVS = ['staging', 'production']

export function awsTarget(env: Env): AwsTarget {
  const arcEnv = env['ARC_ENV'] ?? ''
  // Sandbox always runs `testing` locally; it runs `staging`/`production` locally too unless ARC_LOCAL asks for live AWS.
  const local = arcEnv === 'testing' || (DEPLOYED_ENVS.includes(arcEnv) && !!env['ARC_SANDBOX'] && !env['ARC_LOCAL'])
  return local ? { kind: 'sandbox', ports: sandboxPorts(env) } : { kind: 'aws' }
}

/** The Sandbox hands every function its ports as `ARC_SANDBOX={"ports":{"tables":5555,"_arc":2222,...},...}`. */
function sandboxPorts(env: Env): SandboxPorts {
  const fix = 'DynamoDB sessions under ARC_ENV=testing need the ports that `arc sandbox` passes to each function; run the app with `npm start`'
  const info = sandboxInfo(env)
  if (!info) throw new SessionConfigError('ARC_SANDBOX', `is not set; ${fix}`)
  if (info === 'not JSON') throw new SessionConfigError('ARC_SANDBOX', `is not JSON; ${fix}`)
  const { tables, _arc: internal } = info.ports ?? {}
  if (!isPort(tables) || !isPort(internal)) {
    throw new SessionConfigError('ARC_SANDBOX', `has no tables and internal (_arc) ports; ${fix}`)
  }
  return { tables, internal }
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65_536
}
