import { http } from '../../shared/session'

/** POST /reset: ends the session, then sends the browser back to the page. */
export const handler = http(async () => ({ session: null, location: '/' }))
