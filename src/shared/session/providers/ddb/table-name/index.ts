/**
 * Finds the physical DynamoDB table behind ARC_SESSION_TABLE_NAME (docs/guarantees.md#g-compat-dynamodb). Architect
 * publishes every `@tables` entry as an SSM parameter `/<stack>/tables/<logical name>` whose value
 * is the physical name. The app's deploy plugin (src/shared/session/arc/table-names.js) gives every deployed
 * function the same mapping in ARC_TABLE_NAMES, so a deployed function reads it from its
 * environment: no SSM call, no SSM client. Without that variable, service discovery: real SSM
 * when deployed, the Sandbox's SSM look-alike on its internal port under the Sandbox.
 */
import type { AwsTarget, Env } from '../target'
import { SessionConfigError } from '../../../core/errors'
import { tablesFromEnvironment, type Table } from './environment'
import type { ParameterReader } from './parameters'
import { sandboxReader } from './sandbox-ssm'
import { awsReader } from './ssm'

export type { Parameter, ParameterReader } from './parameters'

/**
 * The physical table name for `name`, which may be a logical `@tables` name (`sessions`) or
 * already a physical one. Throws a SessionConfigError naming ARC_SESSION_TABLE_NAME when the
 * app has no such table.
 */
export async function resolveTableName(name: string, target: AwsTarget, env: Env, read?: ParameterReader): Promise<string> {
  const tables = tablesFromEnvironment(env) ?? (await discoverTables(target, env, read))
  const found = tables.find((t) => t.logical === name) ?? tables.find((t) => t.physical === name)
  if (found) return found.physical
  const known = tables.map((t) => `${t.logical} (${t.physical})`).join(', ') || 'none'
  throw new SessionConfigError(
    'ARC_SESSION_TABLE_NAME',
    `no table of this app is called '${name}' (its tables: ${known}); use a name from app.arc @tables, e.g. 'sessions', or 'jwe' for cookie sessions`,
  )
}

/** Service discovery: the parameters under `/<stack>/tables`, from SSM or the Sandbox's look-alike. */
async function discoverTables(target: AwsTarget, env: Env, read?: ParameterReader): Promise<Table[]> {
  const path = `/${stackName(target, env)}/tables`
  const reader = read ?? (target.kind === 'sandbox' ? sandboxReader(target.ports.internal) : awsReader)
  return (await reader(path)).map((p) => ({ logical: p.name.slice(path.length + 1), physical: p.value }))
}

/** Architect names the stack (and the SSM path) after the app and the environment. */
function stackName(target: AwsTarget, env: Env): string {
  const stack = env['ARC_STACK_NAME']
  // Under the Sandbox, ARC_STACK_NAME would name the deployed stack, not the local look-alike.
  if (stack && target.kind === 'aws') return stack
  const app = env['ARC_APP_NAME']
  if (!app) {
    throw new SessionConfigError('ARC_APP_NAME', 'is not set, so the sessions table cannot be looked up; Architect sets it, so run the app with Architect')
  }
  return toLogicalId(`${app}-${env['ARC_ENV'] ?? ''}`)
}

/**
 * `my-app-staging` → `MyAppStaging`: the rule of @architect/utils' toLogicalID for such names.
 * Words break at non-alphanumerics, underscores, and before capitals.
 */
export function toLogicalId(name: string): string {
  return name
    .replace(/([A-Z])/g, ' $1')
    .split(/[\W_]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join('')
}

