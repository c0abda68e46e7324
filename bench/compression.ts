/**
 * Is compressing this app's pages worth it? `arc.http` brotli- or gzip-compresses every text
 * response the browser accepts; the adapter does it only when a response asks (docs/sessions.md).
 * This measures what compression would save on the app's own pages and what it would cost a
 * process that the Sandbox (every request) or Lambda (every cold start) starts fresh: loading
 * zlib, and compressing one page, against a process that does neither.
 *
 *   npx tsx bench/compression.ts
 */
import { spawnSync } from 'node:child_process'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { counterPage } from '../src/shared/views/counter-page'
import { median } from './lib/measure'

/** Interleaved, as bench/startup.ts: a shared 2-core machine drifts. */
const RUNS = 30

function processMs(script: string): number {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit', env: { PATH: process.env['PATH'] ?? '' } })
  if (result.status !== 0) throw new Error(`node -e ${script} failed`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

function warmMs(fn: () => unknown, operations = 2000): number {
  for (let i = 0; i < 200; i++) fn()
  const start = process.hrtime.bigint()
  for (let i = 0; i < operations; i++) fn()
  return Number(process.hrtime.bigint() - start) / 1e6 / operations
}

export function runCompression(): string {
  const pages: [string, string][] = [
    ['GET / (count 42)', counterPage({ count: 42, notice: undefined })],
    ['GET / after a reset (with the notice)', counterPage({ count: 0, notice: 'reset' })],
  ]
  const sizes = pages.map(([name, html]) => {
    const br = brotliCompressSync(html).length
    const gzip = gzipSync(html).length
    const bytes = Buffer.byteLength(html)
    return `| ${name} | ${bytes} | ${br} (−${bytes - br}) | ${gzip} (−${bytes - gzip}) |`
  })

  const html = JSON.stringify(pages[0]![1])
  const cases: [string, string][] = [
    ['node, nothing loaded', ''],
    ['+ load zlib', "process.getBuiltinModule('node:zlib')"],
    ['+ load zlib, brotli one page (quality 11, arc\'s)', `process.getBuiltinModule('node:zlib').brotliCompressSync(${html})`],
    ['+ load zlib, gzip one page', `process.getBuiltinModule('node:zlib').gzipSync(${html})`],
  ]
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (let run = 0; run < RUNS; run++) for (const [name, script] of cases) samples.get(name)!.push(processMs(script))
  const floor = median(samples.get('node, nothing loaded')!)
  const cold = cases.map(([name]) => {
    const ms = median(samples.get(name)!)
    return `| ${name} | ${ms.toFixed(1)} | +${(ms - floor).toFixed(1)} |`
  })

  const page = pages[0]![1]
  const warm = [
    ['brotli, quality 11 (arc\'s)', () => brotliCompressSync(page)],
    ['brotli, quality 4', () => brotliCompressSync(page, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })],
    ['gzip', () => gzipSync(page)],
  ].map(([name, fn]) => `| ${name as string} | ${(warmMs(fn as () => unknown) * 1000).toFixed(0)} µs |`)

  return [
    'Page sizes, bytes (what compression would save):',
    '',
    '| page | plain | brotli | gzip |',
    '|---|---:|---:|---:|',
    ...sizes,
    '',
    `A fresh process (median of ${RUNS}, interleaved), ms:`,
    '',
    '| process | wall | over the floor |',
    '|---|---:|---:|',
    ...cold,
    '',
    'Compressing the GET / page in a warm process (per page):',
    '',
    '| coding | time |',
    '|---|---:|',
    ...warm,
  ].join('\n')
}

if (require.main === module) console.log(runCompression())
