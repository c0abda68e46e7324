/**
 * The adapter's error pages (docs/sessions.md, "Error pages"): for each failure, the status, the
 * words, and a link only where one leads somewhere that works ("Try again" for a 503, none for a
 * 500 that every page would repeat); the look is the app's renderer, given the page's content,
 * or the core's plain page, which follows the browser's light or dark scheme.
 */
import t, { type Test as Tap } from 'tap'
import { handler as getIndex } from '../../src/http/get-index'
import { http, plainErrorPage, type ErrorPageContent } from '../../src/shared/session'
import {
  SessionConfigError,
  SessionConflictError,
  SessionSchemaError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
} from '../../src/shared/session/core/errors'
import { errorResponse } from '../../src/shared/session/lambda/error-response'
import { resetConfig } from '../../src/shared/session/testing'
import { errorPage } from '../../src/shared/views/error-page'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { captureConsole, lambdaEvent } from '../helpers/lambda-event'

const TRY_AGAIN_HERE = { href: '', label: 'Try again' }
const TRY_AGAIN_FROM_START = { href: '/', label: 'Try again' }
const BACK_TO_START = { href: '/', label: 'Back to the start' }

/** What the renderer was given for `error` answering a request with `method`. */
function contentFor(t: Tap, error: unknown, method: string): ErrorPageContent {
  const logs = captureConsole(t)
  let given: ErrorPageContent | undefined
  const result = errorResponse(error, { method }, { errorPage: (page) => ((given = page), 'rendered') })
  logs.restore()
  t.equal(result.body, 'rendered', "the app's renderer made the page")
  t.equal(result.statusCode, given?.statusCode)
  return given!
}

t.test('each failure: its status, its words, and a link that goes somewhere that works', async (t) => {
  const unavailable = new SessionStoreUnavailableError('DynamoDB GetItem failed')
  t.strictSame(contentFor(t, unavailable, 'GET'), {
    statusCode: 503,
    title: 'Try again in a moment',
    message: 'The session store is not answering right now.',
    action: TRY_AGAIN_HERE,
  }, 'a GET that failed for now: reload it')
  t.strictSame(contentFor(t, unavailable, 'POST').action, TRY_AGAIN_FROM_START, 'a POST cannot be repeated by a link: from the start')
  t.strictSame(contentFor(t, new SessionConflictError(), 'POST'), {
    statusCode: 503,
    title: 'Try again in a moment',
    message: 'Too many changes to this session at once.',
    action: TRY_AGAIN_FROM_START,
  })
  t.strictSame(contentFor(t, new SessionTooLargeError(5000, 4096, 'cookie'), 'POST').action, BACK_TO_START, 'too large: the start still works, the session as it was')
  t.strictSame(contentFor(t, new SessionConfigError('ARC_APP_SECRET', 'is not set'), 'GET'), {
    statusCode: 500,
    title: 'Not configured',
    message: 'Sessions are not configured on this server. The log says how to fix it.',
  }, 'a configuration error: no link, every page fails alike')
  t.equal(contentFor(t, new SessionSchemaError('x'), 'GET').action, undefined, 'a schema error: no link either')
  t.equal(contentFor(t, new Error('boom'), 'GET').action, undefined, 'an unexpected error: no link')
})

t.test('a 503 keeps its Retry-After, and every error page is HTML that is never cached', async (t) => {
  const logs = captureConsole(t)
  const result = errorResponse(new SessionConflictError(), { method: 'POST' })
  logs.restore()
  t.strictSame(result.headers, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache, no-store, must-revalidate, max-age=0, s-maxage=0',
    'retry-after': '2',
  })
})

t.test("the core's plain page: light or dark as the browser is, escaped, its link only when given", async (t) => {
  const page = plainErrorPage({ statusCode: 503, title: 'A <b> title', message: 'Tom & "Jerry"', action: TRY_AGAIN_HERE })
  t.match(page, '<meta name="color-scheme" content="light dark">')
  t.match(page, '<h1>A &#60;b&#62; title</h1><p>Tom &#38; &#34;Jerry&#34;</p><p><a href="">Try again</a></p>')
  t.notMatch(plainErrorPage({ statusCode: 500, title: 'x', message: 'y' }), /<a /)
  t.notMatch(page, /style/, 'no inline style: the Content-Security-Policy would refuse it')
})

t.test("the app's page: its stylesheet, its words escaped, its link only when given", async (t) => {
  const page = errorPage({ statusCode: 503, title: 'Try <again>', message: 'a & b', action: TRY_AGAIN_FROM_START })
  t.match(page, '<link rel="stylesheet" href="/_static/styles.css">')
  t.match(page, '<h1>Try &lt;again&gt;</h1>\n<p>a &amp; b</p>\n<p class="actions"><a class="action" href="/">Try again</a></p>')
  t.notMatch(page, /<style|style=/, 'no inline style')
  t.notMatch(errorPage({ statusCode: 500, title: 'Not configured', message: 'y' }), /<a /)
})

t.test("the app's routes give their error pages the app's look; a route without it, the plain page", async (t) => {
  await withEnv({ ...CLEAN_SESSION_ENV, ARC_ENV: 'production' }, async () => {
    resetConfig()
    const logs = captureConsole(t)
    const counter = await getIndex(lambdaEvent())
    const plain = await http(async () => ({ html: 'never' }))(lambdaEvent())
    logs.restore()
    resetConfig()
    t.equal(counter.statusCode, 500)
    t.equal(counter.body, errorPage({ statusCode: 500, title: 'Not configured', message: 'Sessions are not configured on this server. The log says how to fix it.' }))
    t.equal(plain.statusCode, 500)
    t.equal(plain.body, plainErrorPage({ statusCode: 500, title: 'Not configured', message: 'Sessions are not configured on this server. The log says how to fix it.' }))
  })
})
