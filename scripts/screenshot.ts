/**
 * Takes the README's screenshot (docs/screenshot.png): the real page in Chromium, served by the
 * Sandbox, after counting to 3. Run with `npm run screenshot` (TEST_PORT_BASE moves its ports).
 */
import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { countShown, launchChromium, press } from '../test/helpers/browser'
import { PROJECT_ROOT, startSandbox } from '../test/helpers/sandbox'

const OUT = path.join(PROJECT_ROOT, 'docs', 'screenshot.png')

t.test('screenshot of the counter page', async (t) => {
  const { url } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: 'jwe' })
  const browser = await launchChromium(t)
  const page = await browser.newPage({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, colorScheme: 'light' })
  await page.goto(`${url}/`)
  for (let n = 1; n <= 3; n++) await press(page, `Count ${n}`)
  t.equal(await countShown(page), 3)
  mkdirSync(path.dirname(OUT), { recursive: true })
  await page.screenshot({ path: OUT })
  t.ok(statSync(OUT).size > 0, `wrote ${path.relative(PROJECT_ROOT, OUT)}`)
})
