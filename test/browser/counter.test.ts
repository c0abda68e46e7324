/**
 * The counter page in a real Chromium against the real Sandbox, in every session mode, with
 * JavaScript on and off: counting, reloading, resetting, the one-time notice, the keyboard, a
 * phone-width screen, and axe-core's accessibility rules in light and dark colour schemes.
 */
import { readFileSync, utimesSync } from 'node:fs'
import path from 'node:path'
import t, { type Test as Tap } from 'tap'
import type { AxeResults } from 'axe-core'
import type { Browser, Page } from 'playwright-core'
import { counterPage } from '../../src/shared/views/counter-page'
import { andWaitForPage, button, countShown, launchChromium, press, watchForProblems } from '../helpers/browser'
import { npmStart } from '../helpers/npm-start'
import { PORT_BASE, PROJECT_ROOT, startSandbox } from '../helpers/sandbox'

/** The session modes the page is tried in: encrypted cookies, and DynamoDB (the Sandbox's). */
const MODES: readonly Record<string, string>[] = [{ ARC_SESSION_TABLE_NAME: 'jwe' }, { ARC_SESSION_TABLE_NAME: 'sessions' }]

const SECRET = 'browser-test-secret-0123456789abcdef'
const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true }
const RESET_NOTICE =
  'Your count was reset in a new session. With DynamoDB sessions the old one was deleted; with cookie sessions a copy of the old cookie still reads until it expires.'
const AXE_SCRIPT = require.resolve('axe-core/axe.min.js')

/** Evaluates a DOM expression in the page (kept as a string: the project's types have no DOM). */
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression)
}

/** Presses Tab until the named button has the focus; false if it never gets it. */
async function tabTo(page: Page, name: string): Promise<boolean> {
  const focused = button(page, name).and(page.locator(':focus'))
  for (let presses = 0; presses < 10; presses++) {
    await page.keyboard.press('Tab')
    if ((await focused.count()) === 1) return true
  }
  return false
}

async function noticeShown(page: Page): Promise<string | null> {
  const status = page.getByRole('status')
  return (await status.count()) === 0 ? null : status.textContent()
}

async function checkCountResetFlow(t: Tap, page: Page, url: string): Promise<void> {
  const [stylesheet] = await Promise.all([
    page.waitForResponse((response) => response.url() === `${url}/_static/styles.css`),
    page.goto(`${url}/`),
  ])
  t.equal(await countShown(page), 0, 'a new visitor sees 0')
  t.equal(await noticeShown(page), null, 'and no notice')
  t.equal(
    await stylesheet.text(),
    readFileSync(path.join(PROJECT_ROOT, 'public', 'styles.css'), 'utf8'),
    'the stylesheet is public/styles.css, served through @static',
  )
  t.equal(await inPage(page, 'getComputedStyle(document.querySelector("main")).textAlign'), 'center', 'and it applies')

  for (let n = 1; n <= 3; n++) {
    await press(page, `Count ${n}`)
    t.equal(await countShown(page), n, `Count pressed ${n} times`)
  }
  await page.reload()
  t.equal(await countShown(page), 3, 'a reload still shows 3')

  await press(page, 'Reset')
  t.equal(await countShown(page), 0, 'Reset gives 0')
  t.equal(await noticeShown(page), RESET_NOTICE, 'the next page says so')
  await page.reload()
  t.equal(await countShown(page), 0)
  t.equal(await noticeShown(page), null, 'once: a reload no longer shows the notice')
}

async function checkKeyboard(t: Tap, page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`)
  const steps = [
    { name: 'Count 1', key: 'Enter', count: 1 },
    { name: 'Count 2', key: 'Space', count: 2 },
    { name: 'Reset', key: 'Enter', count: 0 },
  ]
  for (const { name, key, count } of steps) {
    t.ok(await tabTo(page, name), `Tab reaches "${name}"`)
    t.not(await inPage(page, 'getComputedStyle(document.activeElement).outlineStyle'), 'none', 'and shows where the focus is')
    await andWaitForPage(page, () => page.keyboard.press(key))
    t.equal(await countShown(page), count, `${key} on "${name}"`)
  }
}

/** The page fits a 375 px screen: no sideways scrolling, buttons whole and big enough to tap. */
async function checkFits(t: Tap, page: Page, what: string): Promise<void> {
  const scrollWidth = await inPage<number>(page, 'document.documentElement.scrollWidth')
  t.ok(scrollWidth <= PHONE.viewport.width, `${what}: nothing wider than the screen (${scrollWidth} px)`)
  for (const name of [/^Count \d+$/, 'Reset']) {
    const box = await button(page, name).boundingBox()
    t.ok(box && box.x >= 0 && box.x + box.width <= PHONE.viewport.width, `${what}: "${String(name)}" is on screen`)
    t.ok(box && box.height >= 44, `${what}: "${String(name)}" is at least 44 px tall`)
  }
}

async function checkPhone(t: Tap, page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`)
  await andWaitForPage(page, () => button(page, 'Count 1').tap())
  t.equal(await countShown(page), 1, 'a tap counts')
  await checkFits(t, page, 'count 1')
  // The widest the page gets: the largest count the app keeps, and the notice.
  const widest = counterPage({ count: Number.MAX_SAFE_INTEGER, notice: 'reset' })
  await page.route(`${url}/`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: widest }))
  await page.reload()
  t.equal(await countShown(page), Number.MAX_SAFE_INTEGER)
  await checkFits(t, page, 'a 16-digit count and the notice')
  await page.unroute(`${url}/`)
}

