/**
 * a session's shape, declared once and shared by every route.
 *
 *   export const counterSession = defineSession(v.object({ count: v.optional(v.number(), 0) }))
 *   export const handler = counterSession.http(async (req) => ({ session: { count: req.session.count + 1 }, location: '/' }))
 *
 * A bound object rather than `http(schema, handler)`: in a generic call TypeScript infers an async
 * handler's return type before it applies the schema, so a literal such as `notice: 'reset'` is
 * widened to `string` and refused. A method of an object whose types are already fixed has no such
 * gap, and the declaration is written once instead of in every route.
 */
import type { CookieSource } from './cookie/codec'
import { createHttp, type HttpOptions, type SessionHandler, type SessionLambda } from './lambda/http'
import { readWith, writeWith } from './lambda/read-write'
import type { InferSession, InferSessionInput, SessionSchema, SessionShape } from './typed/schema'
import type { AnySessionSchema } from './typed/view'

export interface TypedSession<Session extends SessionShape, Input extends SessionShape = Session> {
  readonly schema: SessionSchema<Session, Input>
  /**
   * The adapter, with `req.session` checked against the schema and typed by it: one handler, or
   * several run in order as middleware (docs/sessions.md); options, if any, last.
   */
  http(...handlers: SessionHandler<Session, Input>[]): SessionLambda
  http(...args: [...handlers: SessionHandler<Session, Input>[], options: HttpOptions]): SessionLambda
  /** The request's session as the schema reads it (its defaults when it has none, or a mismatched one). */
  read(req: CookieSource): Promise<Session>
  /** Saves `session`; returns the Set-Cookie header. A session that reads as a new visitor's ends. */
  write(session: Input, req?: CookieSource): Promise<string>
}

/**
 * `schema`: a Standard Schema (valibot, zod, arktype, ...) or a parse function `(data: unknown) => Session`.
 * `defaults`: options for every route's `http`, e.g. the app's `errorPage`; a route's own options add to them.
 */
export function defineSession<Schema extends AnySessionSchema>(
  schema: Schema,
  defaults: HttpOptions = {},
): TypedSession<InferSession<Schema>, InferSessionInput<Schema>> {
  type Session = InferSession<Schema>
  return {
    schema: schema as SessionSchema<Session, InferSessionInput<Schema>>,
    http: (...args: unknown[]) => createHttp(schema, args, defaults),
    read: (req) => readWith<Session>(schema, req),
    write: (session, req) => writeWith(schema, session, req),
  }
}
