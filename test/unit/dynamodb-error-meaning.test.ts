/**
 * What each failed DynamoDB call means for the request (docs/guarantees.md#g-faults-answered), name by name:
 * every SDK name and socket code that means "try again later" is a SessionStoreUnavailableError (503),
 * a rejection that is not even an object is a bug passed on as an Error, and only DynamoDB's own
 * ValidationException about the item size is a too-large session.
 */
import t from 'tap'
import { isUnavailable, storeError } from '../../src/shared/session/providers/ddb/errors'
import { MAX_ITEM_BYTES } from '../../src/shared/session/providers/ddb/item'
import { SessionStoreUnavailableError, SessionTooLargeError } from '../../src/shared/session/core/errors'

const sdk = (name: string, message = 'x', status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })
const socket = (code: string) => Object.assign(new Error(`connect ${code}`), { code })

t.test('every SDK name for "down, throttled or slow" is unavailable, even with a 4xx status', async (t) => {
  const names = [
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'InternalServerError',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
  ]
  for (const name of names) {
    const cause = sdk(name)
    const error = storeError(cause, 'GetItem', 'tbl')
    t.strictSame(
      [error instanceof SessionStoreUnavailableError, error.message, error.cause],
      [true, 'DynamoDB GetItem on tbl failed', cause],
      `${name} is "try again later"`,
    )
  }
  t.equal(isUnavailable(sdk('', 'x', 400)), false, 'an empty name is not one of them')
})

t.test('every socket error code (nothing answers, or the connection broke) is unavailable', async (t) => {
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']
  for (const code of codes) {
    const error = storeError(socket(code), 'PutItem', 'tbl')
    t.strictSame([error instanceof SessionStoreUnavailableError, error.message], [true, 'DynamoDB PutItem on tbl failed'], `${code} is "try again later"`)
  }
  t.equal(isUnavailable(socket('')), false, 'an empty code is not one of them')
})

t.test('a rejection with no value at all is a bug passed on as an Error, not a crash in the error handling', async (t) => {
  t.equal(isUnavailable(undefined), false)
  const error = storeError(undefined, 'GetItem', 'tbl')
  t.strictSame([error instanceof Error, error instanceof SessionStoreUnavailableError, error.message], [true, false, 'undefined'])
})

t.test('only a ValidationException about the item size is a too-large session, said as a DynamoDB item', async (t) => {
  const big = storeError(sdk('ValidationException', 'Item size has exceeded the maximum allowed size'), 'PutItem', 'tbl', 10)
  t.strictSame(
    [big instanceof SessionTooLargeError, big.message],
    [true, `the session is ${MAX_ITEM_BYTES + 1} bytes, over the ${MAX_ITEM_BYTES}-byte limit of a DynamoDB item`],
  )
  // Another error that merely mentions the item size is not DynamoDB's size check: it stays what it is.
  const other = sdk('TransactionCanceledException', 'Item size has exceeded the maximum allowed size')
  t.equal(storeError(other, 'PutItem', 'tbl', 10), other, 'passed on as it is')
})
