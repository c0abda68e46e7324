/**
 * What a handler is given of a stored session: the session itself when no schema is declared, or
 * what the schema makes of it (docs/guarantees.md#g-typed-sessions). A stored session that does not match is read as a
 * new visitor's (the schema's defaults), with one log line; the stored data is not touched here.
 */
import { SessionSchemaError } from '../core/errors'
import { logLine } from '../core/log'
import { checkSession, type SessionSchema, type SessionShape } from './schema'
import type { LoadedSession } from '../providers/store'

export interface SessionView<Session> {
  /** The handler's session: a copy of its own, so nothing it changes in place is shared. */
  readonly session: Session
  /** `session` as JSON: tells whether the handler changed it. */
  readonly json: string
  /** False when the stored session did not match the schema and the handler got its defaults. */
  readonly matched: boolean
  /**
   * What a refresh-on-read (docs/guarantees.md#g-expiry-on-read) writes back: the data as stored, as JSON, taken before a schema saw
   * it. Absent when no refresh is due, and when the session did not match its schema (docs/guarantees.md#g-typed-sessions: a mere
   * read does not write back a mismatched session).
   */
  readonly refreshWith?: string
}

export type AnySessionSchema = SessionSchema<SessionShape, SessionShape>

export async function viewSession<Session>(schema: AnySessionSchema | undefined, loaded: LoadedSession): Promise<SessionView<Session>> {
  if (!schema) {
    // Without a schema the handler gets the loaded data itself: a new object on every load.
    const json = JSON.stringify(loaded.data)
    return { session: loaded.data as Session, json, matched: true, ...(loaded.exists && loaded.refresh ? { refreshWith: json } : {}) }
  }
  // No stored session (or an unusable cookie): the handler gets what an empty session reads as.
  if (!loaded.exists) return { ...copyOf<Session>(await emptySession(schema)), matched: true }
  const stored = loaded.refresh ? JSON.stringify(loaded.data) : undefined
  const checked = await checkSession(schema, loaded.data)
  if (checked.ok) return { ...copyOf<Session>(checked.session), matched: true, ...(stored === undefined ? {} : { refreshWith: stored }) }
  // not an error page. The handler gets a valid session, the log says where the
  // stored one failed (never a value), and the stored session stays as it is until the handler writes.
  logLine('warn', `session did not match its schema ${checked.why}: using the schema's defaults until the session is written`)
  return { ...copyOf<Session>(await emptySession(schema)), matched: false }
}

/**
 * Whether a session about to be saved (as JSON) reads as a new visitor's: `{}`, or the schema's
 * defaults. It holds nothing worth keeping, so saving it ends the session instead (the spirit of
 * docs/guarantees.md#g-lazy-writes: no item or cookie for nothing). The adapter and the lower-level `write` both ask this.
 */
export async function readsAsNew(schema: AnySessionSchema | undefined, json: string): Promise<boolean> {
  return json === '{}' || (schema !== undefined && json === JSON.stringify(await emptySession(schema)))
}

/** The schema's defaults: what a new visitor's session `{}` reads as. */
async function emptySession(schema: AnySessionSchema): Promise<SessionShape> {
  const checked = await checkSession(schema, {})
  if (!checked.ok) throw new SessionSchemaError(checked.why)
  return checked.session
}

/**
 * Through JSON, so the handler's session is its own (a schema may hand out one default object to
 * every request of a warm Lambda) and holds exactly what a store can keep.
 */
// The one place where a checked session becomes the schema's output type: a cast by design.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function copyOf<Session>(session: SessionShape): { session: Session; json: string } {
  const json = JSON.stringify(session)
  // A session of JSON primitives only (the counter's) is copied as it is: nothing in it can be
  // shared, and JSON would give it back unchanged, so parsing the string again is work for nothing.
  const copy: unknown = Object.values(session).every(isJsonPrimitive) ? { ...session } : JSON.parse(json)
  return { session: copy as Session, json }
}

function isJsonPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}
