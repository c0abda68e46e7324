/**
 * The session item (contract A4): `{ _idx, _secret, _ttl, _v, ...data }`, and the conversion of
 * session data (JSON values) to and from DynamoDB attribute values. `_v` is ours: a version that
 * makes every write conditional (contract B7); @architect/functions ignores it and keeps it.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { JsonValue, SessionData } from '../store'

export type Item = Record<string, AttributeValue>

/** The store's own attributes: never shown to handlers, never taken from them. */
export const ID = '_idx'
export const SECRET = '_secret'
export const TTL = '_ttl'
export const VERSION = '_v'
const STORE_ATTRIBUTES: ReadonlySet<string> = new Set([ID, SECRET, TTL, VERSION])

/** DynamoDB's item size limit, 400 KB (contract B4). */
export const MAX_ITEM_BYTES = 400 * 1024

export function dataToItem(data: SessionData): Item {
  // Through JSON first, as the JWE store does: what a handler gets back is what JSON can carry
  // (no undefined, no NaN, Dates as strings), whichever store is configured.
  const plain = JSON.parse(JSON.stringify(data)) as SessionData
  const item: Item = {}
  for (const [key, value] of Object.entries(plain)) {
    if (!STORE_ATTRIBUTES.has(key)) item[key] = toAttribute(value)
  }
  return item
}

export function itemToData(item: Item): SessionData {
  const data: SessionData = {}
  for (const [key, value] of Object.entries(item)) {
    if (!STORE_ATTRIBUTES.has(key)) data[key] = fromAttribute(value)
  }
  return data
}

function toAttribute(value: JsonValue): AttributeValue {
  if (value === null) return { NULL: true }
  if (typeof value === 'string') return { S: value }
  if (typeof value === 'number') return { N: String(value) }
  if (typeof value === 'boolean') return { BOOL: value }
  if (Array.isArray(value)) return { L: value.map(toAttribute) }
  const map: Item = {}
  for (const [key, inner] of Object.entries(value)) map[key] = toAttribute(inner)
  return { M: map }
}

/**
 * Any attribute value as JSON. Items written by other code (the reference, the console) may hold
 * sets and binaries: sets become arrays, binaries base64 strings.
 */
function fromAttribute(value: AttributeValue): JsonValue {
  if (value.S !== undefined) return value.S
  if (value.N !== undefined) return Number(value.N)
  if (value.BOOL !== undefined) return value.BOOL
  if (value.L !== undefined) return value.L.map(fromAttribute)
  if (value.M !== undefined) {
    const map: { [key: string]: JsonValue } = {}
    for (const [key, inner] of Object.entries(value.M)) map[key] = fromAttribute(inner)
    return map
  }
  if (value.SS !== undefined) return [...value.SS]
  if (value.NS !== undefined) return value.NS.map(Number)
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64')
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'))
  return null
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
