/**
 * Finds the physical DynamoDB table behind ARC_SESSION_TABLE_NAME (contract A4). Architect
 * publishes every `@tables` entry as an SSM parameter `/<stack>/tables/<logical name>` whose value
 * is the physical name. The app's deploy plugin (src/shared/session/arc/table-names.js) gives every deployed
 * function the same mapping in ARC_TABLE_NAMES, so a deployed function reads it from its
 * environment: no SSM call, no SSM client. Without that variable, service discovery: real SSM
 * when deployed, the Sandbox's SSM look-alike on its internal port under the Sandbox.
 */
import http from 'node:http'
import type { AwsTarget, Env } from './target'
import { AWS_TIMEOUTS } from './timeouts'
import { isUnavailable } from './errors'
import { SessionConfigError, SessionStoreUnavailableError } from '../../core/errors'
import { isPlainObject } from '../store'

export interface Parameter {
  readonly name: string
  readonly value: string
}

/** Reads every parameter under an SSM path. */
export type ParameterReader = (path: string) => Promise<readonly Parameter[]>

interface Table {
  readonly logical: string
  readonly physical: string
}

/** Set by the app's deploy plugin (src/shared/session/arc/table-names.js): `{"<logical name>":"<physical name>",...}`. */
const TABLE_NAMES_VARIABLE = 'ARC_TABLE_NAMES'

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

/** The app's tables as its deploy plugin gives them, or undefined when the variable is not set. */
function tablesFromEnvironment(env: Env): Table[] | undefined {
  const json = env[TABLE_NAMES_VARIABLE]
  if (json === undefined || json === '') return undefined
  const tables = parseTableNames(json)
  if (tables) return tables
  throw new SessionConfigError(
    TABLE_NAMES_VARIABLE,
    "is not a JSON object of table names; the app's deploy plugin (src/shared/session/arc/table-names.js) sets it: deploy again, or unset it to find tables through SSM",
  )
}

/** `{"sessions":"MyAppProduction-SessionsTable-1ABC"}` as tables; undefined when it is not such an object. */
function parseTableNames(json: string): Table[] | undefined {
  let names: unknown
  try {
    names = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!isPlainObject(names)) return undefined
  const tables = Object.entries(names).map(([logical, physical]) => ({ logical, physical }))
  return tables.every((t): t is Table => typeof t.physical === 'string' && t.physical !== '') ? tables : undefined
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

/** Real SSM. The SDK's SSM client is loaded only here, once, when a deployed function first needs it. */
async function awsReader(path: string): Promise<readonly Parameter[]> {
  // A lazy require, not import(): one module instance under both esbuild's bundles and ts-node.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SSMClient, GetParametersByPathCommand } = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm')
  // SSM throttles bursts of cold starts: the SDK's three tries, but never a hang.
  const client = new SSMClient({ requestHandler: AWS_TIMEOUTS })
  const parameters: Parameter[] = []
  try {
    let token: string | undefined
    do {
      const page = await client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, ...(token ? { NextToken: token } : {}) }))
      for (const p of page.Parameters ?? []) if (p.Name && p.Value) parameters.push({ name: p.Name, value: p.Value })
      token = page.NextToken
    } while (token)
  } catch (error) {
    // Throttled or unreachable: try again later. Anything else (say, a missing permission) is a 500 with its log line.
    if (isUnavailable(error)) throw new SessionStoreUnavailableError(`service discovery (SSM ${path}) failed`, { cause: error })
    throw error
  } finally {
    client.destroy()
  }
  return parameters
}

/** The Sandbox's SSM look-alike answers unsigned JSON over plain HTTP: no SDK needed (and none loaded). */
function sandboxReader(port: number): ParameterReader {
  return (path) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ Path: path, Recursive: true })
      const unavailable = (cause: unknown) =>
        reject(new SessionStoreUnavailableError(`the Sandbox's service discovery on port ${port} did not answer; is the Sandbox running?`, { cause }))
      const req = http.request(
        {
          host: 'localhost',
          port,
          path: '/_arc/ssm',
          method: 'POST',
          timeout: 2000,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonSSM.GetParametersByPath',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', unavailable)
          res.on('end', () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Parameters?: { Name?: string; Value?: string }[] }
              if (res.statusCode !== 200 || !Array.isArray(answer.Parameters)) throw new Error(`status ${res.statusCode}`)
              resolve(answer.Parameters.flatMap((p) => (p.Name && p.Value ? [{ name: p.Name, value: p.Value }] : [])))
            } catch (error) {
              unavailable(error)
            }
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error('timed out')))
      req.on('error', unavailable)
      req.end(body)
    })
}
