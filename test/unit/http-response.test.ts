/**
 * Every response shape `arc.http` 8.x takes, through our adapter: the exact status, headers, body
 * and base64 flag, in both payload versions, and the same status, content type and body as
 * `arc.http` gives the same handler except where docs/sessions.md says we differ on purpose.
 * What the adapter cannot understand is a 500 and one log line naming the key, never an empty 200.
 */
import t from 'tap'
import { brotliDecompressSync } from 'node:zlib'
import arc from '@architect/functions'
import { http, NO_STORE, type HandlerResult, type HttpResult } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole } from '../helpers/lambda-event'
import { v1Event, v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'response-test-secret-0123456789abcdef' }
const HTML = 'text/html; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'
const DAY = 'max-age=86400'
const SESSION = '_idx=<the session>'

type Lambda = (event: never) => Promise<Record<string, unknown>>

async function call(lambda: Lambda, event: Record<string, unknown>): Promise<Record<string, unknown>> {
  return withEnv(ENV, async () => {
    resetConfig()
    return lambda(structuredClone(event) as never)
  })
}

const ours = (returned: () => unknown, event: Record<string, unknown>) => call(http(async () => returned() as HandlerResult) as unknown as Lambda, event)
const theirs = (returned: () => unknown, event: Record<string, unknown>) => call(arc.http((async () => returned())) as unknown as Lambda, event)

/** The session's cookie holds a fresh IV every time: the tests check it is there, not its bytes. */
function withoutSessionValue(result: Record<string, unknown>): Record<string, unknown> {
  const hide = (cookie: string) => (cookie.startsWith('_idx=') ? SESSION : cookie)
  const copy = { ...result }
  if (Array.isArray(copy['cookies'])) copy['cookies'] = (copy['cookies'] as string[]).map(hide)
  const multi = copy['multiValueHeaders'] as Record<string, string[]> | undefined
  if (multi?.['set-cookie']) copy['multiValueHeaders'] = { ...multi, 'set-cookie': multi['set-cookie'].map(hide) }
  return copy
}

interface Shape {
  readonly returned: () => unknown
  readonly event?: Record<string, unknown>
  /** The exact answer, security headers aside (every answer has them). */
  readonly expected: Partial<HttpResult> & { statusCode: number; headers: Record<string, string>; body: string }
  /** Where arc.http answers otherwise, on purpose (docs/sessions.md); nothing listed: the same status, type and body. */
  readonly arcDiffers?: readonly ('statusCode' | 'type' | 'body' | 'cache-control' | 'set-cookie')[]
}

const get = v2Event('GET')
const post = v2Event('POST')
const page = '<!doctype html><title>Count</title><h1>3</h1>'.repeat(20)

