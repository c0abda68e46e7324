/**
 * The DynamoDB item (contract A4, B4) and what a failed call means (B10), as pure functions:
 * session data to attribute values and back, items written by other code (sets, binaries), the
 * item size as DynamoDB counts it, and each SDK failure's meaning for the request.
 */
import t from 'tap'
import { dataToItem, itemBytes, itemToData, MAX_ITEM_BYTES, type Item } from '../../src/shared/session/providers/ddb/item'
import { isUnavailable, storeError } from '../../src/shared/session/providers/ddb/errors'
import { SessionConfigError, SessionConflictError, SessionStoreUnavailableError, SessionTooLargeError } from '../../src/shared/session/core/errors'

t.test('session data to attribute values: through JSON first, store attributes dropped', async (t) => {
  t.strictSame(
    dataToItem({ s: 'x', n: -1.5, t: true, f: false, z: null, l: [1, 'a', [null]], m: { k: { deep: 0 } } }),
    {
      s: { S: 'x' },
      n: { N: '-1.5' },
      t: { BOOL: true },
      f: { BOOL: false },
      z: { NULL: true },
      l: { L: [{ N: '1' }, { S: 'a' }, { L: [{ NULL: true }] }] },
      m: { M: { k: { M: { deep: { N: '0' } } } } },
    },
  )
  // What JSON cannot carry is what a handler would get back from the JWE store too.
  const odd = { gone: undefined, nan: Number.NaN, date: new Date(0), _idx: 'x', _secret: 's', _ttl: 1, _v: 3, kept: 1 } as unknown as Parameters<typeof dataToItem>[0]
  t.strictSame(dataToItem(odd), { nan: { NULL: true }, date: { S: '1970-01-01T00:00:00.000Z' }, kept: { N: '1' } })
})

t.test('attribute values to session data: numbers as numbers, sets as arrays, binaries as base64', async (t) => {
  const item: Item = {
    _idx: { S: 'id' },
    _secret: { S: 's' },
    _ttl: { N: '1' },
    _v: { N: '2' },
    s: { S: '' },
    n: { N: '42' },
    b: { BOOL: false },
    z: { NULL: true },
    l: { L: [{ N: '1.25' }, { M: { k: { S: 'v' } } }] },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', '2.5'] },
    bin: { B: new Uint8Array([104, 105]) },
    bs: { BS: [new Uint8Array([1]), new Uint8Array([255])] },
    unknown: {} as never,
  }
  t.strictSame(itemToData(item), { ok: true, data: {
    s: '',
    n: 42,
    b: false,
    z: null,
    l: [1.25, { k: 'v' }],
    ss: ['a', 'b'],
    ns: [1, 2.5],
    bin: 'aGk=',
    bs: ['AQ==', '/w=='],
    unknown: null,
  } })
})

t.test('item size as DynamoDB counts it: names and strings in UTF-8 bytes, numbers by significant digits', async (t) => {
  const cases: [string, Item, number][] = [
    ['a string: name + UTF-8 bytes', { a: { S: 'héllo' } }, 1 + 6],
    ['a number: two digits a byte, plus one', { n: { N: '12345' } }, 1 + 3 + 1],
    ['sign, point, and leading and trailing zeros are not significant', { n: { N: '-0.00120' } }, 1 + 1 + 1],
    ['an exponent is not a digit', { n: { N: '1.5e10' } }, 1 + 1 + 1],
    ['zero still takes a digit', { n: { N: '0' } }, 1 + 1 + 1],
    ['booleans and null: one byte', { b: { BOOL: true }, z: { NULL: true } }, 1 + 1 + 1 + 1],
    ['a list: 3 bytes, plus 1 and the value per element', { l: { L: [{ S: 'ab' }, { N: '7' }] } }, 1 + 3 + (1 + 2) + (1 + 2)],
    ['a map: 3 bytes, plus 1, the key and the value per entry', { m: { M: { k: { S: 'v' }, kk: { BOOL: false } } } }, 1 + 3 + (1 + 1 + 1) + (1 + 2 + 1)],
    ['a string set', { ss: { SS: ['a', 'bcd'] } }, 2 + 1 + 3],
    ['a number set', { ns: { NS: ['1', '123'] } }, 2 + 2 + 3],
    ['a binary: its bytes', { b: { B: new Uint8Array([1, 2, 3]) } }, 1 + 3],
    ['a binary set', { bs: { BS: [new Uint8Array([1]), new Uint8Array([1, 2])] } }, 2 + 1 + 2],
    ['an attribute of no known type: its name', { x: {} as never }, 1],
    ['several attributes add up', { a: { S: 'x' }, bb: { N: '10' } }, 1 + 1 + 2 + 2],
  ]
  for (const [name, item, bytes] of cases) t.equal(itemBytes(item), bytes, name)
})

