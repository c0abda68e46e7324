/**
 * `req.body` by Content-Type, as the table in src/shared/session/lambda/request-body.ts and
 * docs/sessions.md give it: which types are JSON and which are text, what an empty body is, where
 * the size limit falls, and which base64 API Gateway may send is refused.
 */
import t from 'tap'
import { MAX_PARSED_BODY_BYTES, parseBody } from '../../src/shared/session/lambda/request-body'

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64')
const refusedBase64 = { ok: false, refusal: { status: 400, message: 'The request body is not valid base64.' } }

t.test('application/*+json types are parsed as JSON, as application/json is', async (t) => {
  t.strictSame(parseBody('{"data":{"id":"1"}}', false, 'application/vnd.api+json'), { ok: true, value: { data: { id: '1' } } })
  t.strictSame(parseBody(b64('[1,2]'), true, 'application/ld+json'), { ok: true, value: [1, 2] })
  t.strictSame(parseBody('{"title":', false, 'application/problem+json'), { ok: false, refusal: { status: 400, message: 'The request body is not valid JSON.' } })
})

t.test('a +json suffix on a type outside application/ does not make it JSON', async (t) => {
  t.strictSame(parseBody('{"a":1}', false, 'text/vnd.example+json'), { ok: true, value: '{"a":1}' }, 'text/*: the text')
  t.strictSame(parseBody(b64('{"a":1}'), true, 'image/vnd.example+json'), { ok: true, value: { base64: b64('{"a":1}') } }, 'other: the bytes')
})

t.test('application/xml and application/*+xml are text: a base64 body is decoded to its UTF-8 text', async (t) => {
  const xml = '<note>Grüße</note>'
  t.strictSame(parseBody(b64(xml), true, 'application/xml'), { ok: true, value: xml })
  t.strictSame(parseBody(b64(xml), true, 'application/atom+xml; charset=utf-8'), { ok: true, value: xml })
  t.strictSame(parseBody(b64(xml), true, 'text/xml'), { ok: true, value: xml })
})

t.test('an +xml type outside application/ (image/svg+xml) is binary: its bytes, not text', async (t) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
  t.strictSame(parseBody(b64(svg), true, 'image/svg+xml'), { ok: true, value: { base64: b64(svg) } })
})

t.test('the media type is read without the spaces around it, before its parameters', async (t) => {
  t.strictSame(parseBody('{"a":1}', false, 'application/json ; charset=utf-8'), { ok: true, value: { a: 1 } })
  t.strictSame(parseBody('a=1&a=2', false, ' Application/X-WWW-Form-Urlencoded '), { ok: true, value: { a: ['1', '2'] } })
})

t.test('without a Content-Type a body is passed on as it came', async (t) => {
  t.strictSame(parseBody('{"a":1}', false, undefined), { ok: true, value: '{"a":1}' })
  t.strictSame(parseBody(b64('{"a":1}'), true, undefined), { ok: true, value: { base64: b64('{"a":1}') } })
})

t.test('an empty body is {} whatever its type says', async (t) => {
  for (const type of ['text/plain', 'application/octet-stream', 'application/json', undefined]) {
    t.strictSame(parseBody('', false, type), { ok: true, value: {} }, type ?? 'no type')
    t.strictSame(parseBody('', true, type), { ok: true, value: {} }, `${type ?? 'no type'}, flagged base64`)
  }
})

t.test('a base64 body that is only a UTF-8 byte order mark is an empty body: {}', async (t) => {
  const bom = b64(Buffer.from([0xef, 0xbb, 0xbf]))
  t.strictSame(parseBody(bom, true, 'application/json'), { ok: true, value: {} })
  t.strictSame(parseBody(bom, true, 'application/x-www-form-urlencoded'), { ok: true, value: {} })
})

t.test('base64 is refused unless every character is of its alphabet and the length a multiple of four', async (t) => {
  t.strictSame(parseBody('QUJD', true, 'application/octet-stream'), { ok: true, value: { base64: 'QUJD' } }, 'valid')
  t.strictSame(parseBody('QUI=', true, 'application/octet-stream'), { ok: true, value: { base64: 'QUI=' } }, 'valid, padded')
  for (const bad of ['QUJ!', 'QU=D', '!QUJ', 'QUJDR', 'QUJDRA', 'Q===']) {
    t.strictSame(parseBody(bad, true, 'application/octet-stream'), refusedBase64, bad)
  }
  t.strictSame(parseBody('QUJDR', true, 'text/plain'), refusedBase64, 'text too')
})

t.test('a JSON body of exactly MAX_PARSED_BODY_BYTES is parsed; one byte more is refused with a 413', async (t) => {
  const text = 'x'.repeat(MAX_PARSED_BODY_BYTES - 2)
  t.strictSame(parseBody(JSON.stringify(text), false, 'application/json'), { ok: true, value: text })
  t.strictSame(parseBody(JSON.stringify(`${text}x`), false, 'application/json'), {
    ok: false,
    refusal: { status: 413, message: `The request body is over ${MAX_PARSED_BODY_BYTES} bytes.` },
  })
})
