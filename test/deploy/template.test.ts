/**
 * Deployable as it stands: the CloudFormation (SAM) template that `arc deploy` would send, made
 * offline from app.arc, has app.arc's routes (read from app.arc, not listed here: a route added
 * per docs/development.md is checked too) as TypeScript-built functions on a current Node.js
 * runtime, the sessions table, the static bucket, and the functions' access to the table. The
 * built bundles then answer as they would in Lambda.
 */
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { appRoutes } from '../helpers/app-routes'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { countOnPage } from '../helpers/http-client'
import { lambdaEvent, sessionSetCookie } from '../helpers/lambda-event'
import { PROJECT_ROOT } from '../helpers/sandbox'
import {
  actionCovers,
  packageApp,
  refersTo,
  resolveValue,
  resourcesOfType,
  type PolicyStatement,
  type SamFunctionProperties,
  type SamTemplate,
  type Stage,
} from '../helpers/sam'
import { generatedSecret } from '../helpers/secrets'

/** The Lambda runtime the app deploys on (app.arc, `@typescript base-runtime`): Node.js 24 LTS, supported until 2028. */
const RUNTIME = 'nodejs24.x'
/** What the DynamoDB session store calls (GetItem with ConsistentRead, conditional Put/Update, Delete). */
const SESSION_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']

type Lambda = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>

function functionsByRoute(template: SamTemplate): Map<string, { id: string; props: SamFunctionProperties }> {
  const routes = new Map<string, { id: string; props: SamFunctionProperties }>()
  for (const [id, resource] of resourcesOfType(template, 'AWS::Serverless::Function')) {
    const props = resource.Properties as unknown as SamFunctionProperties
    for (const event of Object.values(props.Events)) {
      if (event.Type === 'HttpApi') routes.set(`${event.Properties.Method} ${event.Properties.Path}`, { id, props })
    }
  }
  return routes
}

