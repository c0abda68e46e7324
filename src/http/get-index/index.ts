import { counterSession } from '../../shared/counter-session'
import { counterPage } from '../../shared/views/counter-page'

/**
 * GET /: shows the count. It writes the session only to drop a one-time notice it has just shown;
 * a session left with nothing else (count 0, as a new visitor's) ends, and its cookie is cleared.
 */
export const handler = counterSession.http(async ({ session }) => {
  const { notice, ...rest } = session
  const html = counterPage({ count: session.count, notice })
  return notice === undefined ? { html } : { session: rest, html }
})
