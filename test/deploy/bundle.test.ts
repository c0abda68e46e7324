/**
 * The functions as `arc deploy` builds them, run in fresh processes with what Lambda would give
 * them (the template's variables, the role's credentials in the environment), their AWS endpoints
 * moved to a local DynamoDB and a stand-in SSM:
 * - each function carries the parts of the AWS SDK it uses in its own folder (esbuild.config.js),
 *   so it loads nothing from node_modules or the Lambda runtime's SDK;
 * - in DynamoDB mode it finds its table in ARC_TABLE_NAMES, without asking SSM, and falls back to
 *   SSM only when that variable is missing;
 * - its DynamoDB client comes with a V8 code cache for this Node and for Lambda's flags, which it
 *   uses, reading nothing else new; one that does not fit is not used, and one line says so;
 * - in JWE mode it never reads the SDK's files;
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cachedDataVersionTag } from 'node:v8'
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { runBuiltFunction } from '../helpers/built-function'
import { startDynalite } from '../helpers/dynamodb'
import { countOnPage } from '../helpers/http-client'
import { lambdaEvent, sessionSetCookie } from '../helpers/lambda-event'
import { functionsByFolder, packageApp, resolveValue } from '../helpers/sam'
import { generatedSecret } from '../helpers/secrets'

const STACK = 'ArcSessionsTsProduction'
const TABLE = `${STACK}-SessionsTable-1TEST`
const SECRET = generatedSecret()
/** The V8 flag of Lambda's Node bootstrap that changes V8's tag (src/shared/session/build/aws-sdk-parts.js). */
const LAMBDA_FLAGS = ['--expose-gc']
const tagUnder = (flags: string[]) => spawnSync(process.execPath, [...flags, '-p', "require('node:v8').cachedDataVersionTag()"], { encoding: 'utf8' }).stdout.trim()
const CACHE = (tag: string | number) => path.join('aws-sdk', `client-dynamodb.js.${tag}.v8cache`)

