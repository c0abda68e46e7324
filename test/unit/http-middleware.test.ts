/**
 * `http(fn1, fn2, ..., options?)` as `arc.http` runs async middleware (docs/sessions.md): a
 * function returns a response to stop, or the request (or nothing) to pass on; options come last;
 * mistakes in the arguments fail when the handler is made, never on a request.
 */
import t from 'tap'
import arc from '@architect/functions'
import { http, type SessionRequest } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'middleware-test-secret-0123456789abcd' }
type Lambda = (event: never) => Promise<Record<string, unknown>>
/** arc's own types cannot take these functions under strict (their overloads): called untyped. */
const arcHttp = arc.http as unknown as (...fns: unknown[]) => Lambda

async function call(lambda: unknown, event: Record<string, unknown> = v2Event('GET')): Promise<Record<string, unknown>> {
  return withEnv(ENV, async () => {
    resetConfig()
    return (lambda as Lambda)(structuredClone(event) as never)
  })
}

const signedIn = async (req: SessionRequest) => (req.session['user'] ? req : { status: 403, html: 'Sign in first' })
const greet = async (req: SessionRequest) => ({ json: { hello: req.session['user'] ?? null } })

t.test('a function that answers stops the chain, as arc', async (t) => {
  let ran = false
  const last = async () => ((ran = true), { html: 'never' })
  const ours = await call(http(signedIn, last))
  const theirs = await call(arcHttp(signedIn, last))
  t.equal(ours['statusCode'], 403)
  t.equal(ours['body'], 'Sign in first')
  t.equal(ran, false, 'the next function did not run')
  t.equal(theirs['statusCode'], 403)
  t.equal(theirs['body'], 'Sign in first')
  const addUser = async (req: SessionRequest) => ({ ...req, session: { user: 'ada' } })
  const through = await call(http(addUser, signedIn, last))
  t.equal(through['body'], 'never', 'a function that passes lets the last one answer')
  t.equal(ran, true)
})

t.test('a function that returns the request, changed, passes it on', async (t) => {
  const addUser = async (req: SessionRequest) => ({ ...req, session: { ...req.session, user: 'ada' } })
  const ours = await call(http(addUser, signedIn, greet))
  const theirs = await call(arcHttp(addUser, signedIn, greet))
  t.equal(ours['statusCode'], 200)
  t.equal(ours['body'], '{"hello":"ada"}')
  t.equal(theirs['body'], ours['body'], 'as arc')
})

t.test('a function that returns nothing passes the request on, as arc', async (t) => {
  const seen: string[] = []
  const log = async (req: SessionRequest) => void seen.push(req.path)
  const ours = await call(http(log, greet))
  t.strictSame(seen, ['/'])
  t.equal(ours['body'], '{"hello":null}')
})

t.test('no function answering: an empty 200, as arc answers an HTTP API request', async (t) => {
  const pass = async (req: SessionRequest) => req
  const ours = await call(http(pass, pass))
  const theirs = await call(arcHttp(pass, pass))
  t.equal(ours['statusCode'], 200)
  t.equal(ours['body'], '')
  t.equal((ours['headers'] as Record<string, string>)['content-type'], 'application/json; charset=utf-8')
  t.equal(theirs['statusCode'], 200)
  t.equal(theirs['body'], '')
  t.equal((theirs['headers'] as Record<string, string>)['content-type'], 'application/json; charset=utf8', 'arc spells it utf8')
})

t.test('the session a function returns is written, whichever function it is', async (t) => {
  const early = async () => ({ session: { user: 'ada' }, location: '/' })
  const result = await call(http(early, greet), v2Event('POST'))
  t.equal(result['statusCode'], 303)
  t.match((result['cookies'] as string[])[0], /^_idx=/)
})

t.test('each function gets the Lambda context, as arc gives it', async (t) => {
  let got: unknown
  const lambda = http(async (_req, context) => ((got = context.awsRequestId), { html: 'x' }))
  await withEnv(ENV, () => lambda(v2Event('GET') as never, { awsRequestId: 'req-1' } as never))
  t.equal(got, 'req-1')
})

t.test('options come last: allowCrossSite', async (t) => {
  const crossSite = v2Event('POST', { origin: 'https://other.example', 'sec-fetch-site': 'cross-site' })
  const refused = await call(http(greet), crossSite)
  t.equal(refused['statusCode'], 403)
  const allowed = await call(http(signedIn, greet, { allowCrossSite: true }), { ...crossSite, cookies: [] })
  t.equal(allowed['statusCode'], 403, 'the chain ran: signedIn answered')
  t.equal(allowed['body'], 'Sign in first')
  const off = await call(http(greet, { allowCrossSite: false }), crossSite)
  t.equal(off['statusCode'], 403, 'false is the default: refused')
})

t.test('mistakes in the arguments are thrown when the handler is made', async (t) => {
  const make = (...args: unknown[]) => () => (http as (...a: unknown[]) => unknown)(...args)
  t.throws(make(), { name: 'TypeError', message: 'http() needs at least one handler function' })
  t.throws(make({ allowCrossSite: true }), { message: 'http() needs at least one handler function' })
  t.throws(make(greet, 'greet'), { message: 'http(): argument 2 is a string, not a function (an options object may only come last)' })
  t.throws(make(greet, null, greet), { message: 'http(): argument 2 is null, not a function (an options object may only come last)' })
  t.throws(make(greet, { allowCrossSit: true }), { message: 'http(): unknown option "allowCrossSit" (options: allowCrossSite, clock, errorPage)' })
  t.throws(make(greet, { allowCrossSite: 'yes' }), { message: 'http(): allowCrossSite must be true or false' })
  t.throws(make(greet, { errorPage: '<h1>' }), { message: 'http(): errorPage must be a function (content) => html' })
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  function callbackStyle(_req: unknown, res: (r: unknown) => void, _next: () => void) {
    res({ html: 'x' })
  }
  t.throws(make(callbackStyle), {
    message: "http(): function 1 takes 3 parameters, like arc's callback style (req, res, next), which this adapter does not run: make it async and return the response",
  })
})
