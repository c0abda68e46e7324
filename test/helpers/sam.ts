/**
 * The CloudFormation (SAM) template that `arc deploy` would send, made offline: the same steps as
 * @architect/deploy's `sam/index.js` up to the upload (inventory with a deploy stage, then
 * @architect/package, then the `deploy.start` plugins, which compile the TypeScript handlers), less
 * the AWS calls. `arc deploy --dry-run` itself needs AWS credentials (docs/testing.md).
 */
import path from 'node:path'
import pkg from '@architect/package'
import type { Inventory } from '@architect/inventory'
import { PROJECT_ROOT } from './sandbox'

/** The inventory that @architect/package is built against (its own dependency, not a copy of ours). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from @architect/package's folder on purpose
const inventory = require(
  require.resolve('@architect/inventory', { paths: [path.dirname(require.resolve('@architect/package/package.json'))] }),
) as typeof import('@architect/inventory').default

// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped; Architect's own naming
const { toLogicalID } = require('@architect/utils') as { toLogicalID: (name: string) => string }

export type Stage = 'staging' | 'production'

export interface SamResource {
  readonly Type: string
  readonly Properties: Record<string, unknown>
}

export interface SamTemplate {
  readonly Resources: Record<string, SamResource>
}

export interface SamFunctionProperties {
  readonly Handler: string
  readonly CodeUri: string
  readonly Runtime: string
  readonly Role: unknown
  readonly Environment: { readonly Variables: Record<string, unknown> }
  readonly Events: Record<string, { readonly Type: string; readonly Properties: { Path: string; Method: string; ApiId: unknown } }>
}

export interface PackagedApp {
  readonly template: SamTemplate
  readonly inventory: Inventory
}

/** `cwd`: the app to package, this project unless another is given (test/integration/portable-app.test.ts). */
export async function packageApp(stage: Stage, cwd: string = PROJECT_ROOT): Promise<PackagedApp> {
  // Deploy also reads `arc env` variables from SSM (env: true); offline there are none, so the
  // template shows Architect's defaults, such as ARC_SESSION_TABLE_NAME=jwe.
  const inv = await inventory({ cwd, deployStage: stage })
  let template = pkg(inv) as SamTemplate
  // As @architect/deploy names the stack: the app's name as a logical id, then the stage (ArcSessionsTsProduction).
  const stackName = `${toLogicalID(inv.inv.app)}${toLogicalID(stage)}`
  for (const plugin of inv.inv.plugins?._methods?.deploy?.start ?? []) {
    const result = await plugin({ arc: inv.inv._project.arc, cloudformation: template, dryRun: true, inventory: inv, stackName, stage })
    if (result) template = result as SamTemplate
  }
  return { template, inventory: inv }
}

/** The template's functions by their folder's name (`get-index`, ...). */
export function functionsByFolder(template: SamTemplate): Map<string, SamFunctionProperties> {
  return new Map(
    resourcesOfType(template, 'AWS::Serverless::Function').map(([, resource]) => {
      const props = resource.Properties as unknown as SamFunctionProperties
      return [path.basename(props.CodeUri), props] as const
    }),
  )
}

/** The resources of one CloudFormation type, by logical id. */
export function resourcesOfType(template: SamTemplate, type: string): [string, SamResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
}

/** Whether a CloudFormation value refers to a resource: `{ Ref: id }` or `${id.Arn}`-style in a Fn::Sub. */
export function refersTo(value: unknown, logicalId: string): boolean {
  if (typeof value === 'string') return value.includes(`\${${logicalId}.`) || value.includes(`\${${logicalId}}`)
  if (Array.isArray(value)) return value.some((item) => refersTo(item, logicalId))
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    if (record['Ref'] === logicalId) return true
    return Object.values(record).some((item) => refersTo(item, logicalId))
  }
  return false
}

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny'
  readonly Action: string | string[]
  readonly Resource: unknown
}

/** Whether an IAM action pattern (`dynamodb:*`, `dynamodb:Get*`) covers an action (case-insensitive, as IAM). */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`, 'i')
  return regex.test(action)
}

/**
 * A CloudFormation value with the intrinsics this app's template uses in function variables
 * (`Ref`, `Fn::Join`) worked out, given what each `Ref` stands for: what Lambda would see.
 */
export function resolveValue(value: unknown, refs: Readonly<Record<string, string>>): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const ref = record['Ref']
  if (typeof ref === 'string') {
    const resolved = refs[ref]
    if (resolved === undefined) throw new Error(`no value given for Ref ${ref}`)
    return resolved
  }
  const join = record['Fn::Join']
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return (join[1] as unknown[]).map((part) => resolveValue(part, refs)).join(join[0])
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`)
}
