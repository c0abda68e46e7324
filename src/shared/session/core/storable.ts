/**
 * What a session may hold so that both stores can keep it and give it back unchanged
 * (docs/sessions.md, "What a session may hold"): JSON values in plain objects and arrays, numbers
 * that are finite and, when whole, safe integers (beyond 2^53 a number no longer round-trips
 * exactly), nested at most MAX_DEPTH levels. Checked on every read (stored data is input: a
 * session that fails reads as a new visitor's) and before every write (a handler's mistake is a
 * typed error, never stored).
 */

/**
 * DynamoDB's own limit for nested attributes (32 levels, "Nested attribute depth" in the DynamoDB
 * Developer Guide), kept in both modes so that a session that works in one works in the other.
 * Far below where JSON.stringify and the conversions run out of stack (a few thousand levels).
 */
export const MAX_DEPTH = 32

/**
 * Why `value` (a session) cannot be stored as it is, or undefined when it can. Iterative, so a
 * hostile 10,000-deep array costs a walk to level 33 and no stack. Never quotes a value.
 */
export function unstorable(value: unknown): string | undefined {
  if (!isObjectLike(value) || Array.isArray(value)) return 'at the top level (not an object)'
  const stack: { value: unknown; path: readonly (string | number)[] }[] = [{ value, path: [] }]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: node, path } = next
    if (node === null || typeof node === 'string' || typeof node === 'boolean') continue
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) return `${where(path)} (a number that is not finite)`
      if (Number.isInteger(node) && !Number.isSafeInteger(node)) return `${where(path)} (a whole number beyond 2^53)`
      continue
    }
    if (!isObjectLike(node)) return `${where(path)} (a ${typeof node}, not a JSON value)`
    if (path.length >= MAX_DEPTH) return `${where(path)} (nested deeper than ${MAX_DEPTH} levels)`
    if (Array.isArray(node)) {
      node.forEach((inner, index) => stack.push({ value: inner, path: [...path, index] }))
      continue
    }
    const prototype: unknown = Object.getPrototypeOf(node)
    if (prototype !== Object.prototype && prototype !== null) return `${where(path)} (an object that is not plain data)`
    for (const [key, inner] of Object.entries(node)) stack.push({ value: inner, path: [...path, key] })
  }
  return undefined
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}

/** "at list.3.name", for the log: keys that do not look like names (they come from data) are not shown. */
export function where(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'at the top level'
  // Long paths are cut: the log stays one short line.
  const shown = path.slice(0, 8).map((key) => (typeof key === 'number' || /^[A-Za-z_$][\w$-]{0,63}$/.test(key) ? String(key) : '[key]'))
  return `at ${shown.join('.')}${path.length > 8 ? '...' : ''}`
}
