/**
 * Property-based checks with fast-check, run as tap assertions. Every property runs at least
 * PROPERTY_RUNS generated inputs (10,000) and says how many in its assertion message, so the TAP output is
 * the record of what ran. FC_SEED=<n> (printed by fast-check on a failure) replays a failing run.
 */
import fc from 'fast-check'
import type { Test } from 'tap'

/**
 * 10,000 in `npm test`. FC_RUNS=<n> runs fewer, for the mutation run (docs/testing.md), where every
 * test file runs once per mutant; the checks that both sides of a property ran scale with it.
 */
export const PROPERTY_RUNS = /^[1-9]\d*$/.test(process.env['FC_RUNS'] ?? '') ? Number(process.env['FC_RUNS']) : 10_000

function parameters<T>(): fc.Parameters<T> {
  const seed = process.env['FC_SEED']
  return seed === undefined ? { numRuns: PROPERTY_RUNS } : { numRuns: PROPERTY_RUNS, seed: Number(seed) }
}

/** Checks `predicate` (which throws on failure) for PROPERTY_RUNS values of `arbitrary`. */
export function checkProperty<T>(t: Pick<Test, 'equal'>, name: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  let runs = 0
  fc.assert(
    fc.property(arbitrary, (value) => {
      runs++
      predicate(value)
    }),
    parameters<[T]>(),
  )
  t.equal(runs, PROPERTY_RUNS, `${name}: ${runs} generated cases`)
}

export async function checkAsyncProperty<T>(
  t: Pick<Test, 'equal'>,
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
): Promise<void> {
  let runs = 0
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      runs++
      await predicate(value)
    }),
    parameters<[T]>(),
  )
  t.equal(runs, PROPERTY_RUNS, `${name}: ${runs} generated cases`)
}

/** Any UTF-16 code unit, lone surrogates and control characters included: what a hostile header can hold once decoded. */
export const anyCodeUnit: fc.Arbitrary<string> = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit))

/** Any string at all, up to `maxLength` code units. */
export function anyString(maxLength = 64): fc.Arbitrary<string> {
  return fc.string({ unit: anyCodeUnit, maxLength })
}

/** Strings that look like what they attack: random mixes of `pieces` and arbitrary text. */
export function stringOf(pieces: readonly string[], maxParts = 12): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...pieces), anyString(8)), { maxLength: maxParts })
    .map((parts) => parts.join(''))
}

export const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly with: string }
  | { readonly kind: 'insert'; readonly at: number; readonly with: string }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly other: number }

/** One edit of a string, positions as fractions of its length so the same edit fits any string. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), with: fc.oneof(fc.constantFrom(...Array.from(BASE64URL), '.', '%'), anyCodeUnit) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), with: fc.oneof(fc.constantFrom(...Array.from(BASE64URL), '.'), anyString(4)) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), other: fc.double({ min: 0, max: 1, noNaN: true }) }),
)

export function mutate(value: string, edit: Mutation): string {
  const index = (fraction: number) => Math.min(value.length - 1, Math.max(0, Math.floor(fraction * value.length)))
  const at = index(edit.at)
  switch (edit.kind) {
    case 'replace':
      return value.slice(0, at) + edit.with + value.slice(at + 1)
    case 'insert':
      return value.slice(0, at) + edit.with + value.slice(at)
    case 'delete':
      return value.slice(0, at) + value.slice(at + 1)
    case 'truncate':
      return value.slice(0, at)
    case 'swap': {
      const other = index(edit.other)
      const chars = value.split('')
      const a = chars[at]
      const b = chars[other]
      if (a === undefined || b === undefined) return value
      chars[at] = b
      chars[other] = a
      return chars.join('')
    }
  }
}
