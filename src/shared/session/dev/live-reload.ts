/**
 * Live reload under `arc sandbox`: the Sandbox adds an inline <script> to every HTML page it serves,
 * which our Content-Security-Policy would block. Under the Sandbox only, the policy allows exactly
 * that script, by its SHA-256 (CSP Level 3 hash-source), and its WebSocket to the Sandbox's internal
 * port. The script's text is made by the installed Sandbox's own code, so the hash always matches
 * what it injects. A deployed function never loads this (ARC_SANDBOX is set only by the Sandbox).
 */
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import path from 'node:path'
import { isTesting, sandboxInfo, type Env } from '../core/env'
import { logOnce } from '../core/log'

/** The Sandbox module that injects the script: (response, body, ports) => response.end(page). */
const INJECTOR = '@architect/sandbox/src/http/invoke-http/utils/livereload.js'

type Injector = (res: { getHeaders(): Record<string, string>; end(body: unknown): void }, body: string, ports: { _arc: number }) => void

export interface LiveReloadSources {
  /** A CSP hash-source for the injected script. */
  readonly script: string
  /** The WebSocket the script opens. */
  readonly connect: string
}

/** The sources to allow, or undefined when not under the Sandbox (or the Sandbox's script cannot be known). */
export function liveReloadSources(env: Env): LiveReloadSources | undefined {
  const sandbox = sandboxInfo(env)
  if (!isTesting(env) || !sandbox) return undefined
  try {
    if (sandbox === 'not JSON') throw new Error('ARC_SANDBOX is not JSON')
    const { cwd, ports } = sandbox
    const port = ports?._arc
    if (typeof cwd !== 'string' || typeof port !== 'number') throw new Error('ARC_SANDBOX has no cwd and _arc port')
    const inject = createRequire(path.join(cwd, 'package.json'))(INJECTOR) as Injector
    let page = ''
    inject({ getHeaders: () => ({ 'content-type': 'text/html' }), end: (body) => (page = String(body)) }, '</head>', { _arc: port })
    const script = /^<script>([\s\S]*)<\/script>/.exec(page)?.[1]
    if (script === undefined) throw new Error('the Sandbox injects no <script> before </head>')
    return { script: `'sha256-${createHash('sha256').update(script).digest('base64')}'`, connect: `ws://localhost:${port}` }
  } catch (error) {
    logOnce('warn', `live reload is blocked by the Content-Security-Policy: its script could not be read from the Sandbox (${String(error)})`)
    return undefined
  }
}
