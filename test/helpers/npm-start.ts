/**
 * Runs the README's `npm start` for real (package.json's start script, the Sandbox CLI with its
 * file watcher and live reload), on the test ports, and records everything it prints.
 */
import { spawn } from 'node:child_process'
import type { Test } from 'tap'
import onSpawn from 'process-on-spawn'
import { PORT_BASE, PROJECT_ROOT } from './sandbox'

export interface StartedApp {
  readonly url: string
  /** Everything `npm start` has printed so far, stdout and stderr. */
  output(): string
}

/** The line the Sandbox prints when the app is up (it serves requests from then on). */
export const READY = 'Local environment ready!'
/** The line it prints once its start plugins (the first build among them) are done. */
export const WATCHING = 'File watcher now looking'

export interface NpmStartOptions {
  /** The project to start (default: this one), e.g. a copy made by ./project-copy.ts. */
  readonly cwd?: string
  /** Return once this has been printed: READY, or (default) WATCHING, when the first build is written. */
  readonly until?: string
}

export async function npmStart(t: Pick<Test, 'teardown'>, env: Record<string, string> = {}, options: NpmStartOptions = {}): Promise<StartedApp> {
  const { cwd = PROJECT_ROOT, until = WATCHING } = options
  // tap's process-on-spawn hook, and the NODE_OPTIONS it sets, would break the Lambda processes the
  // Sandbox spawns (docs/testing.md): the app starts as a user's would, without them.
  onSpawn.removeAllListeners()
  const userEnv = { ...process.env }
  delete userEnv['NODE_OPTIONS']
  let output = ''
  // Its own process group, so that the Sandbox and its functions stop with it.
  const child = spawn('npm', ['start', '--', '--port', String(PORT_BASE)], {
    cwd,
    detached: true,
    env: { ...userEnv, ...env, ARC_TABLES_PORT: String(PORT_BASE + 1), ARC_INTERNAL_PORT: String(PORT_BASE + 2) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGINT')
    await exited
  })
  const deadline = Date.now() + 60_000
  while (!output.includes(READY) || !output.includes(until)) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`)
    if (Date.now() > deadline) throw new Error(`npm start did not get ready in 60 s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { url: `http://localhost:${PORT_BASE}`, output: () => output }
}
