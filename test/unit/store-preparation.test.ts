/**
 * DynamoDB mode prepares its store while the function initialises, when a handler is made at
 * module scope (Lambda's init phase): the SDK is loaded, the client made and the table looked up
 * before the first request, which then uses them. Service discovery is under way while the SDK
 * loads. JWE mode prepares nothing and never loads DynamoDB mode's code. A failure while
 * preparing is reported by the first request, never as a crash.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import t, { type Test } from 'tap'
import { defineSession, http as sessionHttp } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { apiGatewayEvent, captureConsole, sessionSetCookie } from '../helpers/lambda-event'

const APP = 'prep-app'
const TABLE = `${APP}-staging-sessions`
const SECRET = 'preparation-test-secret-0123456789abcdef'

/** Whether a module of the session core (or a package) is loaded in this process. */
const loaded = (name: string) => Object.keys(require.cache).some((file) => file.split(path.sep).join('/').includes(name))

/** The Sandbox's SSM look-alike, as a stand-in that records each lookup and publishes the sessions table. */
async function discoveryStandIn(t: Test): Promise<{ port: number; lookups: string[]; firstLookup: Promise<void> }> {
  const lookups: string[] = []
  let seen: () => void = () => undefined
  const firstLookup = new Promise<void>((resolve) => (seen = resolve))
  const server = http.createServer((req, res) => {
    lookups.push(String(req.url))
    seen()
    req.resume().on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ Parameters: [{ Name: '/PrepAppTesting/tables/sessions', Value: TABLE }] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return { port: (server.address() as AddressInfo).port, lookups, firstLookup }
}

function sandboxEnv(tablesPort: number, internalPort: number): Record<string, string | undefined> {
  return {
    ...CLEAN_SESSION_ENV,
    ARC_ENV: 'testing',
    ARC_APP_NAME: APP,
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: 'sessions',
    // As the Sandbox gives it: its project folder too.
    ARC_SANDBOX: JSON.stringify({ cwd: path.resolve(__dirname, '..', '..'), ports: { tables: tablesPort, _arc: internalPort } }),
  }
}

/** Required when used, not imported: the helpers load the SDK, which the first case must not find loaded. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadDynamoDbHelpers = () => require('../helpers/dynamodb') as typeof import('../helpers/dynamodb')
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSignedId = () => require('../../src/shared/session/providers/ddb/signed-id') as typeof import('../../src/shared/session/providers/ddb/signed-id')

// First, before anything here loads the SDK: JWE mode must not.
t.test("JWE mode prepares nothing: DynamoDB mode's code and the SDK stay unloaded", async (t) => {
  await withEnv({ ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: SECRET, ARC_SESSION_TABLE_NAME: 'jwe' }, async () => {
    resetConfig()
    const lambda = sessionHttp(async () => ({ session: { count: 1 }, location: '/' }))
    const answer = await lambda(apiGatewayEvent({ method: 'POST', path: '/count', headers: { 'sec-fetch-site': 'same-origin' } }))
    t.equal(answer.statusCode, 303)
  })
  for (const name of ['shared/session/providers/ddb/index.ts', 'shared/session/providers/ddb/table-name/', 'shared/session/providers/carry-over.ts', '@aws-sdk/client-dynamodb', 'node_modules/@smithy/']) {
    t.notOk(loaded(name), `${name} was not loaded`)
  }
})

t.test('DynamoDB mode: making the handler loads the SDK and looks the table up; the first request uses them', async (t) => {
  const { startDynalite } = loadDynamoDbHelpers()
  const { port: tablesPort } = await startDynalite(t, TABLE)
  const discovery = await discoveryStandIn(t)
  await withEnv(sandboxEnv(tablesPort, discovery.port), async () => {
    resetConfig()
    const lambda = sessionHttp(async (req) => ({ session: { count: Number(req.session['count'] ?? 0) + 1 }, location: '/' }))
    t.ok(loaded('shared/session/providers/ddb/index.ts') && loaded('@aws-sdk/client-dynamodb'), 'the SDK was loaded as the handler was made')
    await discovery.firstLookup
    t.strictSame(discovery.lookups, ['/_arc/ssm'], 'and the table was looked up before any request came')
    const answer = await lambda(apiGatewayEvent({ method: 'POST', path: '/count', headers: { 'sec-fetch-site': 'same-origin' } }))
    t.equal(answer.statusCode, 303)
    t.match(String(sessionSetCookie(answer)), /^_idx=[^;]+\.[^;]+;/, 'a DynamoDB session (a signed id)')
    t.strictSame(discovery.lookups, ['/_arc/ssm'], 'the request used the prepared store: no second lookup')
  })
})

t.test('a handler made from a session declaration (defineSession) prepares the same way', async (t) => {
  const { startDynalite } = loadDynamoDbHelpers()
  const { port: tablesPort } = await startDynalite(t, TABLE)
  const discovery = await discoveryStandIn(t)
  await withEnv(sandboxEnv(tablesPort, discovery.port), async () => {
    resetConfig()
    const visits = defineSession((data: unknown) => ({ n: Number((data as { n?: unknown }).n ?? 0) }))
    visits.http(async ({ session }) => ({ session: { n: session.n + 1 }, location: '/' }))
    await discovery.firstLookup
    t.strictSame(discovery.lookups, ['/_arc/ssm'], 'the table was looked up as the handler was made, before any request')
  })
})

t.test('a failure while preparing is the first DynamoDB call\'s 503, with its log line, and no crash; a cookieless request never waits on it', async (t) => {
  const { startDynalite } = loadDynamoDbHelpers()
  const { port: tablesPort } = await startDynalite(t, TABLE)
  const closed = http.createServer()
  await new Promise<void>((resolve) => closed.listen(0, 'localhost', resolve))
  const deadPort = (closed.address() as AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  t.teardown(() => void process.off('unhandledRejection', onUnhandled))
  const logs = captureConsole(t)
  await withEnv(sandboxEnv(tablesPort, deadPort), async () => {
    resetConfig()
    const lambda = sessionHttp(async () => ({ html: 'a page' }))
    const cookieless = await lambda(apiGatewayEvent())
    t.equal(cookieless.statusCode, 200, 'a cookieless GET needs no DynamoDB call, so no table')
    t.equal(cookieless.body, 'a page')
    const answer = await lambda(apiGatewayEvent({ headers: { cookie: `_idx=${encodeURIComponent(loadSignedId().signId('AnySession00000000000000', SECRET))}` } }))
    t.equal(answer.statusCode, 503)
    t.equal(answer.headers['retry-after'], '2')
  })
  logs.restore()
  t.strictSame(unhandled, [], 'no unhandled rejection')
  t.equal(logs.lines.length, 1, 'one log line')
  t.match(logs.lines[0], /^\[session\] session store unavailable: the Sandbox's service discovery on port \d+ did not answer/)
})
