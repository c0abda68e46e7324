/**
 * The functions as `arc deploy` builds them, run in fresh processes with what Lambda would give
 * them (the template's variables, the role's credentials in the environment), their AWS endpoints
 * moved to a local DynamoDB and a stand-in SSM:
 * - each function carries the parts of the AWS SDK it uses in its own folder (esbuild.config.js),
 *   so it loads nothing from node_modules or the Lambda runtime's SDK;
 * - in DynamoDB mode it finds its table in ARC_TABLE_NAMES, without asking SSM, and falls back to
 *   SSM only when that variable is missing;
 * - in JWE mode it never reads the SDK's files;
 * - under the Sandbox (a process per request) it keeps what it compiles in Node's compile cache.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { runBuiltFunction } from '../helpers/built-function'
import { startDynalite } from '../helpers/dynamodb'
import { countOnPage } from '../helpers/http-client'
import { lambdaEvent, sessionSetCookie } from '../helpers/lambda-event'
import { packageApp, resolveValue, resourcesOfType, type SamFunctionProperties } from '../helpers/sam'

const STACK = 'ArcSessionsTsProduction'
const TABLE = `${STACK}-SessionsTable-1TEST`

t.test('built for production', async (t) => {
  const { template } = await packageApp('production')
  const functions = new Map(
    resourcesOfType(template, 'AWS::Serverless::Function').map(([, resource]) => {
      const props = resource.Properties as unknown as SamFunctionProperties
      return [path.basename(props.CodeUri), props] as const
    }),
  )
  const { port: dynamoDbPort } = await startDynalite(t, TABLE)

  // SSM, as the SDK speaks it: it records each call and publishes the sessions table, as deployed.
  const ssmCalls: string[] = []
  const ssm = http.createServer((req, res) => {
    ssmCalls.push(String(req.headers['x-amz-target']))
    req.resume().on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1')
      res.end(JSON.stringify({ Parameters: [{ Name: `/${STACK}/tables/sessions`, Value: TABLE }] }))
    })
  })
  await new Promise<void>((resolve) => ssm.listen(0, '127.0.0.1', resolve))
  t.teardown(() => ssm.close())

  /** The function's variables as Lambda would see them once deployed, plus what `arc env` and Lambda add. */
  function lambdaEnv(folder: string, sessions: string): Record<string, string> {
    const variables = functions.get(folder)!.Environment.Variables
    const refs = { SessionsTable: TABLE, 'AWS::StackName': STACK, Role: 'role', StaticBucket: 'static-bucket' }
    return {
      ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveValue(value, refs)])),
      ARC_SESSION_TABLE_NAME: sessions,
      ARC_APP_SECRET: 'bundle-test-secret-0123456789abcdef-xyz',
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'ASIATESTROLECREDENTIALS',
      AWS_SECRET_ACCESS_KEY: 'test-role-secret',
      AWS_SESSION_TOKEN: 'test-role-session-token',
      AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${dynamoDbPort}`,
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`,
    }
  }
  const bundle = (folder: string) => path.join(functions.get(folder)!.CodeUri, 'index.js')
  const count = lambdaEvent({ method: 'POST', path: '/count' })
  const countAgain = { ...count, headers: { ...count.headers, cookie: '{{cookie}}' } }
  const page = (cookie: string) => ({ ...lambdaEvent(), headers: { ...lambdaEvent().headers, cookie } })

  t.test('every function carries the SDK clients it uses, beside its index.js', async (t) => {
    for (const folder of functions.keys()) {
      for (const client of ['client-dynamodb', 'client-ssm']) {
        t.ok(existsSync(path.join(functions.get(folder)!.CodeUri, 'aws-sdk', `${client}.js`)), `${folder}: aws-sdk/${client}.js`)
      }
    }
  })

  t.test('DynamoDB mode: the table from ARC_TABLE_NAMES, the SDK from the function folder, no SSM call', async (t) => {
    ssmCalls.length = 0
    const counted = await runBuiltFunction(bundle('post-count'), lambdaEnv('post-count', 'sessions'), [count, countAgain])
    t.strictSame(counted.answers.map((a) => a.statusCode), [303, 303], counted.stderr)
    const cookie = /^_idx=[^;]*/.exec(String(counted.answers[1] && sessionSetCookie(counted.answers[1])))?.[0] ?? ''
    const shown = await runBuiltFunction(bundle('get-index'), lambdaEnv('get-index', 'sessions'), [page(cookie)])
    t.equal(countOnPage(String(shown.answers[0]?.body)), 2, 'the count was kept in DynamoDB and read back')
    for (const run of [counted, shown]) {
      const folder = path.dirname(run.files[0] ?? '')
      t.strictSame(
        run.files.map((file) => path.relative(folder, file)),
        ['index.js', path.join('aws-sdk', 'client-dynamodb.js')],
        'it loaded its own files only: index.js, then the DynamoDB client beside it',
      )
      t.strictSame(run.required.filter((name) => name.startsWith('@aws-sdk/')), [], "no '@aws-sdk/' module was required")
    }
    t.strictSame(ssmCalls, [], 'SSM was not asked')
  })

  t.test('DynamoDB mode without ARC_TABLE_NAMES: service discovery through SSM, still from the function folder', async (t) => {
    ssmCalls.length = 0
    const withoutNames = lambdaEnv('post-count', 'sessions')
    delete withoutNames['ARC_TABLE_NAMES']
    const run = await runBuiltFunction(bundle('post-count'), withoutNames, [count])
    t.equal(run.answers[0]?.statusCode, 303, run.stderr)
    t.strictSame(ssmCalls, ['AmazonSSM.GetParametersByPath'], 'SSM was asked for the tables')
    t.ok(run.files.some((file) => file.endsWith(path.join('aws-sdk', 'client-ssm.js'))), "with the SSM client from the function's folder")
    t.strictSame(run.required.filter((name) => name.startsWith('@aws-sdk/')), [], "no '@aws-sdk/' module was required")
  })

  t.test("under the Sandbox, Node's compile cache keeps what DynamoDB mode compiles; deployed, none", async (t) => {
    t.ok(readFileSync(bundle('get-index'), 'utf8').startsWith('"use strict";'), 'the bundle is still strict code: "use strict" comes first')
    // Node's default place for the cache is under os.tmpdir(), which TMPDIR moves.
    const cache = mkdtempSync(path.join(tmpdir(), 'compile-cache-'))
    t.teardown(() => rmSync(cache, { recursive: true, force: true }))
    const deployed = { ...lambdaEnv('get-index', 'sessions'), TMPDIR: cache }
    // The Sandbox (here running the deployed stage's code) names its ports; ARC_TABLE_NAMES and AWS_ENDPOINT_URL_DYNAMODB still decide.
    const sandbox = { ...deployed, ARC_SANDBOX: JSON.stringify({ ports: { tables: dynamoDbPort, _arc: (ssm.address() as AddressInfo).port } }) }
    // Ended by a signal once it has answered, as the Sandbox ends it: Node's own write at exit never comes.
    const local = await runBuiltFunction(bundle('get-index'), sandbox, [lambdaEvent()], 'signal')
    t.equal(local.answers[0]?.statusCode, 200, local.stderr)
    t.match(local.compileCacheDir, cache, 'under the Sandbox: on')
    t.ok(readdirSync(local.compileCacheDir ?? cache, { recursive: true }).length > 0, 'and written before the process was ended')
    const remote = await runBuiltFunction(bundle('get-index'), deployed, [lambdaEvent()])
    t.equal(remote.answers[0]?.statusCode, 200, remote.stderr)
    t.equal(remote.compileCacheDir, undefined, 'deployed: off')
  })

  t.test("no Sandbox-only code: live reload's policy is in the Sandbox's bundles only", async (t) => {
    for (const folder of functions.keys()) {
      const code = readFileSync(bundle(folder), 'utf8')
      // The module src/shared/session/dev/live-reload.ts reads the Sandbox's script from.
      t.notOk(code.includes('invoke-http/utils/livereload'), `${folder}: not the live-reload code`)
      t.ok(code.includes('__SESSION_SANDBOX_DEV__'), `${folder}: only the check that finds it absent`)
    }
  })

  t.test("JWE mode: the SDK's files are not even read", async (t) => {
    const run = await runBuiltFunction(bundle('post-count'), lambdaEnv('post-count', 'jwe'), [count, countAgain])
    t.strictSame(run.answers.map((a) => a.statusCode), [303, 303], run.stderr)
    t.strictSame(run.files.map((file) => path.basename(file)), ['index.js'], 'index.js and nothing else')
  })
})

