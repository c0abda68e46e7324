/**
 * What the Sandbox's function processes log. The Sandbox copies each function's stderr into its
 * own (this test process's), so the session core's `[session]` lines can be read here.
 */
import type { Test } from 'tap'

export interface LogCapture {
  /** Every `[session]` line seen so far. */
  readonly lines: string[]
  /** Resolves once at least `count` lines were seen; rejects after `ms`. */
  waitFor(count: number, ms?: number): Promise<void>
}

export function captureSessionLog(t: Pick<Test, 'teardown'>): LogCapture {
  const lines: string[] = []
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) if (line.includes('[session]')) lines.push(line.trim())
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest)
  })
  t.teardown(() => {
    process.stderr.write = write
  })
  return {
    lines,
    async waitFor(count, ms = 10_000) {
      const deadline = Date.now() + ms
      while (lines.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} [session] log lines, saw ${lines.length}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
  }
}
