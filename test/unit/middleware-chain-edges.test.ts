/**
 * The edges of `http(fn1, fn2, ..., options?)` that http-middleware.test.ts leaves out: which plain
 * (not async) functions it takes, the clock option checked at start-up, `null` passing the request
 * on, and a returned function never taken for the request.
 */
import t from 'tap'
import { http, type SessionRequest } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole } from '../helpers/lambda-event'
import { v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'chain-edges-test-secret-0123456789abcd' }
type Lambda = (event: never) => Promise<Record<string, unknown>>
const make = (...args: unknown[]) => (http as unknown as (...a: unknown[]) => Lambda)(...args)

async function call(lambda: Lambda): Promise<Record<string, unknown>> {
  return withEnv(ENV, async () => {
    resetConfig()
    return lambda(v2Event('GET') as never)
  })
}

t.test('a plain function of one parameter, or none, is a handler: its result is the response', async (t) => {
  function plain(req: SessionRequest) {
    return { json: { method: req.method } }
  }
  const one = await call(make(plain))
  t.equal(one['statusCode'], 200)
  t.equal(one['body'], '{"method":"GET"}')
  const none = await call(make(() => ({ html: 'none' })))
  t.equal(none['body'], 'none')
  const promised = await call(make((req: SessionRequest) => Promise.resolve({ text: req.path })))
  t.equal(promised['body'], '/')
})

t.test("a plain function of two parameters (req, res) is arc's callback style: refused when the handler is made", async (t) => {
  function callbackStyle(_req: unknown, res: (r: unknown) => void) {
    res({ html: 'x' })
  }
  t.throws(() => make(async (req: SessionRequest) => req, callbackStyle), {
    name: 'TypeError',
    message: "http(): function 2 takes 2 parameters, like arc's callback style (req, res, next), which this adapter does not run: make it async and return the response",
  })
  const async2 = await call(make(async (_req: SessionRequest, context: { awsRequestId?: string }) => ({ html: context.awsRequestId ?? 'no id' })))
  t.equal(async2['body'], 'no id', 'an async function of (req, context) runs')
})

t.test('a clock option that is not a function is refused when the handler is made', async (t) => {
  const greet = async () => ({ html: 'hi' })
  t.throws(() => make(greet, { clock: 1767225600000 }), { name: 'TypeError', message: 'http(): clock must be a function () => epoch milliseconds' })
  t.throws(() => make(greet, { clock: null }), { message: 'http(): clock must be a function () => epoch milliseconds' })
  const clocked = await call(make(greet, { clock: () => 1767225600000 }))
  t.equal(clocked['body'], 'hi', 'a function is taken')
})

t.test('a function that returns null passes the request on, as one that returns nothing', async (t) => {
  const seen: string[] = []
  const result = await call(
    make(
      async () => null,
      async (req: SessionRequest) => (seen.push(req.method), { html: 'second' }),
    ),
  )
  t.strictSame(seen, ['GET'])
  t.equal(result['body'], 'second')
})

t.test('a returned function is a mistake, never taken for the request, even with an httpMethod', async (t) => {
  const logs = captureConsole(t)
  let ran = false
  const result = await call(
    make(
      async (req: SessionRequest) => Object.assign(() => req, { httpMethod: req.method }),
      async () => ((ran = true), { html: 'next' }),
    ),
  )
  logs.restore()
  t.equal(ran, false, 'the next function did not run')
  t.equal(result['statusCode'], 500)
  t.match(logs.lines.join('\n'), 'the handler returned a function, which is neither a response nor JSON')
})
