/**
 * The DynamoDB item at its edges (docs/guarantees.md#g-compat-dynamodb, #g-size-guard): attributes the SDK
 * left without a value, malformed lists, maps and binary sets written by other code, numbers with no
 * JSON form, the nesting limit exactly at MAX_DEPTH, and trailing zeros in the size estimate.
 */
import t from 'tap'
import { itemBytes, itemToData, type Item } from '../../src/shared/session/providers/ddb/item'
import { MAX_DEPTH } from '../../src/shared/session/core/storable'

/** `depth` nested maps under `d`, with `bottom` inside the innermost: the bottom sits at path length depth + 1. */
function nested(depth: number, bottom: unknown): Item {
  let value: unknown = bottom
  for (let i = 0; i < depth; i++) value = { M: { d: value } }
  return { d: value } as Item
}

/** The value at the bottom of `nested`'s data. */
function bottomOf(data: unknown, depth: number): unknown {
  let value = (data as { d: unknown }).d
  for (let i = 0; i < depth; i++) value = (value as { d: unknown }).d
  return value
}

t.test('attributes and map entries the SDK left without a value are skipped, not an unusable item', async (t) => {
  const item = { kept: { S: 'x' }, gone: undefined, m: { M: { a: undefined, b: { N: '2' } } } } as unknown as Item
  t.strictSame(itemToData(item), { ok: true, data: { kept: 'x', m: { b: 2 } } })
})

t.test('loaded data has ordinary properties: a handler can change and delete them', async (t) => {
  const converted = itemToData({ count: { N: '1' }, m: { M: { k: { S: 'v' } } } })
  if (!converted.ok) throw new Error(converted.why)
  const data = converted.data as Record<string, unknown>
  data['count'] = 2
  delete data['m']
  t.strictSame(data, { count: 2 })
  t.strictSame(Object.getOwnPropertyDescriptor(data, 'count'), { value: 2, writable: true, enumerable: true, configurable: true })
})

t.test('a map attribute that is null, and a binary set with non-binary members, read as no value', async (t) => {
  t.strictSame(
    itemToData({ m: { M: null }, bs: { BS: ['not bytes', new Uint8Array([1])] } } as unknown as Item),
    { ok: true, data: { m: null, bs: ['', 'AQ=='] } },
  )
})

t.test('a number with no JSON form (not a number, or infinite) makes the item unusable, with where', async (t) => {
  t.strictSame(itemToData({ n: { N: 'abc' } }), { ok: false, why: 'at n (a number with no JSON form)' })
  t.strictSame(itemToData({ l: { L: [{ N: '1' }, { N: 'Infinity' }] } }), { ok: false, why: 'at l.1 (a number with no JSON form)' })
  t.strictSame(itemToData({ ns: { NS: ['1', '1e400'] } }), { ok: false, why: 'at ns.1 (a number with no JSON form)' })
})

t.test('inside a list, where says the index of the bad element', async (t) => {
  t.strictSame(
    itemToData({ l: { L: [{ N: '1' }, { L: [{ S: 'a' }, { N: '9007199254740993' }] }] } }),
    { ok: false, why: 'at l.1.1 (a whole number beyond 2^53)' },
  )
})

t.test('the nesting limit counts lists and maps only: a scalar or set at the deepest level is fine', async (t) => {
  // The innermost map is at path length MAX_DEPTH - 1; its value sits at MAX_DEPTH.
  const depth = MAX_DEPTH - 1
  for (const [what, bottom, expected] of [
    ['null', { NULL: true }, null],
    ['a string set', { SS: ['a'] }, ['a']],
    ['an unknown type', {}, null],
  ] as const) {
    const converted = itemToData(nested(depth, bottom))
    t.strictSame(converted.ok ? bottomOf(converted.data, depth) : converted.why, expected, `${what} at the deepest level`)
  }
  for (const [what, bottom] of [
    ['a list', { L: [] }],
    ['a map', { M: {} }],
  ] as const) {
    const converted = itemToData(nested(depth, bottom))
    t.strictSame(
      [converted.ok, converted.ok ? undefined : converted.why.endsWith(`(nested deeper than ${MAX_DEPTH} levels)`)],
      [false, true],
      `${what} one level deeper is too deep`,
    )
  }
  // Lists count as levels too: MAX_DEPTH - 1 lists deep is fine, MAX_DEPTH is not.
  const lists = (n: number): Item => {
    let value: unknown = { S: 'x' }
    for (let i = 0; i < n; i++) value = { L: [value] }
    return { l: value } as Item
  }
  t.equal(itemToData(lists(MAX_DEPTH - 1)).ok, true, 'lists as deep as allowed')
  t.equal(itemToData(lists(MAX_DEPTH)).ok, false, 'lists one level deeper')
})

t.test('item size: trailing zeros of a whole number are not significant digits', async (t) => {
  // 1000 is one significant digit: one byte for it, plus one.
  t.equal(itemBytes({ n: { N: '1000' } }), 1 + 1 + 1)
  t.equal(itemBytes({ n: { N: '123000000' } }), 1 + 2 + 1)
})
