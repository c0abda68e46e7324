/**
 * A fixed clock for code that reads `Date.now()` itself (the adapter, and @architect/functions as
 * the oracle): Set-Cookie strings, `iat` and `_ttl` are then exact. Undone at the test's end.
 */
import type { Test } from 'tap'

/** 2023-11-14T22:13:20Z: a whole second, as `iat` and `_ttl` are. */
export const FIXED_NOW = 1_700_000_000_000

export function fixClock(t: Pick<Test, 'capture'>, startMs = FIXED_NOW): { now(): number; set(ms: number): void; restore(): void } {
  let current = startMs
  const capture = t.capture(Date, 'now', () => current)
  return {
    now: () => current,
    set: (ms) => void (current = ms),
    restore: () => capture.restore(),
  }
}
