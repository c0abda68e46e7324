/**
 * Type tests for the adapter's request, response and middleware (docs/sessions.md). Only
 * `npm run typecheck` reads this file: each `@ts-expect-error` line must fail to compile, every
 * other line must compile.
 */
import { counterSession } from '../../src/shared/counter-session'
import { http, type HandlerResult, type HttpRequest, type RequestBody, type SessionRequest } from '../../src/shared/session'

// The request: arc's names, typed.
http(async (req) => {
  const method: string = req.method
  const path: string = req.path
  const route: string = req.resource
  const product: string | undefined = req.params['product']
  const tag: string | undefined = req.query['tag']
  const tags: string[] | undefined = req.multiValueQueryStringParameters['tag']
  const agent: string | undefined = req.headers['user-agent']
  const cookies: string[] = req.cookies
  const body: RequestBody = req.body
  // @ts-expect-error the body's type depends on its Content-Type: narrow it first
  const title: unknown = req.body.title
  const form = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}
  return { json: { method, path, route, product: product ?? null, tag: tag ?? null, tags: tags ?? [], agent: agent ?? null, title: typeof title, cookies, form: { ...form } } }
})
// @ts-expect-error a request has no `querystring` (arc calls it query)
http(async (req) => ({ text: String(req.querystring) }))

// Every response shape arc takes compiles...
const shapes: HandlerResult[] = [
  { statusCode: 201, headers: { 'x-id': 7, 'x-ok': true }, body: 'made' },
  { status: 202, html: '<p>ok</p>' },
  { code: 404, text: 'nope' },
  { css: 'a{}' },
  { js: '1' },
  { xml: '<a/>' },
  { json: [1, 'two', null] },
  { body: new Uint8Array([1]), type: 'image/png' },
  { body: 'aGk=', isBase64Encoded: true },
  { cookies: ['a=1'], cookie: 'b=2', multiValueHeaders: { 'x-tag': ['a', 'b'] } },
  { cacheControl: 'public, max-age=60', cors: true, compression: 'br', location: '/' },
  { session: { count: 1 }, regenerate: true, location: '/' },
  new Error('returned'),
  undefined,
  'sent as JSON',
  42,
  [1, 2],
]
// ...and a wrong type does not. (A misspelt key is caught when the handler runs: TypeScript checks
// no object an async function returns for extra keys.)
// @ts-expect-error a status is a number
http(async () => ({ status: '201', html: 'x' }))
// @ts-expect-error json holds JSON values only
http(async () => ({ json: { when: new Date() } }))
// @ts-expect-error a cookie list is strings
http(async () => ({ cookies: [1], html: 'x' }))

// Middleware: functions in order, options last; each function may pass the request on.
const signedIn = async (req: SessionRequest) => (req.session['user'] ? req : { status: 403, html: 'Sign in first' })
http(signedIn, async (req) => ({ json: { user: req.session['user'] ?? null } }))
http(signedIn, async () => ({ html: 'x' }), { allowCrossSite: true })
http(async (_req, context) => ({ text: context.awsRequestId }))
// @ts-expect-error options come last
http({ allowCrossSite: true }, signedIn)
// @ts-expect-error an option that does not exist
http(signedIn, { allowCrossSit: true })

// With a declared session: every function of the chain sees it typed, and returns it checked.
counterSession.http(
  async (req) => (req.session.count < 100 ? req : { status: 429, html: 'Enough' }),
  async ({ session }) => ({ session: { ...session, count: session.count + 1 }, location: '/' }),
  { allowCrossSite: false },
)
// @ts-expect-error a middleware function returning a session of another shape
counterSession.http(async () => ({ session: { count: 'one' }, location: '/' }), async () => undefined)

// The lower-level API is on `http` too, as on arc.http.
export async function manual(req: HttpRequest): Promise<string> {
  const session = await http.session.read(req)
  return http.session.write({ ...session, seen: true }, req)
}
export { shapes }
