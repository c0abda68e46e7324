/**
 * What the adapter answers before or instead of a handler's page: a cross-site write refused, a
 * cookie Domain that cannot cover the request's host, a failure whose "Try again" depends on the
 * method of either payload; and a payload 1.0 answer that has nothing for multiValueHeaders.
 */
import t from 'tap'
import { http, type ErrorPageContent, type HttpResult, type SessionHandler } from '../../src/shared/session'
import { SessionStoreUnavailableError } from '../../src/shared/session/core/errors'
import { resetConfig, resetLogRates } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole } from '../helpers/lambda-event'
import { generatedSecret } from '../helpers/secrets'
import { v1Event, v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: generatedSecret() }
/** The renderer shows the page's content as JSON, so that a test reads what the page says. */
const errorPage = (page: ErrorPageContent) => JSON.stringify(page)

async function call(handler: SessionHandler, event: Record<string, unknown>, env: Record<string, string | undefined> = {}): Promise<{ result: HttpResult; lines: string[] }> {
  return withEnv({ ...ENV, ...env }, async () => {
    resetConfig()
    resetLogRates()
    const logs = captureConsole(t)
    try {
      return { result: await http(handler, { errorPage })(structuredClone(event) as never), lines: logs.lines }
    } finally {
      logs.restore()
      resetConfig()
    }
  })
}

const content = (result: HttpResult) => JSON.parse(result.body) as unknown
const never: SessionHandler = async () => ({ html: 'never' })

t.test('a cross-site write is refused with a 403 page that says it came from another site and changed nothing', async (t) => {
  const { result } = await call(never, v2Event('POST', { origin: 'https://evil.example' }))
  t.equal(result.statusCode, 403)
  t.strictSame(content(result), {
    statusCode: 403,
    title: 'Refused',
    message: 'This request came from another site, so it was not carried out. Nothing was changed.',
    action: { href: '/', label: 'Back to the start' },
  })
})

t.test('a cookie Domain that does not cover the host: a 500 "Not configured" page, the handler never run, the host in the log', async (t) => {
  let ran = false
  const handler: SessionHandler = async () => ((ran = true), { html: 'ran' })
  const { result, lines } = await call(handler, v2Event('GET'), { ARC_SESSION_DOMAIN: 'example.org' })
  t.equal(ran, false, 'the handler did not run')
  t.equal(result.statusCode, 500)
  t.strictSame(content(result), { statusCode: 500, title: 'Not configured', message: 'Sessions are not configured on this server. The log says how to fix it.' })
  t.equal(result.cookies, undefined, 'no cookie the browser would refuse')
  t.strictSame(lines, [
    "[session] configuration error: ARC_SESSION_DOMAIN: 'example.org' does not cover the host k2x9.execute-api.eu-west-1.amazonaws.com, so browsers would refuse the cookie; set it to that host or a parent domain of it, or leave it unset",
  ])
})

t.test('a failed GET is tried again by reloading it, whichever payload named the method', async (t) => {
  const failing: SessionHandler = async () => {
    throw new SessionStoreUnavailableError('DynamoDB GetItem failed')
  }
  for (const [name, event] of [['payload 2.0', v2Event('GET')], ['payload 1.0', v1Event('GET')]] as const) {
    const { result } = await call(failing, event)
    t.equal(result.statusCode, 503, name)
    t.strictSame((content(result) as ErrorPageContent).action, { href: '', label: 'Try again' }, `${name}: reload the page`)
  }
  const { result } = await call(failing, v1Event('POST'))
  t.strictSame((content(result) as ErrorPageContent).action, { href: '/', label: 'Try again' }, 'a payload 1.0 POST: from the start')
})

t.test('payload 1.0: an answer without cookies or multi-value headers has no multiValueHeaders at all', async (t) => {
  const { result } = await call(async () => ({ text: 'plain' }), v1Event('GET'))
  t.equal(result.statusCode, 200)
  t.equal(result.body, 'plain')
  t.strictSame(Object.keys(result).sort(), ['body', 'headers', 'statusCode'])
})
