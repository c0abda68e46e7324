/**
 * What the adapter makes of a response object's keys: each key of the wrong type (or a status out
 * of 100-599) is refused with one log line naming it; a header a key sets twice names that key;
 * Set-Cookie in multiValueHeaders becomes cookies; a redirect is never cacheable; the base64 flag
 * follows isBase64Encoded and bytes whatever the type; and compression happens only when asked,
 * accepted, in payload 2.0, on a non-empty body the handler did not encode itself.
 */
import t, { type Test } from 'tap'
import { brotliDecompressSync } from 'node:zlib'
import { NO_STORE } from '../../src/shared/session'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { CLEAN_SESSION_ENV } from '../helpers/env'
import { answerTo } from '../helpers/handler-answer'
import { v1Event, v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'Pc6Nz1Ks9Vb3Lm7Qx0Hr4Wt8Jf2Dg5YeAo' }
const TEXT = 'text/plain; charset=utf-8'
const HTML = 'text/html; charset=utf-8'
const page = '<!doctype html><title>Kettle</title><p>on, off, on again</p>'.repeat(20)
const BR = { 'accept-encoding': 'br' }

/** The adapter's answer to a handler that returns `returned`, and every line it logged. */
const answer = (t: Test, returned: unknown, event?: Record<string, unknown>) => answerTo(t, ENV, returned, event)

const headersOf = (result: Record<string, unknown>) => result['headers'] as Record<string, string>

const refused: Record<string, [unknown, string]> = {
  'regenerate that is not a boolean': [{ regenerate: 'yes', html: 'x' }, 'the handler\'s response key "regenerate" must be true or false'],
  'isBase64Encoded that is not a boolean': [{ isBase64Encoded: 1, body: 'aGk=' }, 'the handler\'s response key "isBase64Encoded" must be true or false'],
  'cookies that are one string': [{ cookies: 'a=1', html: 'x' }, 'the handler\'s response key "cookies" must be an array of strings'],
  'cookies with one that is not a string': [{ cookies: ['a=1', 42], html: 'x' }, 'the handler\'s response key "cookies" must be an array of strings'],
  'a compression the adapter does not know': [{ compression: 'deflate', html: 'x' }, 'the handler\'s response key "compression" must be true, false, \'br\' or \'gzip\''],
  'headers that are a string': [{ headers: 'x-a: 1', html: 'x' }, 'the handler\'s response key "headers" must be an object'],
  'multiValueHeaders that are a string': [{ multiValueHeaders: 'x-a: 1', html: 'x' }, 'the handler\'s response key "multiValueHeaders" must be an object of arrays'],
  'a status below 100': [{ status: 99, html: 'x' }, 'the handler\'s response key "status" must be a whole number from 100 to 599'],
  'a status above 599': [{ statusCode: 600, html: 'x' }, 'the handler\'s response key "statusCode" must be a whole number from 100 to 599'],
  'a location header and a location key that disagree': [{ headers: { Location: '/a' }, location: '/b' }, 'the handler\'s response sets the header "location" twice, with two values (again in location)'],
  'an allowed origin and cors': [
    { headers: { 'Access-Control-Allow-Origin': 'https://tea.example' }, cors: true, json: {} },
    'the handler\'s response sets the header "access-control-allow-origin" twice, with two values (again in cors)',
  ],
  'a Cache-Control header and a cacheControl key that disagree': [
    { headers: { 'Cache-Control': 'public' }, cacheControl: 'private', text: 'x' },
    'the handler\'s response sets the header "cache-control" twice, with two values (again in cacheControl)',
  ],
}

for (const [name, [returned, message]] of Object.entries(refused)) {
  t.test(`refused, with one line naming the key: ${name}`, async (t) => {
    const { result, lines } = await answer(t, returned)
    t.equal(result['statusCode'], 500)
    t.equal(result['cookies'], undefined, 'no cookie of the response sent')
    t.strictSame(lines, [`[session] handler response not understood: ${message}`])
  })
}

t.test('the statuses at both ends of the range, 100 and 599, are sent as given', async (t) => {
  for (const returned of [{ statusCode: 100, text: 'x' }, { status: 599, text: 'x' }]) {
    const { result, lines } = await answer(t, returned)
    t.strictSame(lines, [])
    t.equal(result['statusCode'], returned.statusCode ?? returned.status)
  }
})

