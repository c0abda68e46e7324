/**
 * One-time notices (flash messages): a post keeps one in the session, the next page shows it and
 * drops it, so a reload no longer shows it. The session holds only a notice's kind; its words are
 * fixed in the view, so nothing a session says is ever shown as text.
 */
import type { SessionData } from './session'

export type Notice = 'reset'

const KEY = 'notice'
const KINDS: readonly Notice[] = ['reset']

/** A session that carries `notice` to the next page. */
export function withNotice(session: SessionData, notice: Notice): SessionData {
  return { ...session, [KEY]: notice }
}

/**
 * Takes the notice out of a session: the notice to show (unknown kinds show nothing) and the
 * session to keep, or `undefined` when there was no notice and so nothing to write back.
 */
export function takeNotice(session: SessionData): { notice: Notice | undefined; rest: SessionData | undefined } {
  if (!(KEY in session)) return { notice: undefined, rest: undefined }
  const { [KEY]: kind, ...rest } = session
  const notice = KINDS.find((known) => known === kind)
  return { notice, rest }
}
