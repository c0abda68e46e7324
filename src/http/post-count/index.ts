import { counterSession, MAX_COUNT } from '../../shared/counter-session'

/**
 * POST /count: adds one to the count, then sends the browser back to the page (post/redirect/get).
 * At the largest count it changes nothing: the page says the count can go no higher.
 */
export const handler = counterSession.http(async ({ session }) =>
  session.count >= MAX_COUNT ? { location: '/' } : { session: { ...session, count: session.count + 1 }, location: '/' },
)
