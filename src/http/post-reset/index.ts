import { withNotice } from '../../shared/notice'
import { http } from '../../shared/session'

/**
 * POST /reset: ends the session and starts a new, empty one (new id, old one destroyed) that only
 * carries the "count was reset" notice to the next page.
 */
export const handler = http(async () => ({ session: withNotice({}, 'reset'), regenerate: true, location: '/' }))
