import { readCount } from '../../shared/counter'
import { http } from '../../shared/session'
import { counterPage } from '../../shared/views/counter-page'

/** GET /: shows the count. Reads the session and never writes it. */
export const handler = http(async (req) => ({ html: counterPage({ count: readCount(req.session) }) }))
