/**
 * Problems that anyone outside can cause at will log at a bounded rate (core/log.ts): one line per
 * kind per minute per process, the next one saying how many were left out.
 */
import t from 'tap'
import { logRateLimited, RATE_WINDOW_MS } from '../../src/shared/session/core/log'
import { http } from '../../src/shared/session'
import { resetConfig, resetLogRates } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { apiGatewayEvent, captureConsole } from '../helpers/lambda-event'

const T0 = 1_800_000_000_000

t.test('one line per kind per minute, with a count of the ones left out', async (t) => {
  resetLogRates()
  const logs = captureConsole(t)
  for (let i = 0; i < 1000; i++) logRateLimited('flood', 'warn', 'refused something', T0 + i)
  logRateLimited('other', 'warn', 'another kind', T0 + 1000)
  logRateLimited('flood', 'warn', 'refused something', T0 + RATE_WINDOW_MS - 1)
  logRateLimited('flood', 'warn', 'refused something', T0 + RATE_WINDOW_MS)
  logRateLimited('flood', 'warn', 'refused something', T0 + 3 * RATE_WINDOW_MS)
  logs.restore()
  t.strictSame(logs.lines, [
    '[session] refused something',
    '[session] another kind',
    '[session] refused something (and 1000 more like it in the minute before, not logged)',
    '[session] refused something',
  ])
})

t.test('1,000 refused cross-site posts to one warm handler: one line', async (t) => {
  resetLogRates()
  const lambda = http(async () => ({ session: { count: 1 }, location: '/' }))
  const logs = captureConsole(t)
  const statuses = new Set<number | undefined>()
  await withEnv({ ...CLEAN_SESSION_ENV, ARC_ENV: 'testing' }, async () => {
    resetConfig()
    for (let i = 0; i < 1000; i++) {
      statuses.add((await lambda(apiGatewayEvent({ method: 'POST', headers: { origin: 'https://evil.example' } }))).statusCode)
    }
  })
  logs.restore()
  t.strictSame([...statuses], [403])
  t.equal(logs.lines.length, 1)
  t.match(logs.lines[0], /^\[session\] refused a cross-site request: its origin header names another site/)
})
