/**
 * `npm run bench`: every benchmark, written to bench/RESULTS.md with the date, the machine and the
 * command. Not part of `npm test`: performance is measured and reported here, never asserted in tests.
 */
import { cpus } from 'node:os'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runJweMicro } from './jwe-micro'
import { runStartup } from './startup'
import { runE2e } from './e2e'
import { runDynamoDbMicro } from './dynamodb-micro'
import { runColdDynamoDb } from './cold-dynamodb'
import { runContention } from './contention'
import { runCompression } from './compression'

async function main(): Promise<void> {
  const started = new Date()
  const sections: string[] = []
  const log = (title: string, body: string) => {
    const section = `### ${title}\n\n${body}`
    console.log(`${section}\n`)
    sections.push(section)
  }
  log('JWE: a session write followed by a read, one process', await runJweMicro({ rounds: 5, warmup: 2000, operations: 20000 }))
  log('DynamoDB: a session write followed by a read, one process, the Sandbox\'s local DynamoDB', await runDynamoDbMicro({ rounds: 9, warmup: 50, operations: 500 }))
  log('Start-up: loading a built handler in a fresh Node process', await runStartup())
  log('DynamoDB mode, cold: a fresh process answers its first request against the local DynamoDB', await runColdDynamoDb())
  log('Compression: what it would save on the app\'s pages, and cost a fresh process', runCompression())
  log('End to end through the Sandbox, JWE mode', await runE2e('jwe'))
  log('End to end through the Sandbox, DynamoDB mode', await runE2e('sessions'))
  // Last: it sets this process's environment for the app's handler.
  log('Contention: 100 POST /count on one session, DynamoDB calls counted', await runContention())

  const header = [
    '# Benchmark results',
    '',
    `- Date: ${started.toISOString()}`,
    `- Machine: ${cpus().length} cores (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform} ${process.arch}`,
    '- Command: `npm run bench`',
    '',
  ].join('\n')
  // bench/history.md keeps the hand-written before/after of earlier profiling rounds.
  const history = readFileSync(path.join(__dirname, 'history.md'), 'utf8')
  writeFileSync(path.join(__dirname, 'RESULTS.md'), `${header}\n${sections.join('\n\n')}\n\n${history}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
