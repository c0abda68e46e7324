/**
 * What each failure means for the visitor and for the log (docs/guarantees.md): the whole page,
 * status and headers of every error response, and its one log line, exactly.
 */
import t from 'tap'
import { errorResponse } from '../../src/shared/session/lambda/error-response'
import {
  SessionConfigError,
  SessionConflictError,
  SessionSchemaError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
} from '../../src/shared/session/core/errors'
import { describeError } from '../../src/shared/session/core/log'
import { MAX_ATTEMPTS } from '../../src/shared/session/lambda/commit'
import { captureConsole } from '../helpers/lambda-event'

const NO_STORE = 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0'
const page = (title: string, message: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the start</a></p></body></html>`

t.test('each error: its page, status and headers, and one log line', async (t) => {
  const retryLater = { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE, 'retry-after': '2' }
  const plain = { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE }
  const cases: [string, unknown, ReturnType<typeof errorResponse>, string][] = [
    [
      'the store is down, with a cause',
      new SessionStoreUnavailableError('DynamoDB GetItem on tbl failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      { statusCode: 503, headers: retryLater, body: page('Try again in a moment', 'The session store is not answering right now.') },
      '[session] session store unavailable: DynamoDB GetItem on tbl failed: Error (ECONNREFUSED): connect',
    ],
    [
      'the store is down, no cause',
      new SessionStoreUnavailableError('service discovery failed'),
      { statusCode: 503, headers: retryLater, body: page('Try again in a moment', 'The session store is not answering right now.') },
      '[session] session store unavailable: service discovery failed',
    ],
    [
      'every retry lost',
      new SessionConflictError(),
      { statusCode: 503, headers: retryLater, body: page('Try again in a moment', 'Too many changes to this session at once.') },
      `[session] session not saved: still conflicting after ${MAX_ATTEMPTS} attempts`,
    ],
    [
      'too large',
      new SessionTooLargeError(5000, 4096, 'a browser cookie'),
      { statusCode: 413, headers: plain, body: page('Session too large', 'This session has grown too large to be kept, so it was not saved.') },
      '[session] session not saved: the session is 5000 bytes, over the 4096-byte limit of a browser cookie',
    ],
    [
      'a schema that refuses {}',
      new SessionSchemaError('at user (missing)'),
      { statusCode: 500, headers: plain, body: page('Something went wrong', 'The server could not answer this request.') },
      '[session] schema error: the session schema does not accept an empty session {}, which every new visitor has at user (missing): give each field a default or make it optional',
    ],
    [
      'misconfigured',
      new SessionConfigError('ARC_X', 'is wrong; fix it'),
      { statusCode: 500, headers: plain, body: page('Not configured', 'Sessions are not configured on this server. The log says how to fix it.') },
      '[session] configuration error: ARC_X: is wrong; fix it',
    ],
    [
      'anything else',
      new TypeError('x is not a function'),
      { statusCode: 500, headers: plain, body: page('Something went wrong', 'The server could not answer this request.') },
      '[session] unexpected error: TypeError: x is not a function',
    ],
  ]
  for (const [name, error, response, line] of cases) {
    const logs = captureConsole(t)
    const result = errorResponse(error)
    logs.restore()
    t.strictSame(result, response, `${name}: the response`)
    t.strictSame(logs.lines, [line], `${name}: one line`)
  }
})

t.test('a schema or configuration error is logged once per process, however many requests it fails', async (t) => {
  const logs = captureConsole(t)
  for (let i = 0; i < 3; i++) {
    errorResponse(new SessionConfigError('ARC_ONCE', 'is wrong'))
    errorResponse(new SessionSchemaError('(once)'))
  }
  logs.restore()
  t.strictSame(logs.lines, [
    '[session] configuration error: ARC_ONCE: is wrong',
    '[session] schema error: the session schema does not accept an empty session {}, which every new visitor has (once): give each field a default or make it optional',
  ])
})

t.test("what an error may say in a log: name, a string code, message; a thrown non-error as it prints", async (t) => {
  t.equal(describeError(Object.assign(new RangeError('bad'), { code: 'E_BAD' })), 'RangeError (E_BAD): bad')
  t.equal(describeError(Object.assign(new Error('odd'), { code: 42 })), 'Error: odd', 'a code that is not a string is left out')
  t.equal(describeError('just text'), 'just text')
  t.equal(describeError(undefined), 'undefined')
})
