/**
 * Runs a Node.js tool (tsc, tap) in a child process, on this Node, for tests that check another
 * copy of an app. tap's --import hooks (NODE_OPTIONS) must not reach it: they would load this
 * test's instrumentation into the tool (docs/testing.md).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

export interface ToolRun {
  /** Whether it exited with 0. */
  readonly ok: boolean
  readonly stdout: string
}

/** `script` is the tool's JavaScript entry (`require.resolve('typescript/bin/tsc')`); never throws for a failing tool. */
export async function runNodeTool(script: string, args: readonly string[], cwd?: string): Promise<ToolRun> {
  const env = { ...process.env }
  delete env['NODE_OPTIONS']
  return promisify(execFile)(process.execPath, [script, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout }) => ({ ok: true, stdout }),
    // A tool that fails prints why on stdout (tsc, tap); a tool that cannot start has only a message.
    (error: unknown) => {
      const { stdout, message } = error as { stdout?: string; message?: string }
      return { ok: false, stdout: stdout ?? message ?? '' }
    },
  )
}
