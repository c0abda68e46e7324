/**
 * Finding the sessions table (docs/guarantees.md#g-compat-dynamodb): from ARC_TABLE_NAMES when the app's deploy plugin set
 * it (no SSM), else the way Architect's service discovery does: the SSM path, logical and
 * physical names, and a clear error naming ARC_SESSION_TABLE_NAME when there is no such table.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import t, { type Test } from 'tap'
import fc from 'fast-check'
import { SessionConfigError, SessionStoreUnavailableError } from '../../src/shared/session/core/errors'
import { resolveTableName, toLogicalId, type Parameter } from '../../src/shared/session/providers/ddb/table-name'
import { withEnv } from '../helpers/env'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toLogicalID } = require('@architect/utils') as { toLogicalID: (name: string) => string }

const SANDBOX = { kind: 'sandbox', ports: { tables: 1, internal: 1 } } as const
const AWS = { kind: 'aws' } as const

function reader(parameters: Parameter[], paths: string[] = []) {
  return async (path: string) => {
    paths.push(path)
    return parameters.filter((p) => p.name.startsWith(`${path}/`))
  }
}

/** A stand-in SSM endpoint (JSON over HTTP, as the SDK speaks it) that records what it is asked. */
async function ssmStandIn(
  t: Pick<Test, 'teardown'>,
  answer: (body: SsmRequestBody) => { status: number; body: object },
): Promise<{ requests: { target: string; body: SsmRequestBody }[]; sdkEnv: Record<string, string> }> {
  const requests: { target: string; body: SsmRequestBody }[] = []
  const ssm = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SsmRequestBody
      requests.push({ target: String(req.headers['x-amz-target']), body })
      const { status, body: reply } = answer(body)
      res.statusCode = status
      res.setHeader('content-type', 'application/x-amz-json-1.1')
      res.end(JSON.stringify(reply))
    })
  })
  await new Promise<void>((resolve) => ssm.listen(0, 'localhost', resolve))
  t.teardown(() => ssm.close())
  const sdkEnv = {
    AWS_ENDPOINT_URL_SSM: `http://localhost:${(ssm.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  }
  return { requests, sdkEnv }
}

interface SsmRequestBody {
  Path?: string
  NextToken?: string
  Recursive?: boolean
}

const DEPLOYED = { ARC_APP_NAME: 'my-app', ARC_ENV: 'production', ARC_STACK_NAME: 'MyAppProduction' }

t.test("deployed with ARC_TABLE_NAMES (the deploy plugin's variable): the table comes from the environment, no SSM call, no SSM client", async (t) => {
  const { requests, sdkEnv } = await ssmStandIn(t, () => ({ status: 200, body: { Parameters: [] } }))
  const env = { ...DEPLOYED, ARC_TABLE_NAMES: '{"sessions":"MyAppProduction-SessionsTable-1ABC","notes":"MyAppProduction-NotesTable-2DEF"}' }
  await withEnv(sdkEnv, async () => {
    t.equal(await resolveTableName('sessions', AWS, env), 'MyAppProduction-SessionsTable-1ABC')
    t.equal(await resolveTableName('MyAppProduction-NotesTable-2DEF', AWS, env), 'MyAppProduction-NotesTable-2DEF', 'a physical name of the app')
    await t.rejects(resolveTableName('sesions', AWS, env), {
      name: 'SessionConfigError',
      message: /^ARC_SESSION_TABLE_NAME: no table of this app is called 'sesions' \(its tables: sessions \(MyAppProduction-SessionsTable-1ABC\), notes/,
    })
  })
  t.strictSame(requests, [], 'SSM was not asked')
  t.notOk(
    Object.keys(require.cache).some((file) => file.includes(`${path.sep}client-ssm${path.sep}`)),
    'and the SSM client was never loaded',
  )
  const sandboxEnv = { ARC_APP_NAME: 'my-app', ARC_ENV: 'testing', ARC_TABLE_NAMES: '{"sessions":"from-the-variable"}' }
  const discovered = reader([{ name: '/MyAppTesting/tables/sessions', value: 'from-discovery' }])
  t.equal(await resolveTableName('sessions', SANDBOX, sandboxEnv, discovered), 'from-the-variable', 'the variable wins under the Sandbox too')
})

t.test('a malformed ARC_TABLE_NAMES is a configuration error that names it', async (t) => {
  for (const broken of ['sessions', '["sessions"]', 'null', '{"sessions":""}', '{"sessions":{"Ref":"SessionsTable"}}']) {
    const error = await resolveTableName('sessions', AWS, { ...DEPLOYED, ARC_TABLE_NAMES: broken }, reader([])).then(() => undefined, (e: unknown) => e)
    t.type(error, SessionConfigError, broken)
    t.equal((error as SessionConfigError).variable, 'ARC_TABLE_NAMES')
  }
  t.equal(
    await resolveTableName('sessions', AWS, { ...DEPLOYED, ARC_TABLE_NAMES: '' }, reader([{ name: '/MyAppProduction/tables/sessions', value: 'found-by-ssm' }])),
    'found-by-ssm',
    'an empty variable is no variable',
  )
})

t.test('stack names match @architect/utils toLogicalID', async (t) => {
  t.equal(toLogicalId('arc-sessions-ts-testing'), 'ArcSessionsTsTesting')
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$/), fc.constantFrom('testing', 'staging', 'production'), (app, env) => {
      const name = `${app}-${env}`
      return toLogicalId(name) === toLogicalID(name)
    }),
    { numRuns: 2000 },
  )
})

t.test('a logical name resolves to the physical table published under /<stack>/tables', async (t) => {
  const paths: string[] = []
  const params = [
    { name: '/MyAppTesting/tables/sessions', value: 'my-app-staging-sessions' },
    { name: '/MyAppTesting/tables/notes', value: 'my-app-staging-notes' },
  ]
  const env = { ARC_APP_NAME: 'my-app', ARC_ENV: 'testing', ARC_STACK_NAME: 'MyAppProduction' }
  t.equal(await resolveTableName('sessions', SANDBOX, env, reader(params, paths)), 'my-app-staging-sessions')
  t.equal(await resolveTableName('my-app-staging-notes', SANDBOX, env, reader(params, paths)), 'my-app-staging-notes', 'a physical name')
  t.strictSame(paths, ['/MyAppTesting/tables', '/MyAppTesting/tables'], 'under the Sandbox: the app and ARC_ENV, whatever ARC_STACK_NAME says')
})

t.test('deployed, the path is ARC_STACK_NAME', async (t) => {
  const paths: string[] = []
  const params = [{ name: '/MyAppProduction/tables/sessions', value: 'MyAppProduction-SessionsTable-1ABC' }]
  const env = { ARC_APP_NAME: 'my-app', ARC_ENV: 'production', ARC_STACK_NAME: 'MyAppProduction' }
  t.equal(await resolveTableName('sessions', AWS, env, reader(params, paths)), 'MyAppProduction-SessionsTable-1ABC')
  t.strictSame(paths, ['/MyAppProduction/tables'])
  const noStack = { ARC_APP_NAME: 'my-app', ARC_ENV: 'production' }
  t.equal(await resolveTableName('sessions', AWS, noStack, reader(params, paths)), 'MyAppProduction-SessionsTable-1ABC', 'or the app and env')
})

t.test('an unknown table is a configuration error that names the variable and the tables there are', async (t) => {
  const params = [{ name: '/MyAppTesting/tables/sessions', value: 'my-app-staging-sessions' }]
  const env = { ARC_APP_NAME: 'my-app', ARC_ENV: 'testing' }
  const error = await resolveTableName('sesions', SANDBOX, env, reader(params)).then(() => undefined, (e: unknown) => e)
  t.type(error, SessionConfigError)
  t.equal((error as SessionConfigError).variable, 'ARC_SESSION_TABLE_NAME')
  t.match((error as Error).message, /'sesions'.*sessions \(my-app-staging-sessions\)/)
  await t.rejects(resolveTableName('sessions', SANDBOX, env, reader([])), { name: 'SessionConfigError', message: /its tables: none/ })
  await t.rejects(resolveTableName('sessions', SANDBOX, { ARC_ENV: 'testing' }, reader(params)), { name: 'SessionConfigError', message: /^ARC_APP_NAME/ })
})

t.test('the Sandbox not answering is "unavailable", not a crash', async (t) => {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  const target = { kind: 'sandbox', ports: { tables: 1, internal: port } } as const
  await t.rejects(resolveTableName('sessions', target, { ARC_APP_NAME: 'my-app', ARC_ENV: 'testing' }), SessionStoreUnavailableError)
})

t.test('deployed without ARC_TABLE_NAMES, the fallback: real SSM calls (to a stand-in endpoint), following pages', async (t) => {
  let throttle = false
  const { requests, sdkEnv } = await ssmStandIn(t, (body) => {
    if (throttle) return { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }
    const page = body.NextToken
      ? { Parameters: [{ Name: '/MyAppProduction/tables/sessions', Value: 'MyAppProduction-SessionsTable-1ABC' }] }
      : { Parameters: [{ Name: '/MyAppProduction/tables/notes', Value: 'MyAppProduction-NotesTable-2DEF' }], NextToken: 'page-2' }
    return { status: 200, body: page }
  })
  const env = DEPLOYED
  await withEnv(sdkEnv, async () => {
    t.equal(await resolveTableName('sessions', AWS, env), 'MyAppProduction-SessionsTable-1ABC', 'found on the second page')
    t.strictSame(
      requests.map((r) => [r.target, r.body.Path, r.body.Recursive, r.body.NextToken]),
      [
        ['AmazonSSM.GetParametersByPath', '/MyAppProduction/tables', true, undefined],
        ['AmazonSSM.GetParametersByPath', '/MyAppProduction/tables', true, 'page-2'],
      ],
    )
    throttle = true
    const error = await resolveTableName('sessions', AWS, env).then(() => undefined, (e: unknown) => e)
    t.type(error, SessionStoreUnavailableError, 'SSM throttling is "try again", not a configuration error')
    t.equal(((error as Error).cause as Error).name, 'ThrottlingException')
  })
})
