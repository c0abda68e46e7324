/**
 * The session item (docs/guarantees.md#g-compat-dynamodb): `{ _idx, _secret, _ttl, _v, _created, ...data }`, and the conversion
 * of session data (JSON values) to and from DynamoDB attribute values. `_v` and `_created` are ours:
 * a version that makes every write conditional (docs/guarantees.md#g-no-lost-updates), and when the session began (the
 * absolute lifetime, core/lifetime.ts); @architect/functions ignores both and keeps them.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { MAX_DEPTH, where } from '../../core/storable'
import { BEGAN_AT } from '../../core/lifetime'
import type { JsonValue, SessionData } from '../store'

export type Item = Record<string, AttributeValue>

/** The store's own attributes: never shown to handlers, never taken from them. */
export const ID = '_idx'
export const SECRET = '_secret'
export const TTL = '_ttl'
export const VERSION = '_v'
/** When the session began (epoch seconds), for the absolute lifetime; @architect/functions ignores it and keeps it. */
export const CREATED = BEGAN_AT
const STORE_ATTRIBUTES: ReadonlySet<string> = new Set([ID, SECRET, TTL, VERSION, CREATED])

/** DynamoDB's item size limit, 400 KB (docs/guarantees.md#g-size-guard). */
export const MAX_ITEM_BYTES = 400 * 1024

export function dataToItem(data: SessionData): Item {
  // Through JSON first, as the JWE store does: what a handler gets back is what JSON can carry
  // (no undefined, no NaN, Dates as strings), whichever store is configured.
  const plain = JSON.parse(JSON.stringify(data)) as SessionData
  const item: Item = {}
  // Object.entries, not obj[key]: for an own `__proto__`, obj[key] is the own value, but only by luck of how it was made.
  for (const [key, value] of Object.entries(plain)) {
    if (!STORE_ATTRIBUTES.has(key)) setOwn(item, key, toAttribute(value))
  }
  return item
}

/** Session data, or why an item's data cannot be one (the item then reads as a new visitor's). */
export type ItemData = { readonly ok: true; readonly data: SessionData } | { readonly ok: false; readonly why: string }

/**
 * Stored data is input: an item written by other code (the reference, the console, an attacker
 * with table access) may hold anything DynamoDB can. Only own attributes are read, every object
 * is built with own data properties (a name such as `__proto__` stays data, never a prototype),
 * and a value that has no exact JSON form (a number beyond 2^53, nesting deeper than MAX_DEPTH)
 * makes the whole item unusable rather than silently changed.
 */
export function itemToData(item: Item): ItemData {
  try {
    const data: SessionData = {}
    // Typed loosely on purpose: stored data is input, whatever the SDK's types say.
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      // The SDK itself keeps a `__proto__` name but drops its value: nothing to read.
      if (!STORE_ATTRIBUTES.has(key) && value !== undefined) setOwn(data, key, fromAttribute(value, [key]))
    }
    return { ok: true, data }
  } catch (error) {
    if (error instanceof Unconvertible) return { ok: false, why: error.message }
    throw error
  }
}

/** Thrown inside the conversion only, and turned into a result by itemToData. */
class Unconvertible extends Error {}

/** A key as data: `obj[key] = value` would set the prototype for `__proto__`. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

function toAttribute(value: JsonValue): AttributeValue {
  if (value === null) return { NULL: true }
  if (typeof value === 'string') return { S: value }
  if (typeof value === 'number') return { N: String(value) }
  if (typeof value === 'boolean') return { BOOL: value }
  if (Array.isArray(value)) return { L: value.map(toAttribute) }
  const map: Item = {}
  for (const [key, inner] of Object.entries(value)) setOwn(map, key, toAttribute(inner))
  return { M: map }
}

/**
 * Any attribute value as JSON. Items written by other code may hold sets and binaries: sets
 * become arrays, binaries base64 strings. `path` is where the value sits, for the log.
 */
function fromAttribute(value: unknown, path: readonly (string | number)[]): JsonValue {
  if (typeof value !== 'object' || value === null) throw new Unconvertible(`${where(path)} (not an attribute value)`)
  const own = (name: keyof AttributeValue) => (Object.hasOwn(value, name) ? (value as unknown as Record<string, unknown>)[name] : undefined)
  const S = own('S')
  if (typeof S === 'string') return S
  const N = own('N')
  if (typeof N === 'string') return toNumber(N, path)
  const BOOL = own('BOOL')
  if (typeof BOOL === 'boolean') return BOOL
  const L = own('L')
  const M = own('M')
  // The item is the session's first level: lists and maps nest at most MAX_DEPTH levels with it, as in core/storable.ts.
  if ((L !== undefined || M !== undefined) && path.length >= MAX_DEPTH) throw new Unconvertible(`${where(path)} (nested deeper than ${MAX_DEPTH} levels)`)
  if (Array.isArray(L)) return L.map((inner: unknown, index) => fromAttribute(inner, [...path, index]))
  if (typeof M === 'object' && M !== null) {
    const map: { [key: string]: JsonValue } = {}
    for (const [key, inner] of Object.entries(M as Record<string, unknown>)) if (inner !== undefined) setOwn(map, key, fromAttribute(inner, [...path, key]))
    return map
  }
  const SS = own('SS')
  if (Array.isArray(SS)) return SS.map(String)
  const NS = own('NS')
  if (Array.isArray(NS)) return NS.map((n: unknown, index) => toNumber(String(n), [...path, index]))
  const B = own('B')
  if (B instanceof Uint8Array) return Buffer.from(B).toString('base64')
  const BS = own('BS')
  if (Array.isArray(BS)) return BS.map((b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString('base64') : ''))
  return null
}

/** DynamoDB keeps 38 significant digits; JSON (a double) keeps whole numbers exactly up to 2^53. */
function toNumber(text: string, path: readonly (string | number)[]): number {
  const n = Number(text)
  if (!Number.isFinite(n)) throw new Unconvertible(`${where(path)} (a number with no JSON form)`)
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) throw new Unconvertible(`${where(path)} (a whole number beyond 2^53)`)
  return n
}

/**
 * The item's size as DynamoDB counts it ("Item sizes and formats", DynamoDB Developer Guide):
 * attribute names and strings by UTF-8 length, numbers by about one byte per two significant
 * digits plus one, maps and lists 3 bytes plus 1 per element, null and booleans 1 byte.
 */
export function itemBytes(item: Item): number {
  let size = 0
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + attributeBytes(value)
  return size
}

function attributeBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S)
  if (value.N !== undefined) return numberBytes(value.N)
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.L !== undefined) return value.L.reduce((sum, v) => sum + 1 + attributeBytes(v), 3)
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + attributeBytes(v), 3)
  }
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0)
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0)
  if (value.B !== undefined) return value.B.length
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0)
  return 0
}

function numberBytes(n: string): number {
  const digits = n.replace(/^-|[eE].*$|\./g, '').replace(/^0+/, '').replace(/0+$/, '')
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1
}
