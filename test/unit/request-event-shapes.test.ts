/**
 * Events that are not the tidy fixtures of http-request.test.ts: which payload a hand-made or
 * partial event is read as, the fallbacks for fields it leaves out, the values of the wrong type
 * it is stripped of, and what `req.body` is once middleware assigns it.
 */
import t from 'tap'
import { http, type SessionRequest } from '../../src/shared/session'
import { parseRequest } from '../../src/shared/session/lambda/request'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { v1Event, v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'event-shapes-test-secret-0123456789ab' }

const parse = (event: Record<string, unknown>) => parseRequest(event as never)

async function call(lambda: unknown, event: Record<string, unknown>): Promise<Record<string, unknown>> {
  return withEnv(ENV, async () => {
    resetConfig()
    return (lambda as (event: never) => Promise<Record<string, unknown>>)(structuredClone(event) as never)
  })
}

t.test('a REST event without a version field is payload 1.0: it has httpMethod, and is answered in 1.0 shape', async (t) => {
  const event = v1Event('POST')
  Reflect.deleteProperty(event, 'version')
  const req = parse(event)
  t.equal(req.version, '1.0')
  t.equal(req.method, 'POST')
  t.equal(req.routeKey, 'POST /')
  const result = await call(
    http(async () => ({ session: { n: 1 }, location: '/' })),
    event,
  )
  t.equal(result['statusCode'], 303)
  t.equal(result['cookies'], undefined, 'no 2.0 cookies array')
  t.match((result['multiValueHeaders'] as Record<string, string[]>)['set-cookie']?.[0], /^_idx=/)
})

t.test("an event saying version '1.0' is payload 1.0 even without httpMethod", async (t) => {
  const req = parse({ version: '1.0', resource: '/notes', path: '/notes', rawPath: '/elsewhere' })
  t.equal(req.version, '1.0')
  t.equal(req.path, '/notes', '1.0 reads path, not rawPath')
  t.equal(req.resource, '/notes')
})

t.test("an event saying version '2.0' is payload 2.0 even with an httpMethod", async (t) => {
  const req = parse({ ...v2Event('GET'), httpMethod: 'DELETE', path: '/elsewhere' })
  t.equal(req.version, '2.0')
  t.equal(req.method, 'GET', 'the method of requestContext.http')
  t.equal(req.path, '/')
})

t.test('a 2.0 event without rawPath takes its path from requestContext.http', async (t) => {
  const req = parse({ version: '2.0', routeKey: 'GET /a/{b}', requestContext: { http: { method: 'GET', path: '/a/b' } } })
  t.equal(req.path, '/a/b')
  t.equal(req.resource, '/a/{b}')
})

t.test('an event with no method anywhere gets an empty method, not a made-up one', async (t) => {
  const req = parse({ version: '2.0', rawPath: '/' })
  t.equal(req.method, '')
  t.equal(req.httpMethod, '')
  t.equal(req.routeKey, '')
})

t.test('values of the wrong type in an event are left out of the maps and lists a handler gets', async (t) => {
  const v2 = parse({
    ...v2Event('GET'),
    cookies: ['a=1', 7, null, 'b=2'],
    pathParameters: { id: '7', n: 3 },
    stageVariables: { stage: 'beta', flag: true, none: null },
  })
  t.strictSame(v2.cookies, ['a=1', 'b=2'])
  t.strictSame(v2.params, { id: '7' })
  t.strictSame(v2.stageVariables, { stage: 'beta' })
  const v1 = parse({ ...v1Event('GET'), multiValueQueryStringParameters: { tag: ['tea', null, 'cake', 5], q: null, page: 'one' } })
  t.strictSame(v1.multiValueQueryStringParameters, { tag: ['tea', 'cake'] })
})

t.test('a Cookie header with empty pairs (";;", a trailing ";") gives only the cookies in it', async (t) => {
  const v1 = parse({ ...v1Event('GET'), headers: { Cookie: 'a=1;; b=2; ' }, multiValueHeaders: null })
  t.strictSame(v1.cookies, ['a=1', 'b=2'])
  const v2 = v2Event('GET', { cookie: '; theme=dark;;lang=fr;' })
  Reflect.deleteProperty(v2, 'cookies')
  t.strictSame(parse(v2).cookies, ['theme=dark', 'lang=fr'])
})

t.test('a request passed on as a copy ({ ...req }) keeps its body, parsed', async (t) => {
  const event = v2Event('POST', { 'content-type': 'application/json' }, '{"title":"Tea"}')
  t.strictSame(Object.keys(parse(event)).includes('body'), true, 'body is an own enumerable key')
  let seen: unknown
  const lambda = http(
    async (req: SessionRequest) => ({ ...req }),
    async (req: SessionRequest) => ((seen = req.body), { json: {} }),
  )
  await call(lambda, event)
  t.strictSame(seen, { title: 'Tea' })
})

t.test('a body middleware assigns is an ordinary property: assigned again, copied, deleted like any other', async (t) => {
  const event = v2Event('POST', { 'content-type': 'application/json' }, '{"title":"Tea"}')
  const req = parse(event)
  req.body = { first: true }
  req.body = { second: true }
  t.strictSame(Object.getOwnPropertyDescriptor(req, 'body'), { value: { second: true }, writable: true, enumerable: true, configurable: true })
  t.strictSame({ ...req }.body, { second: true })
  t.equal(Reflect.deleteProperty(req, 'body'), true)
  t.equal('body' in req, false)
})
