/**
 * Live reload under the Sandbox (issue 9): the Content-Security-Policy allows exactly the script the
 * installed Sandbox injects, by hash, and its WebSocket, and only under the Sandbox. Anywhere else,
 * the deployed policy, which allows no inline script at all.
 */
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import path from 'node:path'
import t, { type Test as Tap } from 'tap'
import { SECURITY_HEADERS, securityHeaders } from '../../src/shared/session/security/headers'
import { captureConsole } from '../helpers/lambda-event'
import { PROJECT_ROOT } from '../helpers/sandbox'

const DEPLOYED_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/** What the Sandbox's builds define (src/shared/session/arc/sandbox-build-options.js), for code run here unbundled. */
function asSandboxBuild(t: Pick<Tap, 'teardown'>): void {
  const global = globalThis as Record<string, unknown>
  global['__SESSION_SANDBOX_DEV__'] = path.join(PROJECT_ROOT, 'src', 'shared', 'session', 'dev', 'live-reload.ts')
  t.teardown(() => delete global['__SESSION_SANDBOX_DEV__'])
}

function sandboxEnv(port: number, cwd = PROJECT_ROOT): Record<string, string> {
  return { ARC_ENV: 'testing', ARC_SANDBOX: JSON.stringify({ cwd, ports: { http: 3333, _arc: port, tables: 5555 } }) }
}

/** What the Sandbox puts into a page for live reload, made by the Sandbox itself, as it serves a page. */
function injectedScript(port: number): string {
  const inject = createRequire(path.join(PROJECT_ROOT, 'package.json'))('@architect/sandbox/src/http/invoke-http/utils/livereload.js') as (
    res: unknown,
    body: string,
    ports: unknown,
  ) => void
  let page = ''
  inject({ getHeaders: () => ({ 'content-type': 'text/html; charset=utf-8' }), end: (body: unknown) => (page = String(body)) }, '<html><head></head></html>', { _arc: port })
  return /<script>([\s\S]*)<\/script>/.exec(page)?.[1] ?? ''
}

t.test('deployed and outside the Sandbox: no inline script is allowed', async (t) => {
  t.equal(SECURITY_HEADERS['content-security-policy'], DEPLOYED_POLICY)
  for (const env of [{ ARC_ENV: 'production' }, { ARC_ENV: 'staging' }, { ARC_ENV: 'testing' }, { ...sandboxEnv(2222), ARC_ENV: 'production' }]) {
    t.equal(securityHeaders(env)['content-security-policy'], DEPLOYED_POLICY, JSON.stringify(env))
  }
})

t.test("under the Sandbox: exactly its live-reload script, by hash, and its WebSocket", async (t) => {
  asSandboxBuild(t)
  for (const port of [2222, 6102]) {
    const script = injectedScript(port)
    t.match(script, /new WebSocket\(url\)/, 'the Sandbox injects a live-reload script')
    const hash = createHash('sha256').update(script).digest('base64')
    t.equal(
      securityHeaders(sandboxEnv(port))['content-security-policy'],
      `${DEPLOYED_POLICY}; script-src 'self' 'sha256-${hash}'; connect-src 'self' ws://localhost:${port}`,
      `internal port ${port}`,
    )
  }
  t.notOk(securityHeaders(sandboxEnv(2222))['content-security-policy']?.includes('unsafe-inline'), 'never unsafe-inline')
})

t.test('a deployed build under the Sandbox has no live-reload code: the deployed policy', async (t) => {
  t.equal(securityHeaders(sandboxEnv(2222))['content-security-policy'], DEPLOYED_POLICY)
})

t.test('a Sandbox whose script cannot be read: the deployed policy, and one line that says why', async (t) => {
  asSandboxBuild(t)
  const logs = captureConsole(t)
  t.equal(securityHeaders(sandboxEnv(2222, '/nonexistent'))['content-security-policy'], DEPLOYED_POLICY)
  t.equal(securityHeaders({ ARC_ENV: 'testing', ARC_SANDBOX: 'not json' })['content-security-policy'], DEPLOYED_POLICY)
  logs.restore()
  t.equal(logs.lines.length, 2)
  t.match(logs.lines[0], /^\[session\] live reload is blocked by the Content-Security-Policy/)
})
