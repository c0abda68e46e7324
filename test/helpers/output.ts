/**
 * Records what this process writes to stdout and stderr, still passing it through. Sandbox pipes
 * each Lambda's console output into its own (the test process's) stdout and stderr, so this is
 * where the handlers' log lines can be read.
 */
import type { Test } from 'tap'

export interface CapturedOutput {
  /** Everything written since capture began. */
  text(): string
  /** The lines the session core logged (they start with `[session]`). */
  sessionLines(): string[]
}

export function captureOutput(t: Pick<Test, 'teardown'>): CapturedOutput {
  const chunks: string[] = []
  const streams = [process.stdout, process.stderr]
  const originals = streams.map((stream) => stream.write.bind(stream))
  streams.forEach((stream, i) => {
    const original = originals[i]!
    stream.write = (chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return original(chunk, ...rest)
    }
  })
  t.teardown(() => streams.forEach((stream, i) => (stream.write = originals[i]!)))
  const text = () => chunks.join('')
  return {
    text,
    sessionLines: () =>
      text()
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('[session]')),
  }
}
