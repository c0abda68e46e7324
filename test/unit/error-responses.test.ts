/**
 * What each failure means for the log, and its status (docs/guarantees.md): one line each, exactly,
 * never a value from the request. The pages themselves: test/unit/error-pages.test.ts.
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

t.test('each error: its status, Retry-After when trying again can help, and one log line', async (t) => {
  const cases: [string, unknown, [number, string | undefined], string][] = [
    [
      'the store is down, with a cause',
      new SessionStoreUnavailableError('DynamoDB GetItem on tbl failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      [503, '2'],
      '[session] session store unavailable: DynamoDB GetItem on tbl failed: Error (ECONNREFUSED): connect',
    ],
    [
      'the store is down, no cause',
      new SessionStoreUnavailableError('service discovery failed'),
      [503, '2'],
      '[session] session store unavailable: service discovery failed',
    ],
    [
      'every retry lost',
      new SessionConflictError(),
      [503, '2'],
      `[session] session not saved: still conflicting after ${MAX_ATTEMPTS} attempts`,
    ],
    [
      'too large',
      new SessionTooLargeError(5000, 4096, 'a browser cookie'),
      [413, undefined],
      '[session] session not saved: the session is 5000 bytes, over the 4096-byte limit of a browser cookie',
    ],
    [
      'a schema that refuses {}',
      new SessionSchemaError('at user (missing)'),
      [500, undefined],
      '[session] schema error: the session schema does not accept an empty session {}, which every new visitor has at user (missing): give each field a default or make it optional',
    ],
    [
      'misconfigured',
      new SessionConfigError('ARC_X', 'is wrong; fix it'),
      [500, undefined],
      '[session] configuration error: ARC_X: is wrong; fix it',
    ],
    [
      'anything else',
      new TypeError('x is not a function'),
      [500, undefined],
      '[session] unexpected error: TypeError: x is not a function',
    ],
  ]
  for (const [name, error, response, line] of cases) {
    const logs = captureConsole(t)
    const result = errorResponse(error, { method: 'GET' })
    logs.restore()
    t.strictSame([result.statusCode, result.headers['retry-after']], response, `${name}: the status`)
    t.strictSame(logs.lines, [line], `${name}: one line`)
  }
})

t.test('a schema or configuration error is logged once per process, however many requests it fails', async (t) => {
  const logs = captureConsole(t)
  for (let i = 0; i < 3; i++) {
    errorResponse(new SessionConfigError('ARC_ONCE', 'is wrong'), { method: 'GET' })
    errorResponse(new SessionSchemaError('(once)'), { method: 'GET' })
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
