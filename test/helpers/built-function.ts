/**
 * Runs a built function (`.build/http/<route>/index.js`) in a fresh Node process, as Lambda or the
 * Sandbox would: only the environment given, nothing of the test process. It answers the events
 * in order and reports what it loaded: every file (require.cache) and every module name it asked
 * require() to resolve, and every file it read with readFileSync, so that tests can tell what a
 * function reads at run time; and where Node's compile cache was, if the function turned it on.
 */
import { spawn } from 'node:child_process'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import onSpawn from 'process-on-spawn'
import type { HttpResult } from '../../src/shared/session'

export interface BuiltRun {
  readonly answers: HttpResult[]
  /** Absolute paths of the files the process loaded with require(), the bundle's included. */
  readonly files: string[]
  /** Every specifier given to require() (built-in modules included), in order of first use. */
  readonly required: string[]
  /** Absolute paths of the files read with fs.readFileSync (require's own reads included), in order of first read. */
  readonly read: string[]
  /** Node's own modules the process had loaded once it had answered (`node:https` is `https`), beyond those of `node -e`. */
  readonly builtins: string[]
  /** Node's compile cache directory, when the process enabled it. */
  readonly compileCacheDir?: string
  readonly stderr: string
}

/**
 * `events` may use `{{cookie}}` in a header, replaced by the `_idx` cookie the previous answer set.
 * `end`: `exit` has the process exit once it has answered; `signal` ends it as the Sandbox does,
 * with SIGINT, so that nothing Node does at exit happens.
 */
export async function runBuiltFunction(
  bundle: string,
  env: Record<string, string>,
  events: APIGatewayProxyEventV2[],
  end: 'exit' | 'signal' = 'exit',
  nodeFlags: readonly string[] = [],
): Promise<BuiltRun> {
  // tap's process-on-spawn hook would inject its NODE_OPTIONS into the child (docs/testing.md).
  onSpawn.removeAllListeners()
  const script = `
    const atStart = new Set(process.moduleLoadList)
    const Module = require('node:module')
    const required = new Set()
    const resolve = Module._resolveFilename
    Module._resolveFilename = function (request, ...rest) { required.add(request); return resolve.call(this, request, ...rest) }
    const fs = require('node:fs')
    const read = new Set()
    const readFileSync = fs.readFileSync
    fs.readFileSync = function (file, ...rest) { if (typeof file === 'string') read.add(file); return readFileSync.call(this, file, ...rest) }
    ;(async () => {
      // The events come on stdin: a thousand of them would not fit in a command line.
      let input = ''
      for await (const chunk of process.stdin) input += chunk
      const events = JSON.parse(input)
      const { handler } = require(${JSON.stringify(bundle)})
      const answers = []
      let cookie = ''
      for (const event of events) {
        for (const [name, value] of Object.entries(event.headers)) event.headers[name] = value.replace('{{cookie}}', cookie)
        const answer = await handler(event)
        answers.push(answer)
        const set = /^_idx=[^;]*/.exec((answer.cookies ?? []).find((c) => c.startsWith('_idx=')) ?? '')
        if (set) cookie = set[0]
      }
      const compileCacheDir = Module.getCompileCacheDir()
      // As the Sandbox's runtime API would, let a turn of the event loop pass before the answer is out.
      await new Promise((resolve) => setImmediate(resolve))
      // Exit once the report is out: a large one is still being written when write() returns.
      process.stdout.write(JSON.stringify({ answers, files: Object.keys(require.cache), required: [...required], read: [...read], builtins: process.moduleLoadList.filter((m) => !atStart.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)), compileCacheDir }) + '\\n', () => {
        if (${JSON.stringify(end)} === 'exit') process.exit(0)
      })
      setInterval(() => undefined, 1000)
    })().catch((error) => { console.error(error); process.exit(1) })`
  const child = spawn(process.execPath, [...nodeFlags, '-e', script], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin.end(JSON.stringify(events))
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
    if (end === 'signal' && stdout.endsWith('\n')) child.kill('SIGINT')
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
  if (end === 'exit' ? code !== 0 : signal !== 'SIGINT') throw new Error(`${bundle} ended with ${code ?? signal}: ${stderr}`)
  return { ...(JSON.parse(stdout) as Omit<BuiltRun, 'stderr'>), stderr }
}
