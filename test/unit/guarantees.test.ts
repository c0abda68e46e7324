/**
 * docs/guarantees.md stays true to the tests: every test file it names exists and holds every test
 * title it quotes, every promise names at least one test, every promise has its own anchor, and
 * every link to an anchor of the page, anywhere in the repository, leads to one.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { readDoc } from '../helpers/markdown'
import { PROJECT_ROOT, projectFiles } from '../helpers/project-files'

const page = readDoc('guarantees.md')

interface Guarantee {
  readonly anchor: string
  readonly heading: string
  /** Under "Limits": what the core does not promise, which may have no test. */
  readonly limit: boolean
  readonly tests: { file: string; titles: string[] }[]
}

/** Each `###` section, with the anchor just above its heading and the tests its list names. */
function guarantees(): Guarantee[] {
  const found: Guarantee[] = []
  let limits = false
  const lines = page.split('\n')
  lines.forEach((line, i) => {
    if (line.startsWith('## ')) limits = line === '## Limits'
    if (line.startsWith('### ')) {
      const anchor = /^<a id="([^"]+)"><\/a>$/.exec(lines[i - 1] ?? '')?.[1] ?? ''
      found.push({ anchor, heading: line.slice(4), limit: limits, tests: [] })
    }
    const test = /^- `(test\/[^`]+)`(.*)$/.exec(line)
    if (test) found[found.length - 1]?.tests.push({ file: test[1]!, titles: [...test[2]!.matchAll(/“([^”]+)”/g)].map((m) => m[1]!) })
  })
  return found
}

/** The lines of a test file that start a test, with the escapes of a quoted title undone. */
function testLines(file: string): string[] {
  return readFileSync(path.join(PROJECT_ROOT, file), 'utf8')
    .split('\n')
    .filter((line) => line.includes('t.test('))
    .map((line) => line.replace(/\\(['"`])/g, '$1'))
}

t.test('every promise has an anchor of its own and names the tests that prove it', async (t) => {
  const all = guarantees()
  t.ok(all.length >= 20, `the promises are found (${all.length})`)
  t.strictSame(all.filter((p) => !/^g-[a-z0-9-]+$/.test(p.anchor)).map((p) => p.heading), [], 'each has a g- anchor just above its heading')
  const anchors = all.map((p) => p.anchor)
  t.strictSame(anchors.filter((a, i) => anchors.indexOf(a) !== i), [], 'no anchor twice')
  t.strictSame(all.filter((p) => !p.limit && p.tests.length === 0).map((p) => p.heading), [], 'every promise outside Limits names a test')
})

t.test('every test file named exists and holds every test title quoted', async (t) => {
  for (const { heading, tests } of guarantees()) {
    for (const { file, titles } of tests) {
      if (!existsSync(path.join(PROJECT_ROOT, file))) {
        t.fail(`${heading}: ${file} does not exist`)
        continue
      }
      const lines = testLines(file)
      for (const title of titles) t.ok(lines.some((line) => line.includes(title)), `${heading}: ${file} has a test “${title}”`)
    }
  }
})

t.test('every link to an anchor of the page leads to one', async (t) => {
  const anchors = new Set(guarantees().map((p) => p.anchor))
  const files = ['README.md', ...['src', 'test', 'docs', 'bench', 'scripts'].flatMap((dir) => projectFiles(dir, /\.(ts|js|md|arc)$/))]
  const links: string[] = []
  for (const file of files) {
    const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8')
    const pattern = file === path.join('docs', 'guarantees.md') ? /\]\(#(g-[\w-]+)\)/g : /guarantees\.md#(g-[\w-]+)/g
    for (const match of text.matchAll(pattern)) links.push(`${file}: #${match[1]}`)
  }
  t.ok(links.length > 0, `links are found (${links.length})`)
  t.strictSame(links.filter((link) => !anchors.has(link.split('#')[1]!)), [], 'no link to a missing anchor')
})
