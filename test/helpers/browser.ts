/**
 * A real, headless Chromium (Debian's package, driven by playwright-core) and the few moves a
 * person makes on the counter page: read the count, press a button, look for problems.
 */
import { existsSync } from 'node:fs'
import type { Test } from 'tap'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'

/** Debian's `chromium` package; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Headless as root needs --no-sandbox; the rest keep Chromium from reaching out to Google's
 * services (no internet here) and from using a GPU there is none of (docs/testing.md).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

type Tap = Pick<Test, 'teardown'>

/** Launches Chromium for a test; playwright gives it a fresh, empty profile and deletes it on close. */
export async function launchChromium(t: Tap): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
  t.teardown(() => browser.close())
  return browser
}

/** The count the page shows, read from its heading. */
export async function countShown(page: Page): Promise<number> {
  const text = await page.getByRole('heading', { level: 1 }).locator('#count').textContent()
  return Number(text)
}

/** A button by its accessible name, as a screen reader user would ask for it. */
export function button(page: Page, name: RegExp | string): Locator {
  return page.getByRole('button', { name, exact: typeof name === 'string' })
}

/** Runs `act` (a click, a key press) and waits until the page it leads to has loaded. */
export async function andWaitForPage(page: Page, act: () => Promise<void>): Promise<void> {
  const loaded = page.waitForEvent('load')
  await act()
  await loaded
}

/** Presses a button with the mouse and waits for the next page (post/redirect/get). */
export function press(page: Page, name: RegExp | string): Promise<void> {
  return andWaitForPage(page, () => button(page, name).click())
}

/** Collects what goes wrong while a page is used: failed requests, 4xx/5xx answers, console errors (CSP included). */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.url()}: ${response.status()}`)
  })
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  return problems
}