t.test('built for production', async (t) => {
  const { template } = await packageApp('production')
  const functions = functionsByFolder(template)
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
      ARC_APP_SECRET: SECRET,
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

  t.test("every function carries its DynamoDB client's code caches, for this Node and for Lambda's flags, and event streams apart", async (t) => {
    const tags = [String(cachedDataVersionTag()), tagUnder(LAMBDA_FLAGS)]
    t.not(tags[0], tags[1], 'two tags')
    for (const folder of functions.keys()) {
      const files = readdirSync(path.join(functions.get(folder)!.CodeUri, 'aws-sdk')).sort()
      t.strictSame(
        files.filter((name) => name.endsWith('.v8cache')),
        tags.map((tag) => path.basename(CACHE(tag))).sort(),
        `${folder}: one cache per tag`,
      )
      t.ok(files.includes('event-streams.js'), `${folder}: event streams in a file of their own`)
      const part = readFileSync(path.join(functions.get(folder)!.CodeUri, 'aws-sdk', 'client-dynamodb.js'), 'utf8')
      t.notMatch(part, /require\("node:zlib"\)/, `${folder}: the DynamoDB client does not load node:zlib`)
      t.notMatch(part, /__esm\(/, `${folder}: nor wraps modules for lazy initialisation`)
      t.notMatch(part, /require\("(node:)?fs\/promises"\)/, `${folder}: reads ~/.aws with node:fs, not the module graph of node:fs/promises`)
      t.notMatch(part, /typeof crypto\b/, `${folder}: its UUIDs from node:crypto, not web crypto`)
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
      t.strictSame(
        run.read.map((file) => path.relative(folder, file)),
        ['index.js', CACHE(cachedDataVersionTag()), path.join('aws-sdk', 'client-dynamodb.js')],
        "and read nothing else but the client's code cache for this Node",
      )
      t.equal(run.stderr, '', 'the cache was used: nothing logged')
      t.strictSame(run.required.filter((name) => name.startsWith('@aws-sdk/')), [], "no '@aws-sdk/' module was required")
      t.strictSame(
        run.builtins.filter((name) => /^(https|tls|_tls_wrap)$|webstreams/.test(name)),
        [],
        'an http:// endpoint loads neither node:https (nor TLS) nor web streams',
      )
    }
    t.strictSame(ssmCalls, [], 'SSM was not asked')
  })

  t.test('an https:// endpoint is spoken to over TLS: node:https is loaded when the client needs it', async (t) => {
    // Not a DynamoDB: a TCP server that records what the client sends first and hangs up.
    const firstBytes: number[] = []
    const tcp = net.createServer((socket) => socket.once('data', (chunk: Buffer) => { firstBytes.push(chunk[0]!); socket.destroy() }))
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
    t.teardown(() => tcp.close())
    const env = { ...lambdaEnv('post-count', 'sessions'), AWS_ENDPOINT_URL_DYNAMODB: `https://127.0.0.1:${(tcp.address() as AddressInfo).port}` }
    const run = await runBuiltFunction(bundle('post-count'), env, [count])
    t.equal(run.answers[0]?.statusCode, 503, 'the store did not answer: the page says to try again')
    t.ok(firstBytes.length > 0, 'the client connected')
    t.strictSame([...new Set(firstBytes)], [0x16], 'every connection opened with a TLS handshake record')
    t.equal(run.builtins.includes('https'), true, 'node:https was loaded')
  })

  t.test("with Lambda's flags, the cache made for them; without it, one line per cold start names both tags", async (t) => {
    const lambda = await runBuiltFunction(bundle('get-index'), lambdaEnv('get-index', 'sessions'), [lambdaEvent()], 'exit', LAMBDA_FLAGS)
    t.equal(lambda.answers[0]?.statusCode, 200, lambda.stderr)
    const folder = path.dirname(bundle('get-index'))
    t.strictSame(
      lambda.read.map((file) => path.relative(folder, file)),
      ['index.js', CACHE(tagUnder(LAMBDA_FLAGS)), path.join('aws-sdk', 'client-dynamodb.js')],
      "it read the cache made for Lambda's flags",
    )
    t.equal(lambda.stderr, '', 'and used it: nothing logged')
    t.notOk(lambda.required.includes('node:v8'), 'without loading node:v8, which these flags make costly')

    // As after an automatic runtime update: the function's Node has a tag the build made no cache for.
    const copy = mkdtempSync(path.join(tmpdir(), 'function-'))
    t.teardown(() => rmSync(copy, { recursive: true, force: true }))
    cpSync(folder, copy, { recursive: true })
    rmSync(path.join(copy, CACHE(tagUnder(LAMBDA_FLAGS))))
    const updated = await runBuiltFunction(path.join(copy, 'index.js'), lambdaEnv('get-index', 'sessions'), [lambdaEvent()], 'exit', LAMBDA_FLAGS)
    t.equal(updated.answers[0]?.statusCode, 200, 'it still answers')
    const lines = updated.stderr.trimEnd().split('\n')
    t.equal(lines.length, 1, 'with one line')
    t.match(lines[0], `the build made no cache for node --expose-gc; this Node's V8 tag is ${tagUnder(LAMBDA_FLAGS)}, the build's caches are for V8 tags ${cachedDataVersionTag()}`)
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

  t.test('under the Sandbox too, the code cache made at build time, and no compile cache of Node\'s own', async (t) => {
    // The Sandbox (here running the deployed stage's code) names its ports; ARC_TABLE_NAMES and AWS_ENDPOINT_URL_DYNAMODB still decide.
    const sandbox = { ...lambdaEnv('get-index', 'sessions'), ARC_SANDBOX: JSON.stringify({ ports: { tables: dynamoDbPort, _arc: (ssm.address() as AddressInfo).port } }) }
    // Ended by a signal once it has answered, as the Sandbox ends it.
    const local = await runBuiltFunction(bundle('get-index'), sandbox, [lambdaEvent()], 'signal')
    t.equal(local.answers[0]?.statusCode, 200, local.stderr)
    t.ok(local.read.some((file) => file.endsWith(CACHE(cachedDataVersionTag()))), 'the code cache was read')
    t.equal(local.stderr, '', 'and used')
    t.equal(local.compileCacheDir, undefined, "Node's compile cache: off")
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
    t.strictSame(run.read.map((file) => path.basename(file)), ['index.js'], 'nor reads any other file (no code cache)')
    t.notOk(run.required.includes('node:vm'), 'nor loads the code-cache loader')
  })
})