const shapes: Record<string, Shape> = {
  'statusCode, headers and body (API Gateway\'s own shape)': {
    returned: () => ({ statusCode: 201, headers: { 'X-Request-Id': 'r-7' }, body: 'made' }),
    expected: { statusCode: 201, headers: { 'x-request-id': 'r-7', 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: 'made' },
  },
  'status and html': {
    returned: () => ({ status: 202, html: '<p>queued</p>' }),
    expected: { statusCode: 202, headers: { 'content-type': HTML, 'cache-control': NO_STORE }, body: '<p>queued</p>' },
  },
  'code and text': {
    returned: () => ({ code: 404, text: 'not here' }),
    expected: { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': DAY }, body: 'not here' },
  },
  css: {
    returned: () => ({ css: 'h1{color:teal}' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': DAY }, body: 'h1{color:teal}' },
  },
  js: {
    returned: () => ({ js: 'console.log(1)' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': DAY }, body: 'console.log(1)' },
  },
  xml: {
    returned: () => ({ xml: '<count>3</count>' }),
    expected: { statusCode: 200, headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': DAY }, body: '<count>3</count>' },
  },
  json: {
    returned: () => ({ json: { count: 3, tags: ['a'] } }),
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '{"count":3,"tags":["a"]}' },
  },
  'type with a body': {
    returned: () => ({ body: 'a,b\n1,2\n', type: 'text/csv; charset=utf-8' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'cache-control': DAY }, body: 'a,b\n1,2\n' },
  },
  'type with text: the type given wins': {
    returned: () => ({ text: 'a,b\n', type: 'text/csv' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/csv', 'cache-control': DAY }, body: 'a,b\n' },
    arcDiffers: ['type'],
  },
  'a Content-Type header in another casing': {
    returned: () => ({ headers: { 'Content-Type': 'text/plain' }, body: 'plain' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/plain', 'cache-control': DAY }, body: 'plain' },
  },
  cacheControl: {
    returned: () => ({ html: '<p>public</p>', cacheControl: 'public, max-age=600' }),
    expected: { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': 'public, max-age=600' }, body: '<p>public</p>' },
  },
  'a Cache-Control header replaces the default, once': {
    returned: () => ({ headers: { 'Cache-Control': 'public, max-age=600' }, json: [] }),
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': 'public, max-age=600' }, body: '[]' },
  },
  cors: {
    returned: () => ({ json: { ok: true }, cors: true }),
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'access-control-allow-origin': '*', 'cache-control': NO_STORE }, body: '{"ok":true}' },
  },
  'location after a GET: 302, as arc': {
    returned: () => ({ location: '/next' }),
    expected: { statusCode: 302, headers: { 'content-type': JSON_TYPE, location: '/next', 'cache-control': NO_STORE }, body: '' },
  },
  'location after a POST: 303 See Other': {
    returned: () => ({ location: '/' }),
    event: post,
    expected: { statusCode: 303, headers: { 'content-type': JSON_TYPE, location: '/', 'cache-control': NO_STORE }, body: '' },
    arcDiffers: ['statusCode'],
  },
  'location with its own status': {
    returned: () => ({ location: '/moved', status: 301 }),
    expected: { statusCode: 301, headers: { 'content-type': JSON_TYPE, location: '/moved', 'cache-control': NO_STORE }, body: '' },
  },
  'session and location: the post/redirect/get of the guide': {
    returned: () => ({ session: { count: 1 }, location: '/' }),
    event: post,
    expected: { statusCode: 303, headers: { 'content-type': JSON_TYPE, location: '/', 'cache-control': NO_STORE }, body: '', cookies: [SESSION] },
    arcDiffers: ['statusCode', 'set-cookie'],
  },
  'session and html': {
    returned: () => ({ session: { count: 2 }, html: '<p>2</p>' }),
    expected: { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE }, body: '<p>2</p>', cookies: [SESSION] },
    arcDiffers: ['set-cookie'],
  },
  'a session written is never cacheable, whatever the handler says': {
    returned: () => ({ session: { count: 2 }, css: 'a{}', cacheControl: 'public, max-age=600' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': NO_STORE }, body: 'a{}', cookies: [SESSION] },
    arcDiffers: ['cache-control', 'set-cookie'],
  },
  'cookies (payload 2.0) beside the session cookie': {
    returned: () => ({ cookies: ['theme=dark; Path=/; HttpOnly'], session: { count: 1 }, html: 'x' }),
    expected: { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE }, body: 'x', cookies: ['theme=dark; Path=/; HttpOnly', SESSION] },
    arcDiffers: ['set-cookie'],
  },
  'a set-cookie header beside the session cookie': {
    returned: () => ({ headers: { 'Set-Cookie': 'seen=1; Path=/' }, session: { count: 1 }, html: 'x' }),
    expected: { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE }, body: 'x', cookies: ['seen=1; Path=/', SESSION] },
    arcDiffers: ['set-cookie'],
  },
  'the legacy cookie key': {
    returned: () => ({ cookie: 'legacy=1; Path=/', json: {} }),
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '{}', cookies: ['legacy=1; Path=/'] },
    arcDiffers: ['set-cookie'],
  },
  'a cookie of its own makes even a stylesheet uncacheable': {
    returned: () => ({ cookies: ['seen=1'], css: 'a{}' }),
    expected: { statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': NO_STORE }, body: 'a{}', cookies: ['seen=1'] },
    arcDiffers: ['cache-control'],
  },
  'multiValueHeaders in payload 2.0 are joined: API Gateway would drop them': {
    returned: () => ({ multiValueHeaders: { 'X-Tag': ['a', 'b'] }, html: 'x' }),
    expected: { statusCode: 200, headers: { 'x-tag': 'a, b', 'content-type': HTML, 'cache-control': NO_STORE }, body: 'x' },
  },
  'bytes as the body': {
    returned: () => ({ body: Buffer.from([0, 1, 2, 254]), type: 'image/png' }),
    expected: { statusCode: 200, headers: { 'content-type': 'image/png', 'cache-control': DAY }, body: 'AAEC/g==', isBase64Encoded: true },
  },
  'a base64 string of a binary type is flagged': {
    returned: () => ({ body: 'iVBORw0K', type: 'image/png' }),
    expected: { statusCode: 200, headers: { 'content-type': 'image/png', 'cache-control': DAY }, body: 'iVBORw0K', isBase64Encoded: true },
  },
  isBase64Encoded: {
    returned: () => ({ body: 'aGk=', isBase64Encoded: true, headers: { 'content-type': 'application/octet-stream' } }),
    expected: { statusCode: 200, headers: { 'content-type': 'application/octet-stream', 'cache-control': DAY }, body: 'aGk=', isBase64Encoded: true },
  },
  'nothing: an empty 200, as arc': {
    returned: () => undefined,
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '' },
  },
  'a string is sent as JSON, as arc': {
    returned: () => 'hello',
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '"hello"' },
  },
  'a number is sent as JSON': {
    returned: () => 42,
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '42' },
  },
  'an array is sent as JSON': {
    returned: () => [1, 'two'],
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '[1,"two"]' },
  },
  'an object without a response key is sent as JSON': {
    returned: () => ({ count: 3 }),
    expected: { statusCode: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': NO_STORE }, body: '{"count":3}' },
  },
  'bytes are sent as bytes (arc would send their JSON)': {
    returned: () => Buffer.from('hi'),
    expected: { statusCode: 200, headers: { 'content-type': 'application/octet-stream', 'cache-control': DAY }, body: 'aGk=', isBase64Encoded: true },
    arcDiffers: ['type', 'body'],
  },
  'compression asked for and accepted': {
    returned: () => ({ html: page, compression: 'br' }),
    event: v2Event('GET', { 'accept-encoding': 'gzip, br' }),
    expected: {
      statusCode: 200,
      headers: { 'content-type': HTML, 'cache-control': NO_STORE, 'content-encoding': 'br', vary: 'accept-encoding' },
      body: '<compressed>',
      isBase64Encoded: true,
    },
  },
  'compression asked for, not accepted': {
    returned: () => ({ html: 'x', compression: 'gzip' }),
    event: v2Event('GET', { 'accept-encoding': 'br, gzip;q=0' }),
    expected: { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE }, body: 'x' },
    arcDiffers: ['body'],
  },
  'no compression unless asked (arc compresses whatever the browser accepts)': {
    returned: () => ({ html: page }),
    event: v2Event('GET', { 'accept-encoding': 'br' }),
    expected: { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE }, body: page },
    arcDiffers: ['body'],
  },
}

const mediaType = (headers: unknown) => ((headers as Record<string, string> | undefined)?.['content-type'] ?? '').split(';')[0]

for (const [name, shape] of Object.entries(shapes)) {
  t.test(`response: ${name}`, async (t) => {
    const event = shape.event ?? get
    const result = withoutSessionValue(await ours(shape.returned, event))
    const expected: Record<string, unknown> = { ...shape.expected, headers: { ...shape.expected.headers, ...SECURITY_HEADERS } }
    if (shape.expected.body === '<compressed>') {
      t.equal(brotliDecompressSync(Buffer.from(String(result['body']), 'base64')).toString(), page, 'the body, brotli-compressed')
      expected['body'] = result['body']
    }
    t.strictSame(result, expected)

    const reference = await theirs(shape.returned, event)
    const differs = new Set(shape.arcDiffers ?? [])
    const compare = (what: string, a: unknown, b: unknown) => (differs.has(what as 'body') ? t.strictNotSame(a, b, `${what}: differs on purpose`) : t.strictSame(a, b, `${what}: as arc.http`))
    compare('statusCode', result['statusCode'], reference['statusCode'])
    compare('type', mediaType(result['headers']), mediaType(reference['headers']))
    compare('body', result['body'], reference['body'])
    if (differs.has('cache-control')) t.strictNotSame((result['headers'] as Record<string, string>)['cache-control'], (reference['headers'] as Record<string, string>)['cache-control'], 'cache-control: differs on purpose')
    if (differs.has('set-cookie')) t.strictNotSame(result['cookies'], reference['cookies'], 'cookies: all of them in the cookies array, on purpose')
  })
}

t.test('payload 1.0: every cookie in multiValueHeaders, the session last', async (t) => {
  const result = withoutSessionValue(await ours(() => ({ headers: { 'set-cookie': 'seen=1' }, cookies: ['theme=dark'], session: { count: 1 }, html: 'x' }), v1Event('GET')))
  t.strictSame(result, {
    statusCode: 200,
    headers: { 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS },
    body: 'x',
    multiValueHeaders: { 'set-cookie': ['seen=1', 'theme=dark', SESSION] },
  })
})

t.test('payload 1.0: multiValueHeaders are passed on, by lower-case name', async (t) => {
  const result = await ours(() => ({ multiValueHeaders: { 'X-Tag': ['a', 'b'] }, text: 'x' }), v1Event('GET'))
  t.strictSame(result, {
    statusCode: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': DAY, ...SECURITY_HEADERS },
    body: 'x',
    multiValueHeaders: { 'x-tag': ['a', 'b'] },
  })
})

t.test('payload 1.0: the shapes answer as in 2.0, where arc answers an empty 200 or fails', async (t) => {
  const plain = await ours(() => ({ count: 3 }), v1Event('GET'))
  t.equal(plain['body'], '{"count":3}')
  const nothing = await ours(() => undefined, v1Event('GET'))
  t.equal(nothing['statusCode'], 200)
  t.equal(nothing['body'], '')
})

t.test('a returned Error: a 500 page with its message, escaped, as arc; the stack only in the log', async (t) => {
  const logs = captureConsole(t)
  const error = new TypeError('no such <tea> & "cake"')
  const result = await ours(() => error, get)
  const reference = await theirs(() => error, get)
  logs.restore()
  t.equal(result['statusCode'], 500)
  t.equal(reference['statusCode'], 500)
  t.match(String(reference['body']), 'no such <tea>', 'arc shows the message')
  t.match(String(result['body']), 'no such &#60;tea&#62; &#38; &#34;cake&#34;')
  t.notMatch(String(result['body']), /<tea>|at .*\.ts:\d+/, 'never raw, never the stack')
  t.strictSame(result['headers'], { 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS })
  t.strictSame(logs.lines, ['[session] the handler returned an error (500): TypeError: no such <tea> & "cake"'])
})

t.test("a returned Error's own 4xx status is kept", async (t) => {
  const logs = captureConsole(t)
  const result = await ours(() => Object.assign(new Error('gone'), { status: 410 }), get)
  logs.restore()
  t.equal(result['statusCode'], 410)
  t.equal(logs.lines.length, 1)
})

/** What the adapter cannot understand: a 500 page, one log line naming the key, nothing written. */
const refused: Record<string, [() => unknown, string]> = {
  'an unknown key': [() => ({ sesion: { count: 1 }, location: '/' }), 'the handler\'s response has an unknown key "sesion" (see HandlerResponse for the keys a response takes)'],
  'unknown keys': [() => ({ html: 'x', redirect: '/', satus: 201 }), 'the handler\'s response has unknown keys "redirect", "satus" (see HandlerResponse for the keys a response takes)'],
  'two bodies': [() => ({ html: '<p>x</p>', json: { x: 1 } }), "the handler's response gives two bodies (html, json): return one"],
  'a status that is not a number': [() => ({ status: '201', html: 'x' }), 'the handler\'s response key "status" must be a whole number from 100 to 599'],
  'two statuses': [() => ({ status: 201, statusCode: 200, html: 'x' }), "the handler's response gives two different statuses (statusCode, status)"],
  'a header in two casings with two values': [
    () => ({ headers: { 'Content-Type': 'text/plain', 'content-type': 'text/html' }, body: 'x' }),
    'the handler\'s response sets the header "content-type" twice, with two values (again in headers["content-type"])',
  ],
  'a type and a Content-Type that disagree': [() => ({ type: 'text/csv', headers: { 'content-type': 'text/plain' }, body: 'x' }), 'the handler\'s response sets the header "content-type" twice, with two values (again in type)'],
  'html that is not a string': [() => ({ html: 42 }), 'the handler\'s response key "html" must be a string'],
  'a body that is an object': [() => ({ body: { count: 1 } }), 'the handler\'s response key "body" must be a string or bytes (use json for data)'],
  'a session that is an array': [() => ({ session: [1], html: 'x' }), 'the handler\'s response key "session" must be an object or null'],
  'a header value that is an object': [() => ({ headers: { 'x-a': { b: 1 } }, html: 'x' }), 'the handler\'s header "x-a" must be a string, number or boolean'],
  'json that cannot be JSON': [() => ({ json: { n: 1n } }), "the handler's json cannot be sent as JSON: TypeError: Do not know how to serialize a BigInt"],
  'a Map': [() => new Map([['count', 1]]), 'the handler returned a Map, which is neither a response nor JSON'],
  'a function': [() => () => 'x', 'the handler returned a function, which is neither a response nor JSON'],
}

for (const [name, [returned, message]] of Object.entries(refused)) {
  t.test(`not understood: ${name}`, async (t) => {
    const logs = captureConsole(t)
    const result = await ours(returned, post)
    logs.restore()
    t.equal(result['statusCode'], 500)
    t.equal(result['cookies'], undefined, 'nothing of the session written')
    t.match(String(result['body']), 'The server could not answer this request.')
    t.strictSame(logs.lines, [`[session] handler response not understood: ${message}`])
  })
}

t.test('a response refused for an unknown key writes no session, even one it returned', async (t) => {
  const logs = captureConsole(t)
  const result = await ours(() => ({ session: { count: 5 }, locaton: '/' }), post)
  logs.restore()
  t.equal(result['statusCode'], 500)
  t.strictSame(Object.keys(result).sort(), ['body', 'headers', 'statusCode'])
  t.equal(logs.lines.length, 1)
})
