/**
 * Finding the sessions table the way Architect does (contract A4): the SSM path, logical and
 * physical names, and a clear error naming ARC_SESSION_TABLE_NAME when there is no such table.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import fc from 'fast-check'
import { SessionConfigError, SessionStoreUnavailableError } from '../../src/shared/session/errors'
import { resolveTableName, toLogicalId, type Parameter } from '../../src/shared/session/table-discovery'
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
  t.same(paths, ['/MyAppTesting/tables', '/MyAppTesting/tables'], 'under the Sandbox: the app and ARC_ENV, whatever ARC_STACK_NAME says')
})

t.test('deployed, the path is ARC_STACK_NAME', async (t) => {
  const paths: string[] = []
  const params = [{ name: '/MyAppProduction/tables/sessions', value: 'MyAppProduction-SessionsTable-1ABC' }]
  const env = { ARC_APP_NAME: 'my-app', ARC_ENV: 'production', ARC_STACK_NAME: 'MyAppProduction' }
  t.equal(await resolveTableName('sessions', AWS, env, reader(params, paths)), 'MyAppProduction-SessionsTable-1ABC')
  t.same(paths, ['/MyAppProduction/tables'])
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

t.test('deployed: real SSM calls (to a stand-in endpoint), following pages', async (t) => {
  const requests: { target: string; body: { Path?: string; NextToken?: string; Recursive?: boolean } }[] = []
  let throttle = false
  const ssm = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof requests)[number]['body']
      requests.push({ target: String(req.headers['x-amz-target']), body })
      res.setHeader('content-type', 'application/x-amz-json-1.1')
      if (throttle) {
        res.statusCode = 400
        res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }))
        return
      }
      const page = body.NextToken
        ? { Parameters: [{ Name: '/MyAppProduction/tables/sessions', Value: 'MyAppProduction-SessionsTable-1ABC' }] }
        : { Parameters: [{ Name: '/MyAppProduction/tables/notes', Value: 'MyAppProduction-NotesTable-2DEF' }], NextToken: 'page-2' }
      res.end(JSON.stringify(page))
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
  const env = { ARC_APP_NAME: 'my-app', ARC_ENV: 'production', ARC_STACK_NAME: 'MyAppProduction' }
  await withEnv(sdkEnv, async () => {
    t.equal(await resolveTableName('sessions', AWS, env), 'MyAppProduction-SessionsTable-1ABC', 'found on the second page')
    t.same(
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