t.test('payload 2.0: Set-Cookie given in multiValueHeaders is sent as cookies, not as a header', async (t) => {
  const { result, lines } = await answer(t, { multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, text: 'x' })
  t.strictSame(lines, [])
  t.strictSame(result, { statusCode: 200, headers: { 'content-type': TEXT, 'cache-control': NO_STORE, ...SECURITY_HEADERS }, body: 'x', cookies: ['a=1', 'b=2'] })
})

t.test('a redirect is never cacheable, even with a type that would be', async (t) => {
  const { result } = await answer(t, { location: '/next', type: 'text/plain' })
  t.equal(result['statusCode'], 302)
  t.strictSame(result['headers'], { 'content-type': 'text/plain', location: '/next', 'cache-control': NO_STORE, ...SECURITY_HEADERS })
})

t.test('isBase64Encoded and a bytes body flag the body as base64 whatever its type; false does not', async (t) => {
  const flagged = await answer(t, { body: 'aGk=', isBase64Encoded: true, type: 'text/plain' })
  t.equal(flagged.result['body'], 'aGk=')
  t.equal(flagged.result['isBase64Encoded'], true, 'isBase64Encoded: true')
  const bytes = await answer(t, { body: Buffer.from('hi'), type: 'text/plain' })
  t.equal(bytes.result['body'], 'aGk=')
  t.equal(bytes.result['isBase64Encoded'], true, 'a bytes body')
  const plain = await answer(t, { body: 'hi', isBase64Encoded: false, type: 'text/plain' })
  t.equal(plain.result['body'], 'hi')
  t.equal(plain.result['isBase64Encoded'], undefined, 'isBase64Encoded: false')
})

t.test('compression: true sends brotli when the browser accepts it', async (t) => {
  const { result } = await answer(t, { html: page, compression: true }, v2Event('GET', BR))
  t.equal(headersOf(result)['content-encoding'], 'br')
  t.equal(result['isBase64Encoded'], true)
  t.equal(brotliDecompressSync(Buffer.from(String(result['body']), 'base64')).toString(), page)
})

t.test('compression: false is accepted, and the body goes as given', async (t) => {
  const { result, lines } = await answer(t, { html: page, compression: false }, v2Event('GET', BR))
  t.strictSame(lines, [])
  t.strictSame(result, { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS }, body: page })
})

t.test('payload 1.0 is never compressed, even when asked and accepted', async (t) => {
  const event = v1Event('GET')
  const event1 = { ...event, headers: { ...(event['headers'] as object), ...BR }, multiValueHeaders: { ...(event['multiValueHeaders'] as object), 'accept-encoding': ['br'] } }
  const { result } = await answer(t, { html: page, compression: 'br' }, event1)
  t.strictSame(result, { statusCode: 200, headers: { 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS }, body: page })
})

t.test('a body whose Content-Encoding the handler set is not compressed again', async (t) => {
  const { result } = await answer(t, { headers: { 'Content-Encoding': 'identity' }, html: page, compression: true }, v2Event('GET', BR))
  t.strictSame(result, { statusCode: 200, headers: { 'content-encoding': 'identity', 'content-type': HTML, 'cache-control': NO_STORE, ...SECURITY_HEADERS }, body: page })
})

t.test('an empty body is sent empty, never as a compressed nothing', async (t) => {
  const { result } = await answer(t, { location: '/next', compression: 'br' }, v2Event('GET', BR))
  t.strictSame(result, { statusCode: 302, headers: { 'content-type': 'application/json; charset=utf-8', location: '/next', 'cache-control': NO_STORE, ...SECURITY_HEADERS }, body: '' })
})

t.test("a Vary the handler gave is kept, with accept-encoding added to it", async (t) => {
  const { result } = await answer(t, { headers: { Vary: 'Cookie' }, html: page, compression: 'br' }, v2Event('GET', BR))
  t.equal(headersOf(result)['content-encoding'], 'br')
  t.equal(headersOf(result)['vary'], 'Cookie, accept-encoding')
})
