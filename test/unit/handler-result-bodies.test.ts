/**
 * How a handler's string body goes out: as base64 bytes exactly for the binary media types (so a
 * text type that only looks like one stays text), and compressed only with a coding the browser
 * accepts, by the rules of Accept-Encoding (RFC 9110 §12.5.3), in the coding the header names.
 */
import t from 'tap'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { http, type HandlerResult } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { v2Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'Zk3Lq8Vw1Rt6Np0Xc5Bm9Hd2Fs7Jg4YeTa' }
const page = '<!doctype html><title>Tea</title><p>green, black, white</p>'.repeat(20)

type Lambda = (event: never) => Promise<Record<string, unknown>>

async function answer(returned: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const lambda = http(async () => returned as HandlerResult) as unknown as Lambda
  return withEnv(ENV, async () => {
    resetConfig()
    return lambda(v2Event('GET', headers) as never)
  })
}

/** Every media type here gets the same string body: base64 bytes for a binary type, text otherwise. */
const binary = [
  'image/png',
  'audio/ogg',
  'video/mp4',
  'font/woff2',
  'application/pdf',
  'application/pdf ; name=report',
  'application/x-bzip',
  'application/x-bzip2',
  'application/java-archive',
  'application/x-java-archive',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]
const text = [
  'image/svg+xml',
  'image/svg+xml ; charset=utf-8',
  'x-image/png',
  'x-application/zip',
  'application/pdf+json',
  'text/plain',
]

t.test('a string body of a binary media type is sent flagged as base64, as it is', async (t) => {
  for (const type of binary) {
    const result = await answer({ body: 'aGk=', type })
    t.strictSame([result['body'], result['isBase64Encoded']], ['aGk=', true], type)
  }
})

t.test('a string body of a text type, SVG included, is sent as text, even where the name looks binary', async (t) => {
  for (const type of text) {
    const result = await answer({ body: '<svg/>', type })
    t.strictSame([result['body'], result['isBase64Encoded']], ['<svg/>', undefined], type)
  }
})

/** The coding chosen for `compression: true` (br, then gzip) from each Accept-Encoding. */
const codings: [string, string | undefined][] = [
  ['br;q=0.5, gzip', 'br'],
  ['br; q=0, gzip', 'gzip'],
  ['br;q=0.000, gzip', 'gzip'],
  ['br;q=0., gzip', 'gzip'],
  ['br;dq=0, gzip', 'br'],
  ['br;q=0 ;level=1, gzip', 'gzip'],
  ['br ;q=0.5, gzip', 'br'],
  ['br ; q=0 , gzip', 'gzip'],
  ['gzip', 'gzip'],
]

for (const [acceptEncoding, coding] of codings) {
  t.test(`Accept-Encoding ${JSON.stringify(acceptEncoding)} gets the page in ${String(coding)}, decodable as such`, async (t) => {
    const result = await answer({ html: page, compression: true }, { 'accept-encoding': acceptEncoding })
    const headers = result['headers'] as Record<string, string>
    t.equal(headers['content-encoding'], coding)
    t.equal(headers['vary'], 'accept-encoding')
    const bytes = Buffer.from(String(result['body']), 'base64')
    t.equal((coding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString(), page)
  })
}

t.test("compression: 'gzip' sends gzip, which the header names", async (t) => {
  const result = await answer({ html: page, compression: 'gzip' }, { 'accept-encoding': 'gzip, br' })
  t.equal((result['headers'] as Record<string, string>)['content-encoding'], 'gzip')
  t.equal(gunzipSync(Buffer.from(String(result['body']), 'base64')).toString(), page)
})

t.test('compression asked for, with no Accept-Encoding at all: the page goes out as it is', async (t) => {
  const result = await answer({ html: page, compression: true })
  t.strictSame([result['body'], result['isBase64Encoded'], (result['headers'] as Record<string, string>)['content-encoding']], [page, undefined, undefined])
})