t.test('what a failed call means: try again later, a conflict, a missing table, too large, or a bug', async (t) => {
  const sdk = (name: string, status?: number, message = 'x') => Object.assign(new Error(message), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } })
  const network = (code: string) => Object.assign(new Error('socket'), { code })
  const unavailable: [string, unknown, boolean][] = [
    ['throttled', sdk('ThrottlingException', 400), true],
    ['over provisioned throughput', sdk('ProvisionedThroughputExceededException', 400), true],
    ['a 5xx of any name', sdk('SomethingElse', 500), true],
    ['a 503', sdk('SomethingElse', 503), true],
    ['a 4xx of another name', sdk('SomethingElse', 499), false],
    ['refused connection', network('ECONNREFUSED'), true],
    ['another error code', network('EACCES'), false],
    ['a status that is not a number', sdk('SomethingElse', '500' as unknown as number), false],
    ['not an object', 'ECONNREFUSED', false],
    ['null', null, false],
  ]
  for (const [name, error, expected] of unavailable) t.equal(isUnavailable(error), expected, `${name}: ${expected ? 'unavailable' : 'not unavailable'}`)

  const conflict = storeError(sdk('ConditionalCheckFailedException', 400), 'PutItem', 'tbl')
  t.ok(conflict instanceof SessionConflictError, 'a failed condition is a conflict, for the adapter to retry')

  const cause = sdk('ThrottlingException', 400)
  const down = storeError(cause, 'GetItem', 'tbl')
  t.ok(down instanceof SessionStoreUnavailableError)
  t.strictSame([down.message, down.cause], ['DynamoDB GetItem on tbl failed', cause], 'says which call on which table, and keeps the cause')

  const missing = storeError(sdk('ResourceNotFoundException', 400), 'GetItem', 'tbl')
  t.ok(missing instanceof SessionConfigError)
  t.equal(missing.message, "ARC_SESSION_TABLE_NAME: DynamoDB has no table 'tbl'; check app.arc @tables and the deployment")

  const big = storeError(sdk('ValidationException', 400, 'Item size has exceeded the maximum allowed size'), 'PutItem', 'tbl', 5)
  if (!(big instanceof SessionTooLargeError)) throw new Error("DynamoDB's own size check must be a too-large session")
  t.strictSame([big.size, big.limit], [MAX_ITEM_BYTES + 1, MAX_ITEM_BYTES], 'over the limit even when our estimate was under it')
  const bigger = storeError(sdk('ValidationException', 400, 'item size too big'), 'PutItem', 'tbl', MAX_ITEM_BYTES + 99)
  t.equal(bigger instanceof SessionTooLargeError ? bigger.size : undefined, MAX_ITEM_BYTES + 99, 'our estimate when it is larger')

  const validation = sdk('ValidationException', 400, 'One or more parameter values were invalid')
  t.equal(storeError(validation, 'PutItem', 'tbl'), validation, 'any other validation error is a bug, passed on as it is')
  const thrown = storeError('a string', 'PutItem', 'tbl')
  t.strictSame([thrown instanceof Error, thrown.message], [true, 'a string'], 'a non-error becomes an Error')
})
