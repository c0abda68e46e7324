/**
 * The words, link and log line of the failures test/unit/error-pages.test.ts does not go through:
 * a write the store did not confirm, a session the handler cannot store, a body the visitor sent
 * wrong, a response the adapter cannot understand; and a HEAD, which "Try again" reloads like a GET.
 */
import t, { type Test as Tap } from 'tap'
import { plainErrorPage, type ErrorPageContent } from '../../src/shared/session'
import {
  SessionNotStorableError,
  SessionRequestBodyError,
  SessionResponseError,
  SessionSchemaError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SessionWriteUncertainError,
} from '../../src/shared/session/core/errors'
import { errorResponse } from '../../src/shared/session/lambda/error-response'
import { captureConsole } from '../helpers/lambda-event'

const BACK_TO_START = { href: '/', label: 'Back to the start' }
const COULD_NOT_ANSWER = { statusCode: 500, title: 'Something went wrong', message: 'The server could not answer this request.' }

/** What the app's renderer was given for `error`, the response's headers, and the log lines. */
function answer(t: Tap, error: unknown, method: string | undefined = 'POST'): { content: ErrorPageContent; headers: Record<string, string>; lines: string[] } {
  const logs = captureConsole(t)
  let content: ErrorPageContent | undefined
  const result = errorResponse(error, { method }, { errorPage: (page) => ((content = page), `rendered ${page.statusCode}`) })
  logs.restore()
  t.equal(result.body, `rendered ${result.statusCode}`, "the app's renderer made the page, with the page's status")
  return { content: content!, headers: result.headers, lines: logs.lines }
}

t.test('a write the store did not confirm: a 503 that says it may have been saved, Retry-After, the cause in the log', async (t) => {
  const error = new SessionWriteUncertainError('DynamoDB PutItem on tbl was not confirmed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })
  const { content, headers, lines } = answer(t, error)
  t.strictSame(content, {
    statusCode: 503,
    title: 'Try again in a moment',
    message: 'The session store did not confirm your last change. It may have been saved: check the page before you try again.',
    action: BACK_TO_START,
  }, 'no "Try again": repeating the change might apply it twice')
  t.equal(headers['retry-after'], '2')
  t.strictSame(lines, ['[session] session write unconfirmed: DynamoDB PutItem on tbl was not confirmed: Error (ECONNRESET): socket hang up'])
})

t.test('a session the handler returned that cannot be stored: a 500 that says nothing changed, the path in the log', async (t) => {
  const { content, headers, lines } = answer(t, new SessionNotStorableError('at count (a whole number beyond 2^53)'))
  t.strictSame(content, { statusCode: 500, title: 'Something went wrong', message: 'The server could not answer this request. Nothing was changed.' })
  t.equal(headers['retry-after'], undefined, 'trying again would fail the same way')
  t.strictSame(lines, ['[session] session not saved: at count (a whole number beyond 2^53)'])
})

t.test("a body the visitor sent wrong: 400 Bad request or 413 Request too large, with the reason, back to the start", async (t) => {
  const bad = answer(t, new SessionRequestBodyError(400, 'The form data is not valid JSON.'))
  t.strictSame(bad.content, { statusCode: 400, title: 'Bad request', message: 'The form data is not valid JSON. Nothing was changed.', action: BACK_TO_START })
  t.strictSame(bad.lines, ['[session] refused a request: The form data is not valid JSON.'])
  const large = answer(t, new SessionRequestBodyError(413, 'The request body is over 1 MB.'))
  t.strictSame(large.content, { statusCode: 413, title: 'Request too large', message: 'The request body is over 1 MB. Nothing was changed.', action: BACK_TO_START })
})

t.test('the 500s that every request would repeat say the server could not answer, with no link', async (t) => {
  t.strictSame(answer(t, new SessionResponseError('the handler\'s response has an unknown key "x"')).content, COULD_NOT_ANSWER, 'a response not understood')
  t.strictSame(answer(t, new SessionSchemaError('at words (missing)')).content, COULD_NOT_ANSWER, 'a schema that refuses a new visitor')
  t.strictSame(answer(t, new RangeError('out of range')).content, COULD_NOT_ANSWER, 'anything unexpected')
})

t.test('a too-large session: 413, said in words, back to the start', async (t) => {
  const { content } = answer(t, new SessionTooLargeError(5000, 4096, 'a browser cookie'))
  t.strictSame(content, { statusCode: 413, title: 'Session too large', message: 'This session has grown too large to be kept, so it was not saved.', action: BACK_TO_START })
})

t.test('"Try again" reloads a HEAD like a GET; any other method, or none known, starts again from the start', async (t) => {
  const unavailable = new SessionStoreUnavailableError('DynamoDB GetItem failed')
  t.strictSame(answer(t, unavailable, 'HEAD').content.action, { href: '', label: 'Try again' })
  t.strictSame(answer(t, unavailable, 'PUT').content.action, { href: '/', label: 'Try again' })
  t.strictSame(answer(t, unavailable, undefined).content.action, { href: '/', label: 'Try again' })
})

t.test("the core's plain page without a link is exactly its heading and its words", async (t) => {
  t.equal(
    plainErrorPage({ statusCode: 500, title: 'Oops', message: 'Nothing.' }),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Oops</title></head><body><main><h1>Oops</h1><p>Nothing.</p></main></body></html>',
  )
})
