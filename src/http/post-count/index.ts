import { readCount } from '../../shared/counter'
import { http } from '../../shared/session'

/** POST /count: adds one to the count, then sends the browser back to the page (post/redirect/get). */
export const handler = http(async (req) => ({
  session: { ...req.session, count: readCount(req.session) + 1 },
  location: '/',
}))
