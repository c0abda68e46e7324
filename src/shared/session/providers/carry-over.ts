/**
 * Switching from cookie sessions to DynamoDB keeps users' sessions (docs/dynamodb.md, "Switching
 * from jwe"): a cookie that is not a signed id but a JWE token sealed with the app's key is read,
 * and moved into a new item on its next write. A read alone moves it only when the token is due to
 * slide, as JWE mode would re-seal it then (a fresh token read on GET / creates no item, and a
 * reader-only visitor is not lost after the lifetime). Its own module, given to the DynamoDB store
 * by the picker, so that neither store imports the other.
 */
import type { SessionLifetime } from '../core/lifetime'
import type { JweKey } from './jwe/token'
import { loadJweSession } from './jwe/store'
import { noSession, type LoadedSession, type UnreadableReason } from './store'

/** Reads a cookie that the DynamoDB store could not verify as a signed id (`reason` says why). */
export type CarryOver = (cookieValue: string, reason: UnreadableReason, nowMs: number) => LoadedSession

/** Undefined when there are no keys (a secret too short for JWE): such cookies then read as no session. */
export function createCarryOver(jweKeys: readonly JweKey[], lifetime: SessionLifetime): CarryOver | undefined {
  if (jweKeys.length === 0) return undefined
  return (cookieValue, reason, nowMs) => {
    if (cookieValue.split('.').length !== 5) return noSession(reason)
    // `exists`, so that ending it clears the cookie; no handle, so that its first write makes a new item.
    return loadJweSession(cookieValue, jweKeys, nowMs, lifetime, false)
  }
}