function roleStatements(template: SamTemplate): PolicyStatement[] {
  const role = template.Resources['Role']
  const policies = (role?.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[]
  return policies.flatMap((policy) => policy.PolicyDocument.Statement)
}

/** Whether some Allow statement of the role grants `action` on a resource that names `logicalId`. */
function roleAllows(template: SamTemplate, action: string, logicalId: string): boolean {
  return roleStatements(template).some(
    (statement) =>
      statement.Effect === 'Allow' &&
      ([] as string[]).concat(statement.Action).some((pattern) => actionCovers(pattern, action)) &&
      refersTo(statement.Resource, logicalId),
  )
}

for (const stage of ['staging', 'production'] as const satisfies readonly Stage[]) {
  t.test(`the ${stage} template`, async (t) => {
    const packagedAt = Date.now()
    const { template } = await packageApp(stage)
    const functions = functionsByRoute(template)
    const routes = await appRoutes()

    t.test("app.arc's HTTP routes, each a TypeScript-built function on nodejs24.x", async (t) => {
      t.ok(routes.length > 0, `app.arc declares ${routes.length} routes`)
      t.strictSame([...functions.keys()].sort(), routes.map((r) => r.name).sort(), 'exactly the app.arc routes')
      t.equal(resourcesOfType(template, 'AWS::Serverless::Function').length, routes.length, 'and no other function')
      for (const route of routes) {
        const fn = functions.get(route.name)
        if (!fn) continue
        const { props } = fn
        t.equal(props.Runtime, RUNTIME, `${route.name}: runtime`)
        t.equal(props.Handler, 'index.handler')
        t.equal(props.CodeUri, path.join(PROJECT_ROOT, '.build', 'http', route.folder), `${route.name}: code from the esbuild output`)
        const bundle = statSync(path.join(props.CodeUri, 'index.js'), { throwIfNoEntry: false })
        t.ok(bundle && bundle.mtimeMs >= packagedAt - 1000, `${route.name}: index.js built from src/http/${route.folder}/index.ts just now`)
        // app.arc: source maps for staging only, registered once per bundle whatever the number of functions.
        const sourceMapLines = readFileSync(path.join(props.CodeUri, 'index.js'), 'utf8').split("require('source-map-support/register')").length - 1
        t.equal(sourceMapLines, stage === 'staging' ? 1 : 0, `${route.name}: source maps registered ${stage === 'staging' ? 'once' : 'never'}`)
        t.equal(props.Environment.Variables['ARC_ENV'], stage)
        t.equal(
          props.Environment.Variables['ARC_SESSION_TABLE_NAME'],
          'jwe',
          'encrypted-cookie sessions unless `arc env` says otherwise (docs/deploy.md)',
        )
        t.ok(refersTo(props.Events['HTTPEvent']?.Properties.ApiId, 'HTTP'), `${route.name}: served by the HTTP API`)
      }
      const api = template.Resources['HTTP']
      t.equal(api?.Type, 'AWS::Serverless::HttpApi', 'an API Gateway HTTP API')
    })

    t.test('the sessions table: hash key _idx (String), TTL on _ttl, on demand', async (t) => {
      const tables = resourcesOfType(template, 'AWS::DynamoDB::Table')
      t.strictSame(
        tables.map(([id]) => id),
        ['SessionsTable'],
      )
      const props = tables[0]?.[1].Properties
      t.strictSame(props?.['KeySchema'], [{ AttributeName: '_idx', KeyType: 'HASH' }])
      t.strictSame(props?.['AttributeDefinitions'], [{ AttributeName: '_idx', AttributeType: 'S' }])
      t.strictSame(props?.['TimeToLiveSpecification'], { AttributeName: '_ttl', Enabled: true })
      t.equal(props?.['BillingMode'], 'PAY_PER_REQUEST')
    })

    t.test('the static bucket, served at /_static/ and known to the functions', async (t) => {
      t.equal(template.Resources['StaticBucket']?.Type, 'AWS::S3::Bucket')
      const paths = (template.Resources['HTTP']?.Properties['DefinitionBody'] as { paths: Record<string, unknown> }).paths
      t.ok(refersTo(paths['/_static/{proxy+}'], 'StaticBucket'), 'GET /_static/* proxies to the bucket')
      for (const { props } of functions.values()) {
        t.ok(refersTo(props.Environment.Variables['ARC_STATIC_BUCKET'], 'StaticBucket'))
      }
    })

    t.test("the functions' access to the sessions table", async (t) => {
      for (const [route, { props }] of functions) t.ok(refersTo(props.Role, 'Role'), `${route} runs as the app's role`)
      for (const action of SESSION_TABLE_ACTIONS) {
        t.ok(roleAllows(template, action, 'SessionsTable'), `the role allows ${action} on the sessions table`)
      }
      t.notOk(roleAllows(template, 'dynamodb:GetItem', 'StaticBucket'), '(the check can say no)')
      // Service discovery: the logical name `sessions` maps to the physical table through SSM.
      const param = template.Resources['SessionsParam']
      t.equal(param?.Type, 'AWS::SSM::Parameter')
      t.ok(refersTo(param?.Properties['Value'], 'SessionsTable'), 'an SSM parameter names the table')
      const ssm = template.Resources['ParameterStorePolicy']?.Properties
      t.ok(refersTo(ssm?.['Roles'], 'Role'), 'and the role may read it')
      const ssmStatements = (ssm?.['PolicyDocument'] as { Statement: PolicyStatement[] }).Statement
      t.ok(ssmStatements.some((s) => s.Effect === 'Allow' && ([] as string[]).concat(s.Action).includes('ssm:GetParametersByPath')))
    })

    t.test('every function knows the physical table names from its environment, as deployed (no SSM call needed)', async (t) => {
      // the session core's Architect plugin (src/shared/session/arc/plugin.js, deploy.start): ARC_TABLE_NAMES, the same mapping as the SSM parameters.
      for (const [route, { props }] of functions) {
        const value = props.Environment.Variables['ARC_TABLE_NAMES']
        t.ok(refersTo(value, 'SessionsTable'), `${route}: ARC_TABLE_NAMES refers to the sessions table`)
        const physical = `ArcSessionsTs${stage === 'production' ? 'Production' : 'Staging'}-SessionsTable-1ABC`
        t.strictSame(JSON.parse(resolveValue(value, { SessionsTable: physical })), { sessions: physical }, `${route}: once deployed, {"sessions": <the table's name>}`)
      }
      t.strictSame(resolveValue(template.Resources['SessionsParam']?.Properties['Value'], { SessionsTable: 'x' }), 'x', 'the value SSM publishes for discovery is the same table')
    })

    if (stage !== 'production') return
    t.test('the production bundles answer as they would in Lambda', async (t) => {
      const fn = (method: string, routePath: string) => {
        const codeUri = functions.get(`${method} ${routePath}`)!.props.CodeUri
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built CommonJS bundle, as Lambda loads it
        return (require(path.join(codeUri, 'index.js')) as { handler: Lambda }).handler
      }
      const variables = functions.get('GET /')!.props.Environment.Variables
      // The template's plain variables, plus the secret that `arc env` sets (docs/deploy.md).
      const env = Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
      await withEnv({ ...CLEAN_SESSION_ENV, ...env, ARC_APP_SECRET: generatedSecret() }, async () => {
        const page = await fn('GET', '/')(lambdaEvent())
        t.equal(page.statusCode, 200)
        t.equal(countOnPage(String(page.body)), 0)
        const counted = await fn('POST', '/count')(lambdaEvent({ method: 'POST', path: '/count' }))
        t.equal(counted.statusCode, 303)
        t.match(String(sessionSetCookie(counted)), /; Secure; SameSite=Lax$/, 'a Secure cookie outside the Sandbox')
      })
    })
  })
}
