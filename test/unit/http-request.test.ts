/**
 * The request a handler gets (docs/sessions.md, "How it compares to arc.http"): every fixture of
 * both payload versions parsed into the same fields, compared with what `arc.http` 8.x gives the
 * same handler; a malformed body refused with a 4xx when the handler reads it, never a 5xx.
 */
import t from 'tap'
import arc from '@architect/functions'
import { http, type SessionRequest } from '../../src/shared/session'
import { MAX_PARSED_BODY_BYTES } from '../../src/shared/session/lambda/request-body'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole } from '../helpers/lambda-event'
import { v1Requests, v2Requests, v2Event, type ParsedFields, type RequestFixture } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'request-test-secret-0123456789abcdef' }

type Lambda = (event: never) => Promise<unknown>

/** What a handler was given, through ours or arc's adapter; each gets its own copy (arc changes it in place). */
async function seenBy(adapter: 'ours' | 'arc', event: Record<string, unknown>): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> | undefined
  const handler = async (req: SessionRequest) => {
    seen = req as unknown as Record<string, unknown>
    return { json: {} }
  }
  const lambda = (adapter === 'ours' ? http(handler) : arc.http(handler)) as unknown as Lambda
  await withEnv(ENV, async () => {
    resetConfig()
    await lambda(structuredClone(event) as never)
  })
  if (!seen) throw new Error(`${adapter}: the handler did not run`)
  return seen
}

function fieldsOf(req: Record<string, unknown>): ParsedFields {
  const names: (keyof ParsedFields)[] = ['version', 'method', 'path', 'resource', 'routeKey', 'params', 'query', 'multiValueQueryStringParameters', 'headers', 'cookies', 'body', 'isBase64Encoded']
  return Object.fromEntries(names.map((name) => [name, req[name]])) as unknown as ParsedFields
}

const ARC_FIELDS = ['method', 'path', 'resource', 'params', 'query', 'body'] as const

function checkFixtures(payload: string, fixtures: Record<string, RequestFixture>): void {
  for (const [name, fixture] of Object.entries(fixtures)) {
    t.test(`payload ${payload}, ${name}: parsed`, async (t) => {
      const ours = await seenBy('ours', fixture.event)
      t.strictSame(fieldsOf(ours), fixture.parsed)
      t.equal(ours['httpMethod'], fixture.parsed.method, 'httpMethod is method')
      t.strictSame(ours['pathParameters'], fixture.parsed.params, 'pathParameters is params')
      t.strictSame(ours['queryStringParameters'], fixture.parsed.query, 'queryStringParameters is query')
      t.strictSame(ours['session'], {}, 'a new visitor: an empty session')
      const raw = fixture.event['body']
      t.equal(ours['rawBody'], typeof raw === 'string' && raw !== '' ? raw : undefined, 'rawBody: the body as sent')
    })

    t.test(`payload ${payload}, ${name}: as arc.http gives it, but for the documented differences`, async (t) => {
      const ours = await seenBy('ours', fixture.event)
      const theirs = await seenBy('arc', fixture.event)
      // arc's form fields come from querystring.parse, an object without a prototype.
      const plain = (value: unknown): unknown => (typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : value)
      for (const field of ARC_FIELDS) {
        if (fixture.arcDiffers?.includes(field as 'body')) t.strictNotSame(plain(ours[field]), plain(theirs[field]), `${field} differs, on purpose`)
        else t.strictSame(plain(ours[field]), plain(theirs[field]), field)
      }
    })
  }
}

checkFixtures('2.0', v2Requests)
checkFixtures('1.0', v1Requests)

t.test('form field names are data, never an object prototype', async (t) => {
  const event = v2Event('POST', { 'content-type': 'application/x-www-form-urlencoded' }, '__proto__=x&constructor=y&toString=z')
  const body = (await seenBy('ours', event))['body'] as Record<string, unknown>
  t.strictSame(Object.keys(body), ['__proto__', 'constructor', 'toString'])
  t.equal(Object.getPrototypeOf(body), Object.prototype, 'the prototype is untouched')
  t.equal(Object.getOwnPropertyDescriptor(body, '__proto__')?.value, 'x')
})

t.test('a form keeps every field, past the 1000 that querystring.parse stops at', async (t) => {
  const fields = Array.from({ length: 1500 }, (_, i) => `f${i}=${i}`).join('&')
  const body = (await seenBy('ours', v2Event('POST', { 'content-type': 'application/x-www-form-urlencoded' }, fields)))['body'] as Record<string, unknown>
  t.equal(Object.keys(body).length, 1500)
  t.equal(body['f1499'], '1499')
})

