/**
 * What the adapter answers for a handler's return that is not a response object: a value with its
 * own toJSON is sent as that JSON, a symbol or a bigint is refused by name (not as a JSON failure),
 * and a returned Error is its own page: a 4xx links back to the start, a 5xx does not, and the page
 * sets no cookie and is no base64.
 */
import t, { type Test } from 'tap'
import { http, NO_STORE, type HandlerResult } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import type { ErrorPageContent } from '../../src/shared/session/lambda/error-response'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole } from '../helpers/lambda-event'
import { v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'Wm4Rt8Yp2Lk6Hs0Qv3Nc7Xb1Jd5Fg9ZeAu' }
const JSON_TYPE = 'application/json; charset=utf-8'
const HTML = 'text/html; charset=utf-8'

type Lambda = (event: never) => Promise<Record<string, unknown>>

/** The error page's content as the app's renderer is given it, as the page body. */
const showContent = (page: ErrorPageContent): string => JSON.stringify(page)

/** The adapter's whole answer to a handler that returns `returned`, and every line it logged. */
async function answer(t: Test, returned: unknown): Promise<{ result: Record<string, unknown>; lines: string[] }> {
  const logs = captureConsole(t)
  try {
    const lambda = http(async () => returned as HandlerResult, { errorPage: showContent }) as unknown as Lambda
    const result = await withEnv(ENV, async () => {
      resetConfig()
      return lambda(v2Event('GET') as never)
    })
    return { result, lines: logs.lines }
  } finally {
    logs.restore()
  }
}

t.test('a value with its own toJSON (a Date, a class) is sent as that JSON, not refused', async (t) => {
  const date = await answer(t, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))
  t.strictSame(date.lines, [])
  t.strictSame(date.result, { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE, ...SECURITY_HEADERS }, body: '"2026-01-02T03:04:05.000Z"' })

  class Tea {
    toJSON(): unknown {
      return { kind: 'green' }
    }
  }
  const tea = await answer(t, new Tea())
  t.strictSame(tea.lines, [])
  t.equal(tea.result['statusCode'], 200)
  t.equal(tea.result['body'], '{"kind":"green"}')
})

t.test('a returned symbol or bigint is refused by its type, before any JSON is tried', async (t) => {
  for (const [value, type] of [[Symbol('tea'), 'symbol'], [7n, 'bigint']] as const) {
    const { result, lines } = await answer(t, value)
    t.equal(result['statusCode'], 500, type)
    t.strictSame(lines, [`[session] handler response not understood: the handler returned a ${type}, which is neither a response nor JSON`])
  }
})

t.test("a returned Error with a 4xx status: that status and its message, with a link back to the start", async (t) => {
  const { result, lines } = await answer(t, Object.assign(new Error('no such tea'), { statusCode: 404 }))
  t.strictSame(result, {
    statusCode: 404,
    headers: { 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS },
    body: JSON.stringify({ statusCode: 404, title: 'Something went wrong', message: 'no such tea', action: { href: '/', label: 'Back to the start' } }),
  })
  t.strictSame(lines, ['[session] the handler returned an error (404): Error: no such tea'])
})

t.test('a returned Error of 500 or more has no link: every page may fail the same way', async (t) => {
  for (const [error, statusCode] of [
    [new Error('kettle broke'), 500],
    [Object.assign(new Error('kettle broke'), { status: 503 }), 503],
  ] as const) {
    const { result } = await answer(t, error)
    t.strictSame(
      result,
      {
        statusCode,
        headers: { 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS },
        body: JSON.stringify({ statusCode, title: 'Something went wrong', message: 'kettle broke' }),
      },
      `${statusCode}: no action, no cookie, no base64 flag`,
    )
  }
})
