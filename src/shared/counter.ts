/** The counter's one piece of domain logic: what the session says the count is. */
import type { SessionData } from './session'

/** A count that is not a safe, non-negative whole number (a foreign or hand-made session) reads as 0. */
export function readCount(session: SessionData): number {
  const count = session['count']
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : 0
}
