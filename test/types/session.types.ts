/**
 * Type tests for typed sessions (docs/guarantees.md#g-typed-sessions). Only `npm run typecheck` reads this file; nothing
 * runs it. Each `@ts-expect-error` line must fail to compile (TypeScript reports a directive with
 * nothing to excuse), and every other line must compile: loosen a type (make `req.session` `any`,
 * or a handler's `session` any object) and the check fails.
 */
import * as v from 'valibot'
import { counterSession } from '../../src/shared/counter-session'
import { defineSession, http, type SessionData, type SessionRequest } from '../../src/shared/session'

// The app's one declaration types `req.session` in every handler: defaults filled in, literal kinds kept.
counterSession.http(async ({ session }) => {
  const count: number = session.count
  const notice: 'reset' | undefined = session.notice
  // @ts-expect-error a field the session does not have
  const user: unknown = session.user
  // @ts-expect-error a field of another type
  const text: string = session.count
  return { html: `${count} ${notice} ${String(user)} ${text}` }
})
// @ts-expect-error a handler written for a session of another shape
counterSession.http(async (req: SessionRequest<{ user: string }>) => ({ html: req.session.user }))

// What the three routes return compiles: a changed session, a new one holding only a notice (a
// field with a default may be left out), an ended one, none.
counterSession.http(async ({ session }) => ({ session: { ...session, count: session.count + 1 }, location: '/' }))
counterSession.http(async () => ({ session: { notice: 'reset' }, regenerate: true, location: '/' }))
counterSession.http(async ({ session }) => {
  const { notice, ...rest } = session
  return notice === undefined ? { html: '' } : { session: rest, html: notice }
})
counterSession.http(async () => ({ session: null, location: '/' }))
// @ts-expect-error a returned session of another shape
counterSession.http(async () => ({ session: { user: 'alice' }, location: '/' }))
// @ts-expect-error a returned field of the wrong type
counterSession.http(async ({ session }) => ({ session: { ...session, count: String(session.count + 1) }, location: '/' }))
// @ts-expect-error a notice kind the schema does not know
counterSession.http(async () => ({ session: { notice: 'hello' }, location: '/' }))

// The lower-level read and write carry the same types.
export async function lowerLevel(req: { headers: Record<string, string> }): Promise<string> {
  const session: { count: number; notice?: 'reset' | undefined } = await counterSession.read(req)
  // @ts-expect-error a field of the wrong type
  await counterSession.write({ count: 'one' }, req)
  return counterSession.write({ ...session, count: session.count + 1 }, req)
}

// A plain parse function declares a session too.
const visitor = defineSession((data: unknown): { name: string } => {
  const name = (data as { name?: unknown }).name
  return { name: typeof name === 'string' ? name : 'guest' }
})
visitor.http(async ({ session }) => ({ session: { name: session.name.toUpperCase() }, html: session.name }))
// @ts-expect-error a returned field of the wrong type
visitor.http(async ({ session }) => ({ session: { name: session.name.length }, html: '' }))

// A session is an object of JSON values: a schema that gives anything else is refused.
// @ts-expect-error a Date is not JSON
defineSession(v.object({ when: v.date() }))
// @ts-expect-error a session is an object, not a string
defineSession(v.string())
// @ts-expect-error a parse function must give an object of JSON values
defineSession((data: unknown) => ({ since: new Date(String(data)) }))

// Untyped sessions work as before: any JSON object, and only JSON.
http(async (req) => {
  const session: SessionData = req.session
  return { session: { ...session, visits: 1 }, json: { ok: true } }
})
// @ts-expect-error an untyped session still holds JSON values only
http(async () => ({ session: { when: new Date() }, location: '/' }))