/** axe-core's rules on the page as it is now; colour contrast must have been checked, and passed. */
async function checkAxe(t: Tap, page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: AXE_SCRIPT })
  const results = await inPage<AxeResults>(page, 'axe.run()')
  const violations = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  t.strictSame(violations, [], `${what}: no violations`)
  t.ok(
    results.passes.some((rule) => rule.id === 'color-contrast'),
    `${what}: colour contrast was checked and passed`,
  )
}

async function checkAccessibility(t: Tap, browser: Browser, url: string): Promise<void> {
  const backgrounds: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    // bypassCSP: axe is injected as an inline script, which a strict CSP (rightly) refuses.
    const context = await browser.newContext({ colorScheme, bypassCSP: true })
    const page = await context.newPage()
    await page.goto(`${url}/`)
    await press(page, 'Count 1')
    await checkAxe(t, page, `${colorScheme}, counting`)
    await press(page, 'Reset')
    t.equal(await noticeShown(page), RESET_NOTICE)
    await checkAxe(t, page, `${colorScheme}, with the notice`)
    backgrounds.push(await inPage(page, 'getComputedStyle(document.body).backgroundColor'))
    await context.close()
  }
  t.not(backgrounds[0], backgrounds[1], 'the dark scheme really is another palette')
}

/**
 * The Sandbox's live reload runs under the page's Content-Security-Policy (allowed by hash): its
 * WebSocket opens, with no console error. (Reloading on a file change is the Sandbox CLI's watcher,
 * which `sandbox.start` does not run.)
 */
async function checkLiveReload(t: Tap, browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  const problems = watchForProblems(page)
  const socket = page.waitForEvent('websocket')
  await page.goto(`${url}/`)
  t.equal((await socket).url(), `ws://localhost:${PORT_BASE + 2}/`, "the live-reload script ran and reached the Sandbox")
  t.strictSame(problems, [], 'no CSP violation or other console error')
}

t.test('the counter page in Chromium', async (t) => {
  const browser = await launchChromium(t)

  for (const mode of MODES) {
    const label = Object.entries(mode).map(([key, value]) => `${key}=${value}`).join(' ')
    await t.test(label, async (t) => {
      const { url } = await startSandbox(t, { ...mode, ARC_APP_SECRET: SECRET })

      for (const javaScriptEnabled of [true, false]) {
        await t.test(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async (t) => {
          const context = await browser.newContext({ javaScriptEnabled })
          t.teardown(() => context.close())
          const page = await context.newPage()
          const problems = watchForProblems(page)
          await t.test('Count three times, reload, Reset, the notice once', (t) => checkCountResetFlow(t, page, url))
          await context.clearCookies()
          await t.test('everything works from the keyboard', (t) => checkKeyboard(t, page, url))

          const phone = await browser.newContext({ javaScriptEnabled, ...PHONE })
          t.teardown(() => phone.close())
          const phonePage = await phone.newPage()
          const phoneProblems = watchForProblems(phonePage)
          await t.test('at phone width', (t) => checkPhone(t, phonePage, url))

          t.strictSame([...problems, ...phoneProblems], [], 'no failed requests, error answers or console errors')
        })
      }

      await t.test('axe-core finds no violations, light or dark', (t) => checkAccessibility(t, browser, url))
      await t.test("the Sandbox's live reload is allowed by the policy", (t) => checkLiveReload(t, browser, url))
    })
  }
})

t.test('npm start: a changed project file reloads the open page (live reload under the CSP)', async (t) => {
  const browser = await launchChromium(t)
  const app = await npmStart(t)
  const page = await browser.newPage()
  const problems = watchForProblems(page)
  const socket = page.waitForEvent('websocket')
  await page.goto(`${app.url}/`)
  await socket
  // The file is not changed, only touched: the Sandbox's watcher sees an update all the same.
  const stylesheet = path.join(PROJECT_ROOT, 'public', 'styles.css')
  const reloaded = page.waitForEvent('load', { timeout: 15_000 })
  const now = new Date()
  utimesSync(stylesheet, now, now)
  await reloaded
  t.pass('the page reloaded')
  t.strictSame(problems, [], 'no CSP violation or other console error')
})
