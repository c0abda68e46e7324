import { counterSession } from '../../shared/counter-session'

/** POST /count: adds one to the count, then sends the browser back to the page (post/redirect/get). */
export const handler = counterSession.http(async ({ session }) => ({
  session: { ...session, count: session.count + 1 },
  location: '/',
}))
