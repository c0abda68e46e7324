/**
 * The Sandbox in a child process of its own (`arc sandbox`), so that its local DynamoDB and its
 * HTTP server do not share this process's event loop with the client being measured.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'

const ARC_CLI = require.resolve('@architect/architect/src/index.js')

export interface SandboxProcess {
  readonly url: string
  stop(): Promise<void>
}

/** Ports: http = base, DynamoDB = base + 1, Sandbox internals (SSM, ...) = base + 2. */
export async function startSandboxProcess(cwd: string, portBase: number): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [ARC_CLI, 'sandbox', '--port', String(portBase)], {
    cwd: path.resolve(cwd),
    env: {
      ...process.env,
      AWS_EC2_METADATA_DISABLED: 'true',
      ARC_TABLES_PORT: String(portBase + 1),
      ARC_INTERNAL_PORT: String(portBase + 2),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Never leave a Sandbox behind, even when the benchmark crashes.
  const orphanGuard = () => child.kill('SIGINT')
  process.once('exit', orphanGuard)
  const url = `http://localhost:${portBase}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`arc sandbox exited with ${child.exitCode}`)
    try {
      // The app's own page, not a static file: the Sandbox serves static files before its start
      // plugins have finished building the functions.
      if ((await fetch(`${url}/`)).status === 200) break
      throw new Error('not yet')
    } catch {
      if (Date.now() > deadline) throw new Error('arc sandbox did not start within 60 s')
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  return {
    url,
    async stop() {
      // SIGINT to the node process itself, not to a wrapper, is what ends the Sandbox cleanly.
      process.removeListener('exit', orphanGuard)
      child.kill('SIGINT')
      await exited
    },
  }
}
