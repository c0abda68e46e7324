/**
 * Starts the real Architect Sandbox (with its local DynamoDB) for an integration test file,
 * on ports of its own so that a developer's `npm start` on 3333 can keep running.
 */
import type { Test } from 'tap'
import sandbox from '@architect/sandbox'
import onSpawn from 'process-on-spawn'
import { PROJECT_ROOT } from './project-files'

export { PROJECT_ROOT }

/** Ports: http = base, tables (DynamoDB) = base + 1, Sandbox internals = base + 2. TEST_PORT_BASE moves them. */
export const PORT_BASE = Number(process.env['TEST_PORT_BASE'] ?? 6100)

export interface RunningSandbox {
  readonly url: string
  readonly tablesPort: number
}

type Tap = Pick<Test, 'teardown'>

/** `cwd`: the app to run, this project unless another is given (test/integration/portable-app.test.ts). */
export async function startSandbox(t: Tap, env: Record<string, string>, cwd: string = PROJECT_ROOT): Promise<RunningSandbox> {
  // tap's process-on-spawn hook injects NODE_OPTIONS into every child process, which breaks the
  // Lambda processes Sandbox spawns (docs/testing.md): remove it for this test process.
  onSpawn.removeAllListeners()
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true'
  process.env['ARC_TABLES_PORT'] = String(PORT_BASE + 1)
  process.env['ARC_INTERNAL_PORT'] = String(PORT_BASE + 2)
  // `env` replaces prefs.arc's @env block (which sets nothing but the session mode).
  await sandbox.start({ cwd, port: PORT_BASE, quiet: true, env })
  t.teardown(() => sandbox.end())
  return { url: `http://localhost:${PORT_BASE}`, tablesPort: PORT_BASE + 1 }
}
