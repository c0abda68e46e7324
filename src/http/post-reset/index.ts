import { counterSession } from '../../shared/counter-session'

/**
 * POST /reset: ends the session and starts a new, empty one (new id, old one destroyed) that only
 * carries the "count was reset" notice to the next page.
 */
export const handler = counterSession.http(async () => ({ session: { notice: 'reset' }, regenerate: true, location: '/' }))
