/**
 * The counter's user journey, shared by the integration suites of every session mode.
 */
import type { Test } from 'tap'
import tiny from 'tiny-json-http'
import { countOnPage, request, sessionCookieOf, type Response } from './http-client'
import { captureSessionLog } from './lambda-log'

type Tap = Test

/** The one-time notice the page shows after a reset. */
export const RESET_NOTICE = /<p class="notice" role="status">Your count was reset/

/** A browser-like client: keeps the `_idx` cookie between requests. */
export class Visitor {
  cookie: string | undefined
  constructor(readonly url: string) {}

  private headers(): Record<string, string> {
    return this.cookie === undefined ? {} : { cookie: `_idx=${this.cookie}` }
  }

  private remember(response: Response): Response {
    const cookie = sessionCookieOf(response)
    if (cookie !== undefined) this.cookie = cookie === '' ? undefined : cookie
    return response
  }

  /** GET /: the page's HTML. */
  async page(): Promise<string> {
    const page = this.remember(await request('GET', `${this.url}/`, { headers: this.headers() }))
    if (page.status !== 200) throw new Error(`GET / answered ${page.status}`)
    return page.body
  }

  async count(): Promise<number> {
    return countOnPage(await this.page())
  }

  async post(path: '/count' | '/reset'): Promise<Response> {
    return this.remember(await request('POST', `${this.url}${path}`, { headers: this.headers() }))
  }
}

export async function counterFlow(t: Tap, url: string): Promise<void> {
  await t.test('a new visitor sees 0, and gets no cookie for looking', async (t) => {
    const page = await tiny.get({ url: `${url}/` })
    t.equal(countOnPage(String(page.body)), 0)
    t.match(String(page.body), /<button type="submit">Count 1<\/button>/)
    t.equal(page.headers['set-cookie'], undefined, 'GET / writes no session')
    t.notMatch(String(page.body), RESET_NOTICE, 'and no notice')
  })

  await t.test('three posts to /count give 3, reset gives 0', async (t) => {
    const visitor = new Visitor(url)
    for (let i = 1; i <= 3; i++) {
      const response = await visitor.post('/count')
      t.equal(response.status, 303, 'post/redirect/get')
      t.equal(response.headers.location, '/')
      t.equal(await visitor.count(), i)
    }
    const counted = visitor.cookie
    const reset = await visitor.post('/reset')
    t.equal(reset.status, 303)
    t.equal(reset.headers.location, '/')
    t.not(visitor.cookie, undefined, 'reset starts a new session, carrying only the notice')
    t.not(visitor.cookie, counted, 'the counting session is replaced')
    const page = await visitor.page()
    t.equal(countOnPage(page), 0)
    t.match(page, RESET_NOTICE, 'the next page says the count was reset')
    t.equal(visitor.cookie, undefined, 'showing the notice ends the session: the cookie is cleared')
    const reloaded = await visitor.page()
    t.equal(countOnPage(reloaded), 0)
    t.notMatch(reloaded, RESET_NOTICE, 'a reload no longer shows the notice')
  })

  await t.test('a post through tiny-json-http is answered with a redirect and a session cookie', async (t) => {
    // tiny-json-http treats 303 as a failure and hands back the raw response.
    const error = await tiny.post({ url: `${url}/count`, data: {} }).then(
      () => undefined,
      (e: unknown) => e as { statusCode?: number; raw?: { headers: Record<string, string | string[]> } },
    )
    t.equal(error?.statusCode, 303)
    const setCookie = ([] as string[]).concat(error?.raw?.headers['set-cookie'] ?? [])
    t.equal(setCookie.length, 1)
    t.match(setCookie[0], /^_idx=[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/)
  })

  await t.test('pages are never cached', async (t) => {
    const visitor = new Visitor(url)
    const response = await visitor.post('/count')
    t.match(response.headers['cache-control'], /no-store/)
    const page = await request('GET', `${url}/`, { headers: { cookie: `_idx=${visitor.cookie}` } })
    t.match(page.headers['cache-control'], /no-store/)
  })
}

/** Each Cookie header gets the empty page on GET / and a redirect on POST /count: never a 5xx. */
export async function hostileCookiesAreHarmless(t: Tap, url: string, cookies: readonly string[]): Promise<void> {
  for (const cookie of cookies) {
    const page = await request('GET', `${url}/`, { headers: { cookie } })
    t.equal(page.status, 200, `GET / with ${cookie.slice(0, 40)}`)
    t.match(page.body, /id="count">0</)
    const post = await request('POST', `${url}/count`, { headers: { cookie } })
    t.equal(post.status, 303, `POST /count with ${cookie.slice(0, 40)}`)
  }
}

/**
 * a stored session of another shape (`value`, an `_idx` cookie value) gives GET / a
 * normal page with the schema's defaults and the one log line `logged`, and is not written back.
 * Returns a visitor holding that cookie, to show what a write then does.
 */
export async function foreignSessionReadsAsNew(t: Tap, url: string, value: string, logged: string): Promise<Visitor> {
  const log = captureSessionLog(t)
  const page = await request('GET', `${url}/`, { headers: { cookie: `_idx=${value}` } })
  t.equal(page.status, 200)
  t.equal(countOnPage(page.body), 0, "the schema's defaults")
  t.notMatch(page.body, RESET_NOTICE)
  t.equal(sessionCookieOf(page), undefined, 'a read writes nothing back')
  await log.waitFor(1)
  t.strictSame(log.lines, [logged])
  const visitor = new Visitor(url)
  visitor.cookie = value
  return visitor
}
