/**
 * A store that could not be made is not kept (docs/dynamodb.md#start-up): when service discovery
 * fails, that request is a 503, and the next one looks the table up again and is served; once
 * made, the store is kept for every later request.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import t from 'tap'
import { http as sessionHttp } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { startDynalite } from '../helpers/dynamodb'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { apiGatewayEvent, captureConsole } from '../helpers/lambda-event'

const TABLE = 'retry-app-staging-sessions'

t.test('a failed lookup is tried again by the next request, a successful one is kept', async (t) => {
  const { port: tablesPort } = await startDynalite(t, TABLE)
  let lookups = 0
  // The Sandbox's SSM look-alike, failing its first answer.
  const discovery = http.createServer((req, res) => {
    lookups++
    req.resume().on('end', () => {
      if (lookups === 1) {
        res.statusCode = 500
        res.end('{}')
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ Parameters: [{ Name: '/RetryAppTesting/tables/sessions', Value: TABLE }] }))
    })
  })
  await new Promise<void>((resolve) => discovery.listen(0, 'localhost', resolve))
  t.teardown(() => new Promise((resolve) => discovery.close(resolve)))
  const env = {
    ...CLEAN_SESSION_ENV,
    ARC_ENV: 'testing',
    ARC_APP_NAME: 'retry-app',
    ARC_APP_SECRET: 'store-retry-test-secret-0123456789abc',
    ARC_SESSION_TABLE_NAME: 'sessions',
    ARC_SANDBOX: JSON.stringify({ cwd: path.resolve(__dirname, '..', '..'), ports: { tables: tablesPort, _arc: (discovery.address() as AddressInfo).port } }),
  }
  const logs = captureConsole(t)
  await withEnv(env, async () => {
    resetConfig()
    // A request that writes needs the store: the first one's lookup fails.
    const lambda = sessionHttp(async () => ({ session: { n: 1 }, location: '/' }))
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await lambda(apiGatewayEvent({ method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } }))).statusCode)
    t.strictSame(statuses, [503, 303, 303], 'the request after the failure is served')
    t.equal(lookups, 2, 'one failed lookup, one that worked, then the store is kept')
  })
  logs.restore()
  t.equal(logs.lines.length, 1, 'one line, for the failed request')
  t.match(logs.lines[0], /^\[session\] session store unavailable: the Sandbox's service discovery on port \d+ did not answer; is the Sandbox running\?: Error: status 500$/)
})
