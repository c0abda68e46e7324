/**
 * The app's error pages in a real Chromium against the real Sandbox (docs/sessions.md, "Error
 * pages"): in the dark scheme they have the counter page's colours (the app's stylesheet, allowed
 * by the Content-Security-Policy) and pass axe-core; a refused post links back to a page that
 * works; a configuration error, which every page would repeat, links nowhere.
 */
import t, { type Test as Tap } from 'tap'
import type { AxeResults } from 'axe-core'
import type { Page } from 'playwright-core'
import { countShown, launchChromium, watchForProblems } from '../helpers/browser'
import { startSandbox } from '../helpers/sandbox'

const SECRET = 'error-pages-test-secret-0123456789abcdef'
const AXE_SCRIPT = require.resolve('axe-core/axe.min.js')
/** public/styles.css, dark scheme: --bg #0d1117 and --text #e6edf3. */
const DARK = { background: 'rgb(13, 17, 23)', text: 'rgb(230, 237, 243)' }

function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression)
}

async function checkLookAndAxe(t: Tap, page: Page, what: string): Promise<void> {
  t.strictSame(
    {
      background: await inPage(page, 'getComputedStyle(document.body).backgroundColor'),
      text: await inPage(page, 'getComputedStyle(document.body).color'),
    },
    DARK,
    `${what}: the app's dark colours`,
  )
  t.equal(await inPage(page, 'getComputedStyle(document.body).fontFamily.includes("system-ui")'), true, `${what}: the app's font`)
  await page.addScriptTag({ path: AXE_SCRIPT })
  const results = await inPage<AxeResults>(page, 'axe.run()')
  t.strictSame(results.violations.map((v) => v.id), [], `${what}: no axe violations`)
  t.ok(results.passes.some((rule) => rule.id === 'color-contrast'), `${what}: colour contrast checked and passed`)
}

t.test('error pages in Chromium, dark scheme', async (t) => {
  const browser = await launchChromium(t)

  await t.test('a refused cross-site post: the app look, and a link back that works', async (t) => {
    const { url } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET })
    // bypassCSP only for axe, injected as a script; the stylesheet is checked under the real policy first.
    const strict = await browser.newContext({ colorScheme: 'dark' })
    t.teardown(() => strict.close())
    const page = await strict.newPage()
    const problems = watchForProblems(page)
    // A form on another origin (a data: page has an opaque one) posting to the app.
    await page.setContent(`<form method="post" action="${url}/count"><button>Post</button></form>`)
    const [answer] = await Promise.all([page.waitForResponse(`${url}/count`), page.getByRole('button', { name: 'Post' }).click()])
    await page.waitForLoadState('load')
    t.equal(answer.status(), 403)
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Refused')
    t.equal(await inPage(page, 'getComputedStyle(document.body).backgroundColor'), DARK.background, 'the stylesheet applies under the policy')
    // The 403 itself is reported twice (the answer, and Chromium's console line for it); nothing else.
    t.strictSame(problems.filter((p) => !/\b403\b/.test(p)), [], "no CSP violation: the stylesheet is the app's own file")
    t.equal(problems.length, 2)
    await page.getByRole('link', { name: 'Back to the start' }).click()
    await page.waitForLoadState('load')
    t.equal(await countShown(page), 0, 'the link leads to the counter page, which works')

    const context = await browser.newContext({ colorScheme: 'dark', bypassCSP: true })
    t.teardown(() => context.close())
    const axePage = await context.newPage()
    await axePage.setContent(`<form method="post" action="${url}/count"><button>Post</button></form>`)
    await Promise.all([axePage.waitForResponse(`${url}/count`), axePage.getByRole('button', { name: 'Post' }).click()])
    await axePage.waitForLoadState('load')
    await checkLookAndAxe(t, axePage, 'Refused')
  })

  await t.test('a configuration error: the app look, and no link to a page that would fail the same way', async (t) => {
    const { url } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: 'not a table name!', ARC_APP_SECRET: SECRET })
    const context = await browser.newContext({ colorScheme: 'dark', bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const answer = await page.goto(`${url}/`)
    t.equal(answer?.status(), 500)
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Not configured')
    t.equal(await page.getByRole('link').count(), 0, 'no link')
    await checkLookAndAxe(t, page, 'Not configured')
  })
})
