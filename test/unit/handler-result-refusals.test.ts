/**
 * What the adapter makes of a handler's headers, its json, its odd objects and its returned Errors:
 * what it accepts (and sends as given), and what it refuses with a 500 and one log line that
 * names the problem exactly, with the key quoted and cut short when it is long.
 */
import t, { type Test } from 'tap'
import { NO_STORE } from '../../src/shared/session'
import { SECURITY_HEADERS } from '../../src/shared/session/security/headers'
import { CLEAN_SESSION_ENV } from '../helpers/env'
import { answerTo } from '../helpers/handler-answer'
import { v1Event } from '../fixtures/http-events'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: 'q7Vn2LkP9xZr4Wb8Ty3Hm6Jc1Fd5Gs0AeU' }
const TEXT = 'text/plain; charset=utf-8'
const DAY = 'max-age=86400'

/** The adapter's answer to a handler that returns `returned`, and every line it logged. */
const answer = (t: Test, returned: unknown, event?: Record<string, unknown>) => answerTo(t, ENV, returned, event)

/** A refusal: a 500 page, and exactly one log line with the message. */
async function refusal(t: Test, returned: unknown, message: string): Promise<void> {
  const { result, lines } = await answer(t, returned)
  t.equal(result['statusCode'], 500)
  t.strictSame(lines, [`[session] handler response not understood: ${message}`])
}

t.test('number and boolean header values are sent as their text', async (t) => {
  const { result, lines } = await answer(t, { headers: { 'X-Count': 3, 'X-Beta': false }, multiValueHeaders: { 'X-Retry': [1, true] }, text: 'x' })
  t.strictSame(lines, [])
  t.strictSame(result['headers'], { 'x-count': '3', 'x-beta': 'false', 'x-retry': '1, true', 'content-type': TEXT, 'cache-control': DAY, ...SECURITY_HEADERS })
})

t.test('a header whose value is undefined is left out, not refused', async (t) => {
  const { result, lines } = await answer(t, { headers: { 'X-Trace': undefined, 'X-Tag': 'a' }, text: 'x' })
  t.strictSame(lines, [])
  t.strictSame(result['headers'], { 'x-tag': 'a', 'content-type': TEXT, 'cache-control': DAY, ...SECURITY_HEADERS })
})

t.test('payload 1.0 keeps number and boolean multiValueHeaders as text, one per value', async (t) => {
  const { result } = await answer(t, { multiValueHeaders: { 'X-Retry': [1, true] }, text: 'x' }, v1Event('GET'))
  t.strictSame(result['multiValueHeaders'], { 'x-retry': ['1', 'true'] })
})

t.test('one header given again with the same value, in any casing or key, is sent once', async (t) => {
  const { result, lines } = await answer(t, { headers: { 'Content-Type': 'text/csv', 'content-type': 'text/csv' }, type: 'text/csv', body: 'a,b\n' })
  t.strictSame(lines, [])
  t.equal(result['statusCode'], 200)
  t.strictSame(result['headers'], { 'content-type': 'text/csv', 'cache-control': DAY, ...SECURITY_HEADERS })
})

t.test('Set-Cookie may be given in both headers and multiValueHeaders: every cookie is sent', async (t) => {
  const { result, lines } = await answer(t, { headers: { 'Set-Cookie': 'a=1' }, multiValueHeaders: { 'set-cookie': ['b=2', 'c=3'] }, text: 'x' })
  t.strictSame(lines, [])
  t.strictSame(result['cookies'], ['b=2', 'c=3', 'a=1'])
  t.equal((result['headers'] as Record<string, string>)['cache-control'], NO_STORE)
})

t.test('headers and multiValueHeaders that come from a null-prototype object are read as any other', async (t) => {
  const headers = Object.assign(Object.create(null) as Record<string, string>, { 'X-Tag': 'a' })
  const response = Object.assign(Object.create(null) as Record<string, unknown>, { headers, text: 'x' })
  const { result, lines } = await answer(t, response)
  t.strictSame(lines, [])
  t.strictSame(result['headers'], { 'x-tag': 'a', 'content-type': TEXT, 'cache-control': DAY, ...SECURITY_HEADERS })
})

/** An instance of a class expression bound to no name: its constructor's name is ''. */
const anonymous: unknown = new (class {
  readonly count = 1
})()

const refused: Record<string, [unknown, string]> = {
  'json that is a function': [{ json: () => 1 }, "the handler's json is not a JSON value"],
  'json that is a symbol': [{ json: Symbol('count') }, "the handler's json is not a JSON value"],
  'multiValueHeaders whose value is not an array': [{ multiValueHeaders: { 'X-Tag': 'a' }, text: 'x' }, 'the handler\'s multiValueHeaders["X-Tag"] must be an array'],
  'one header in both headers and multiValueHeaders': [
    { headers: { 'X-Tag': 'a' }, multiValueHeaders: { 'x-tag': ['b'] }, text: 'x' },
    'the handler\'s response gives the header "x-tag" in both headers and multiValueHeaders',
  ],
  'headers that are null': [{ headers: null, text: 'x' }, 'the handler\'s response key "headers" must be an object'],
  'headers that are a string': [{ headers: 'x-tag: a', text: 'x' }, 'the handler\'s response key "headers" must be an object'],
  'headers that are a function, even one without a prototype': [
    { headers: Object.setPrototypeOf(() => 'x', null) as unknown, text: 'x' },
    'the handler\'s response key "headers" must be an object',
  ],
  'a key of 41 characters, cut to 40 in the log': [
    { html: 'x', ['k'.repeat(41)]: 1 },
    `the handler's response has an unknown key "${'k'.repeat(40)}…" (see HandlerResponse for the keys a response takes)`,
  ],
  'a key of 40 characters, whole in the log': [
    { html: 'x', ['k'.repeat(40)]: 1 },
    `the handler's response has an unknown key "${'k'.repeat(40)}" (see HandlerResponse for the keys a response takes)`,
  ],
  'an instance of an anonymous class: named an object': [anonymous, 'the handler returned a object, which is neither a response nor JSON'],
  'an object without a constructor: named an object': [
    Object.create(Object.create(null) as object) as unknown,
    'the handler returned a object, which is neither a response nor JSON',
  ],
}

for (const [name, [returned, message]] of Object.entries(refused)) {
  t.test(`refused, with the reason logged: ${name}`, (t) => refusal(t, returned, message))
}

/** A returned Error's own status, where it is one (a whole 4xx or 5xx), else 500. */
const errorStatuses: [Record<string, unknown>, number][] = [
  [{ statusCode: 400 }, 400],
  [{ status: 599 }, 599],
  [{ statusCode: 399 }, 500],
  [{ statusCode: 200 }, 500],
  [{ status: 600 }, 500],
  [{ statusCode: 404.5 }, 500],
  [{ statusCode: 302, status: 404 }, 404],
]

for (const [own, statusCode] of errorStatuses) {
  t.test(`a returned Error with ${JSON.stringify(own)} answers ${statusCode}`, async (t) => {
    const { result, lines } = await answer(t, Object.assign(new Error('gone'), own))
    t.equal(result['statusCode'], statusCode)
    t.strictSame(lines, [`[session] the handler returned an error (${statusCode}): Error: gone`])
  })
}
