/**
 * Start-up: the time for a fresh Node process to load each built handler (median of ten,
 * interleaved), against an empty handler. Sandbox starts a process per request and Lambda starts
 * one per cold start, so this cost is paid often.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { buildHandlers, type HandlerName } from './lib/build'
import { median } from './lib/measure'

const LOADER = path.resolve(__dirname, '..', 'src', 'shared', 'session', 'build', 'aws-sdk-code-cache.js')

/** The issue asks for a median of ten; thirty interleaved runs steady it on a shared 2-core machine. */
const RUNS = 30

function loadMs(script: string): number {
  const start = process.hrtime.bigint()
  // A clean environment: only what a JWE-mode function sees, not what other benchmarks set here.
  const env = { PATH: process.env['PATH'] ?? '', ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe' }
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit', env })
  if (result.status !== 0) throw new Error(`node -e ${script} failed`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

export async function runStartup(): Promise<string> {
  const bundles = await buildHandlers()
  const cases: [string, string][] = [
    ['node, no handler (process floor)', ''],
    ...(Object.entries(bundles) as [HandlerName, string][]).map(
      ([name, file]): [string, string] => [name, `require(${JSON.stringify(file)})`],
    ),
    // What DynamoDB mode loads on top: the used part of the AWS SDK, bundled beside index.js, with
    // its V8 code cache, through the loader that index.js bundles (src/shared/session/build/aws-sdk-code-cache.js).
    [
      '+ aws-sdk/client-dynamodb.js with its code cache (DynamoDB mode)',
      `require(${JSON.stringify(bundles['ours: get-index'])}); require(${JSON.stringify(LOADER)}).loadPart(${JSON.stringify(path.dirname(bundles['ours: get-index']))}, 'aws-sdk/client-dynamodb.js')`,
    ],
  ]
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (let run = 0; run < RUNS; run++) {
    for (const [name, script] of cases) samples.get(name)!.push(loadMs(script))
  }
  const empty = median(samples.get('empty handler')!)
  const rows = cases.map(([name]) => {
    const ms = median(samples.get(name)!)
    return `| ${name} | ${ms.toFixed(1)} | ${(ms / empty).toFixed(2)} |`
  })
  return [`| handler | load, ms (median of ${RUNS}) | × the empty handler |`, '|---|---:|---:|', ...rows].join('\n')
}

if (require.main === module) {
  void runStartup().then((md) => console.log(md))
}
