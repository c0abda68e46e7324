/**
 * The developer's loop with `npm start`, on a fresh copy of the project (no .build yet), in a real
 * Chromium (docs/development.md, "Live reload"):
 * - from "Local environment ready!" on, no request gets the Sandbox's 502, even before the first build;
 * - an edited view reloads the open page once its new bundle is written: the new text, never a 502;
 * - a syntax error reloads it to a page with esbuild's message; the fix reloads it back.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import type { Page } from 'playwright-core'
import { countShown, launchChromium, watchForProblems } from '../helpers/browser'
import { request } from '../helpers/http-client'
import { npmStart, READY, WATCHING } from '../helpers/npm-start'
import { projectCopy } from '../helpers/project-copy'

const VIEW = path.join('src', 'shared', 'views', 'counter-page.ts')
const NOTE = 'Your count is kept in your session, not in this page.'

/** Writes the file, then waits for the page the live reload brings. */
async function editAndWaitForReload(page: Page, file: string, text: string): Promise<void> {
  const reloaded = page.waitForEvent('load', { timeout: 30_000 })
  writeFileSync(file, text)
  await reloaded
}

t.test('npm start on a fresh clone: no 502, then edits land on the page', async (t) => {
  const copy = projectCopy(t)
  const app = await npmStart(t, {}, { cwd: copy, until: READY })

  // Every request from "ready" until the start plugins (the first build) are done, one after another.
  const answers: { status: number; beforeBuild: boolean }[] = []
  while (!app.output().includes(WATCHING)) {
    const beforeBuild = !app.output().includes('Compiled')
    answers.push({ status: (await request('GET', `${app.url}/`)).status, beforeBuild })
  }
  t.ok(answers[0]?.beforeBuild, 'the first request went out before the first build was written')
  t.strictSame(
    answers.map((a) => a.status),
    answers.map(() => 200),
    'every request got the page: those before the build waited for it',
  )

  const browser = await launchChromium(t)
  const page = await browser.newPage()
  const problems = watchForProblems(page)
  const socket = page.waitForEvent('websocket')
  await page.goto(`${app.url}/`)
  await socket
  t.equal(await countShown(page), 0)

  const view = path.join(copy, VIEW)
  const original = readFileSync(view, 'utf8')
  const changed = original.replace(NOTE, 'Edited: the page shows the new bundle.')
  t.not(changed, original, 'the view has the sentence the test edits')
  await editAndWaitForReload(page, view, changed)
  t.equal(await page.locator('.note').textContent(), 'Edited: the page shows the new bundle.', 'an edited view: the reload shows the new text')
  t.strictSame(problems, [], 'no 502 or other failed answer, no console error')

  await editAndWaitForReload(page, view, original.replace('export function counterPage', 'export functio n counterPage'))
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Build failed', 'a syntax error: the build error page')
  const message = await page.locator('pre').textContent()
  t.match(message, /Unexpected "functio"/, "with esbuild's message")
  // The line of `export function counterPage`, wherever the view has it now.
  const line = original.split('\n').findIndex((l) => l.startsWith('export function counterPage')) + 1
  t.match(message, new RegExp(`src/shared/views/counter-page\\.ts:${line}:7`), 'and where it is')

  await editAndWaitForReload(page, view, original)
  t.equal(await countShown(page), 0, 'fixed: the counter page is back')
  t.equal(await page.locator('.note').textContent(), NOTE)
})