t.test('a hand-made event with nulls and missing maps gets empty values, not a crash', async (t) => {
  const ours = await seenBy('ours', { version: '2.0', routeKey: 'GET /', rawPath: '/', headers: null, queryStringParameters: null, pathParameters: null, cookies: null, body: null })
  t.strictSame(fieldsOf(ours), {
    version: '2.0',
    method: 'GET',
    path: '/',
    resource: '/',
    routeKey: 'GET /',
    params: {},
    query: {},
    multiValueQueryStringParameters: {},
    headers: {},
    cookies: [],
    body: {},
    isBase64Encoded: false,
  })
  t.strictSame(ours['stageVariables'], {})
  t.strictSame(ours['requestContext'], {})
})

t.test('a header sent in two casings keeps both values', async (t) => {
  const ours = await seenBy('ours', { ...v2Event('GET'), headers: { 'X-Tag': 'a', 'x-tag': 'b', Cookie: 'a=1', cookie: 'b=2' } })
  t.strictSame(ours['headers'], { 'x-tag': 'a, b', cookie: 'a=1; b=2' })
})

/** Bodies that cannot be what their Content-Type says: reading one answers a 4xx page, with one log line. */
const malformed: [string, Record<string, unknown>, number, string][] = [
  ['JSON that does not parse', v2Event('POST', { 'content-type': 'application/json' }, '{"title":'), 400, 'The request body is not valid JSON.'],
  ['base64-encoded JSON that does not parse', v2Event('POST', { 'content-type': 'application/json' }, Buffer.from('nope').toString('base64'), true), 400, 'The request body is not valid JSON.'],
  ['JSON that is not UTF-8', v2Event('POST', { 'content-type': 'application/json' }, Buffer.from([0x22, 0xff, 0x22]).toString('base64'), true), 400, 'The request body is not valid UTF-8.'],
  ['a body flagged base64 that is not', v2Event('POST', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=2', true), 400, 'The request body is not valid base64.'],
  ['a binary body flagged base64 that is not', v2Event('POST', { 'content-type': 'application/octet-stream' }, 'not base64!', true), 400, 'The request body is not valid base64.'],
  ['JSON over the size limit', v2Event('POST', { 'content-type': 'application/json' }, JSON.stringify('x'.repeat(MAX_PARSED_BODY_BYTES))), 413, `The request body is over ${MAX_PARSED_BODY_BYTES} bytes.`],
]

for (const [name, event, status, message] of malformed) {
  t.test(`malformed body: ${name}`, async (t) => {
    const logs = captureConsole(t)
    let went = false
    const lambda = http(async (req) => {
      const body = req.body
      went = true
      return { session: { saved: true }, json: body }
    })
    const result = await withEnv(ENV, async () => {
      resetConfig()
      return lambda(structuredClone(event) as never)
    })
    logs.restore()
    t.equal(result.statusCode, status)
    t.equal(went, false, 'the handler stopped where it read the body')
    t.equal(result.cookies, undefined, 'nothing written')
    t.match(result.body, `${message} Nothing was changed.`)
    t.equal(result.headers['content-type'], 'text/html; charset=utf-8')
    t.strictSame(logs.lines, [`[session] refused a request: ${message}`])
  })

  t.test(`malformed body: ${name}, to a handler that never reads it: answered as usual`, async (t) => {
    const logs = captureConsole(t)
    const lambda = http(async (req) => ({ session: { count: 1 }, location: '/', status: req.method === 'POST' ? 303 : 302 }))
    const result = await withEnv(ENV, async () => {
      resetConfig()
      return lambda(structuredClone(event) as never)
    })
    logs.restore()
    t.equal(result.statusCode, 303)
    t.match(result.cookies?.[0], /^_idx=/)
    t.strictSame(logs.lines, [])
  })
}

t.test('a body the middleware replaces is what the next function reads, even a malformed one', async (t) => {
  let seen: unknown
  const lambda = http(
    async (req) => {
      req.body = { replaced: true }
      return req
    },
    async (req) => ((seen = req.body), { json: {} }),
  )
  await withEnv(ENV, async () => {
    resetConfig()
    return lambda(v2Event('POST', { 'content-type': 'application/json' }, '{bad') as never)
  })
  t.strictSame(seen, { replaced: true })
})

t.test('a large text body is passed on as it is: only JSON and forms are parsed into objects', async (t) => {
  const text = 'x'.repeat(MAX_PARSED_BODY_BYTES + 1)
  const seen = await seenBy('ours', v2Event('POST', { 'content-type': 'text/plain' }, text))
  t.equal(seen['body'], text)
  t.equal(seen['rawBody'], text)
  t.equal(seen['method'], 'POST')
})

t.test('JSON of every kind of value, not only objects', async (t) => {
  for (const [json, value] of [['[1,"two"]', [1, 'two']], ['"text"', 'text'], ['0', 0], ['null', null], ['false', false]] as const) {
    const seen = await seenBy('ours', v2Event('POST', { 'content-type': 'application/json' }, json))
    t.strictSame(seen['body'], value, json)
  }
})
