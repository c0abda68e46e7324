import { readCount } from '../../shared/counter'
import { takeNotice } from '../../shared/notice'
import { http } from '../../shared/session'
import { counterPage } from '../../shared/views/counter-page'

/**
 * GET /: shows the count. It writes the session only to drop a one-time notice it has just shown;
 * a session left empty by that ends, and its cookie is cleared.
 */
export const handler = http(async (req) => {
  const { notice, rest } = takeNotice(req.session)
  const html = counterPage({ count: readCount(req.session), notice })
  return rest === undefined ? { html } : { session: rest, html }
})
