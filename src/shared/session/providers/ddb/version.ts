/**
 * The item's `_v`: how a write tells, after its answer was lost, whether it landed
 * (docs/dynamodb.md, "Each request applies once"). Every write puts a token of its own, chosen at
 * random for that write, at the head of `_v`, after the number of writes so far, and keeps the
 * tokens of the writes before it: `"<writes> <newest token> <the one before> ..."`, HISTORY of
 * them. Every write is conditional on the `_v` it read, so write number n + 1 can only follow the
 * item's write n; read back, the item says which token that write had: ours, someone else's, or
 * none yet. @architect/functions ignores `_v` and keeps it.
 */
import { randomBytes } from 'node:crypto'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'

/** Tokens kept: enough to outlast the writes that can land between a lost answer and its read back. */
export const HISTORY = 16

/** 12 random bytes, base64url: 16 characters that no other write will ever choose. */
export function newWriteToken(): string {
  return randomBytes(12).toString('base64url')
}

const TOKEN = /^[A-Za-z0-9_-]{16}$/

export interface Version {
  /** Writes so far (ours); 0 for an item that has none, such as one @architect/functions made. */
  readonly writes: number
  /** Their tokens, newest first: `tokens[i]` is write number `writes - i`. */
  readonly tokens: readonly string[]
}

/**
 * `_v` as read. Stored data is input: anything else than what we write (a number, from an older
 * version of this app, or garbage) is a count without tokens, or nothing.
 */
export function parseVersion(value: AttributeValue | undefined): Version {
  const n = value?.N
  if (typeof n === 'string') return { writes: wholeNumber(n), tokens: [] }
  const s = value?.S
  if (typeof s !== 'string') return { writes: 0, tokens: [] }
  const [count = '', ...tokens] = s.split(' ')
  const writes = wholeNumber(count)
  const valid = tokens.slice(0, HISTORY)
  return { writes, tokens: valid.every((token) => TOKEN.test(token)) && valid.length <= writes ? valid : [] }
}

/** The `_v` a write puts: one more write, its token first. */
export function nextVersion(read: Version, token: string): AttributeValue {
  return { S: [String(read.writes + 1), token, ...read.tokens.slice(0, HISTORY - 1)].join(' ') }
}

/**
 * What an item read back says of our write, which followed write number `read.writes`:
 * `landed` (its token is there), `lost` (another write took that place, so ours can never land),
 * or `unknown` (too many writes since, or no `_v` of ours to tell by).
 */
export function writeOutcome(read: Version, token: string, now: Version): 'landed' | 'lost' | 'unknown' {
  if (now.tokens.includes(token)) return 'landed'
  const ours = read.writes + 1
  const index = now.writes - ours
  return index >= 0 && index < now.tokens.length ? 'lost' : 'unknown'
}

function wholeNumber(text: string): number {
  const n = Number(text)
  return Number.isSafeInteger(n) && n >= 0 && n < Number.MAX_SAFE_INTEGER ? n : 0
}
