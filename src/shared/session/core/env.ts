/**
 * The one place where the session core reads the environment. Everything else is given an `Env`
 * (a plain record, so tests pass their own) or asks this module, and the questions asked of
 * Architect's variables (`ARC_ENV`, `ARC_SANDBOX`) have one answer each.
 */

/** The process environment as the core sees it: read-only, any variable possibly unset. */
export type Env = Readonly<Record<string, string | undefined>>

/** The environment of this process. */
export function processEnv(): Env {
  return process.env
}

/**
 * `ARC_ENV=testing`: the Sandbox's own stage, where a development key or a weak secret is
 * allowed (with a notice) and cookies are not `Secure`. Everything else counts as deployed.
 */
export function isTesting(env: Env): boolean {
  return env['ARC_ENV'] === 'testing'
}

/**
 * Running on this machine, not on Lambda: under `arc sandbox` (which sets `ARC_SANDBOX` for every
 * function, whatever ARC_ENV it runs) or under ARC_ENV=testing. Served over plain http, so no
 * HSTS (docs/security.md).
 */
export function isLocal(env: Env): boolean {
  return isTesting(env) || Boolean(env['ARC_SANDBOX'])
}

/** What the Sandbox tells each function in `ARC_SANDBOX`, as far as the core uses it. */
export interface SandboxInfo {
  readonly cwd?: unknown
  readonly ports?: { readonly tables?: unknown; readonly _arc?: unknown }
}

let parsedSandbox: { raw: string; info: SandboxInfo | 'not JSON' } | undefined

/**
 * `ARC_SANDBOX` parsed, once per value (the Sandbox sets it once per process); undefined when it
 * is unset, 'not JSON' when it cannot be read.
 */
export function sandboxInfo(env: Env): SandboxInfo | 'not JSON' | undefined {
  const raw = env['ARC_SANDBOX']
  if (!raw) return undefined
  if (parsedSandbox?.raw !== raw) {
    let info: SandboxInfo | 'not JSON'
    try {
      const value: unknown = JSON.parse(raw)
      info = typeof value === 'object' && value !== null ? value : {}
    } catch {
      info = 'not JSON'
    }
    parsedSandbox = { raw, info }
  }
  return parsedSandbox.info
}

/** A variable's value, or undefined when it is unset or empty (Architect's `arc env` cannot set an empty one). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
