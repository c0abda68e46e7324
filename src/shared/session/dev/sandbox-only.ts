/**
 * The session core's Sandbox-only code (./live-reload.ts), for the Sandbox's bundles only.
 *
 * `__SESSION_SANDBOX_DEV__` is defined, as that file's path, by the Sandbox's builds
 * (../arc/sandbox-build-options.js), which therefore bundle it. A deploy build leaves it undefined:
 * `require` of a name esbuild cannot resolve is not bundled, and `typeof` keeps it from ever running,
 * so a deployed function contains none of that code (test/deploy/bundle.test.ts checks).
 */
declare const __SESSION_SANDBOX_DEV__: string | undefined

type SandboxDev = typeof import('./live-reload')

export function sandboxDev(): SandboxDev | undefined {
  if (typeof __SESSION_SANDBOX_DEV__ === 'undefined') return undefined
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path esbuild must not resolve in deploy builds
  return require(__SESSION_SANDBOX_DEV__) as SandboxDev
}
