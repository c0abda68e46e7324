/**
 * docs/guarantees.md#g-typed-sessions, typed sessions: the shape of a session, as the app declares it, and the check that
 * a stored session has it. A session is input (a cookie or an item may hold whatever an older
 * version of the app, another app or @architect/functions wrote there), so it is checked on every
 * read, by a validator the app supplies: any Standard Schema (valibot, zod, arktype, ...), or a
 * plain parse function for apps that want no library.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { isPlainObject } from '../providers/store'

/** What a typed session may hold: JSON values, with `undefined` for an absent field (JSON drops it). */
export type SessionValue =
  | null
  | boolean
  | number
  | string
  | readonly SessionValue[]
  | { readonly [key: string]: SessionValue | undefined }

/** A typed session: an object of JSON values. Declare it with `type`, not `interface`, or infer it from a schema. */
export type SessionShape = { [key: string]: SessionValue | undefined }

/** Returns the session it is given, typed; throws (or rejects) when it does not have the shape. */
export type ParseSession<Session extends SessionShape> = (data: unknown) => Session | Promise<Session>

/**
 * A session's declaration. `Input` is what may be stored (what the schema accepts: fields with a
 * default may be absent), `Session` what a handler is given (defaults filled in).
 */
export type SessionSchema<Session extends SessionShape = SessionShape, Input extends SessionShape = Session> =
  | StandardSchemaV1<Input, Session>
  | ParseSession<Session>

/** The session a schema gives a handler. (A Standard Schema is tested first: arktype's are also functions.) */
export type InferSession<Schema> =
  Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : Schema extends ParseSession<infer Session> ? Session : never

/** What a handler may store under a schema: what the schema accepts on the next read. */
export type InferSessionInput<Schema> =
  Schema extends StandardSchemaV1 ? StandardSchemaV1.InferInput<Schema> : InferSession<Schema>

export type SchemaResult<Session> =
  | { readonly ok: true; readonly session: Session }
  /** `why` names where and how the data failed, never a value from it (it goes to the log). */
  | { readonly ok: false; readonly why: string }

/**
 * Runs a schema over stored session data. Never throws: a validator that throws or rejects, or
 * gives something other than an object, is a mismatch like any other.
 */
export async function checkSession<Session extends SessionShape>(schema: SessionSchema<Session, SessionShape>, data: unknown): Promise<SchemaResult<Session>> {
  let session: unknown
  try {
    if (isStandardSchema(schema)) {
      // Standard Schema: `validate` may answer synchronously or with a Promise (awaited only then:
      // an await of a plain value still costs a turn of the microtask queue on every read).
      const answer = schema['~standard'].validate(data)
      const result = answer instanceof Promise ? await answer : answer
      if (result.issues) return { ok: false, why: describeIssues(result.issues, data) }
      session = result.value
    } else {
      session = await schema(data)
    }
  } catch (error) {
    // zod's and valibot's parse errors carry their issues; anything else says only what it is.
    const issues = (error as { issues?: unknown } | null)?.issues
    if (Array.isArray(issues) && issues.length > 0) return { ok: false, why: describeIssues(issues as StandardSchemaV1.Issue[], data) }
    return { ok: false, why: `(the validator threw ${error instanceof Error ? error.name : typeof error})` }
  }
  return isPlainObject(session) ? { ok: true, session: session as Session } : { ok: false, why: "(the schema's output is not an object)" }
}

function isStandardSchema(schema: SessionSchema<SessionShape, SessionShape>): schema is StandardSchemaV1<SessionShape, SessionShape> {
  return typeof (schema as Partial<StandardSchemaV1>)['~standard']?.validate === 'function'
}

/**
 * "at count (expected number)", for the log: the first issue's path and what the schema expected,
 * or that nothing is there. Not the issue's message, which may quote the data (valibot's does).
 */
export function describeIssues(issues: readonly StandardSchemaV1.Issue[], data: unknown): string {
  const [first] = issues
  if (!first) return '(no issue given)'
  // Defensive: an error's `issues` may be anything, and this must not throw.
  const path: readonly unknown[] = Array.isArray(first.path) ? first.path : []
  const keys = path.map((segment) => (typeof segment === 'object' && segment !== null ? (segment as { key?: unknown }).key : segment))
  // `expected` is not in the Standard Schema spec, but valibot, zod and arktype all describe the
  // schema's expectation there (`number`, `"reset"`, `>=0`), never the value they were given.
  // Printable and short, so the log stays one line.
  const expected = (first as { expected?: unknown }).expected
  const what =
    keys.length > 0 && valueAt(data, keys) === undefined
      ? ' (missing)'
      : typeof expected === 'string' && /^[\x20-\x7e]{1,60}$/.test(expected)
        ? ` (expected ${expected})`
        : ''
  const more = issues.length > 1 ? ` and ${issues.length - 1} more` : ''
  return `${keys.length > 0 ? `at ${keys.map(pathKey).join('.')}` : 'at the top level'}${what}${more}`
}

/** What the data holds at a path, to tell a missing field from a wrong one. */
function valueAt(data: unknown, keys: readonly unknown[]): unknown {
  let value = data
  for (const key of keys) {
    if (!isPropertyKey(key) || typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/**
 * A path segment as the log may show it. Object keys are the schema's names; a record's keys come
 * from the data, so a key that does not look like a name is not shown.
 */
function pathKey(key: unknown): string {
  if (typeof key === 'number') return String(key)
  if (typeof key === 'string' && /^[A-Za-z_$][\w$-]{0,63}$/.test(key)) return key
  return '[key]'
}

function isPropertyKey(key: unknown): key is PropertyKey {
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'symbol'
}
