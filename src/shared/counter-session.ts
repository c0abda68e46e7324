/**
 * The counter's session, declared once for all three routes (docs/guarantees.md#g-typed-sessions): valibot checks it on
 * every read and TypeScript knows its shape in every handler. A session that does not match (an
 * older version's, another app's, a hand-made one) reads as a new visitor's: count 0, no notice.
 * valibot because it is tree-shaken to the few functions used here: see docs/typed-sessions.md
 * for what it adds to each handler's bundle and start-up.
 */
import * as v from 'valibot'
import { defineSession } from './session'
import { errorPage } from './views/error-page'

/**
 * One-time notices (flash messages): a post keeps one in the session, the next page shows it and
 * drops it, so a reload no longer shows it. The session holds only a notice's kind; its words are
 * fixed in the view, so nothing a session says is ever shown as text.
 */
export const NOTICES = ['reset'] as const
export type Notice = (typeof NOTICES)[number]

/**
 * The largest count: the largest whole number that JSON (a double) and so both stores keep exactly.
 * The schema refuses anything above it, so the counter stops here instead of asking to store one.
 */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER

export const counterSession = defineSession(
  v.object({
    /** Presses of "Count": a safe, non-negative whole number. Absent in a new session: 0. */
    count: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0)), 0),
    notice: v.optional(v.picklist(NOTICES)),
  }),
  // The session core's error pages (a store that does not answer, a refused cross-site post) in the app's look.
  { errorPage },
)
