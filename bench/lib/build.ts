/**
 * Bundles handlers the way @architect/plugin-typescript does (esbuild, CommonJS, node platform,
 * the project's esbuild.config.js, which puts the AWS SDK's used parts beside each bundle), into
 * bench/.tmp/.
 */
import path from 'node:path'
import { build, type Plugin } from 'esbuild'

const ROOT = path.resolve(__dirname, '..', '..')
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectOptions = require(path.join(ROOT, 'esbuild.config.js')) as Record<string, unknown>
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { awsSdkUsedParts } = require(path.join(ROOT, 'src', 'shared', 'session', 'build', 'aws-sdk-parts.js')) as { awsSdkUsedParts: (options: SdkVariant) => Plugin }

export const HANDLERS = {
  'empty handler': 'bench/fixtures/empty/index.ts',
  'empty handler + node:crypto (the JWE floor)': 'bench/fixtures/crypto-only/index.ts',
  'ours: get-index': 'src/http/get-index/index.ts',
  'ours: post-count': 'src/http/post-count/index.ts',
  '@architect/functions counter': 'bench/fixtures/arc-functions/index.ts',
} as const

export type HandlerName = keyof typeof HANDLERS

/** Builds every handler; returns the path of each bundle. */
export async function buildHandlers(): Promise<Record<HandlerName, string>> {
  const out = {} as Record<HandlerName, string>
  for (const [name, entry] of Object.entries(HANDLERS) as [HandlerName, string][]) out[name] = await buildHandler(entry)
  return out
}

/** Which of the SDK part's start-up changes a build leaves out (src/shared/session/build/aws-sdk-parts.js), to measure each. */
export interface SdkVariant {
  readonly eventStreamsApart?: boolean
  readonly codeCache?: boolean
  readonly lighterBuiltins?: boolean
}

/**
 * Builds one handler (a path from the project's root); returns the path of its bundle. A variant
 * other than the app's own goes into a folder of its own, named `variant`.
 */
export async function buildHandler(entry: string, variant?: { readonly name: string; readonly sdk: SdkVariant }): Promise<string> {
  const outfile = path.join(ROOT, 'bench', '.tmp', variant ? `build-${variant.name}` : 'build', entry.replace(/\.ts$/, '.js'))
  await build({
    ...projectOptions,
    ...(variant ? { plugins: [awsSdkUsedParts(variant.sdk)] } : {}),
    // @architect/functions has optional requires of the v2 SDK and lib-dynamodb (its package.json does not list them),
    // for an option the counter does not use: leave them unresolved.
    external: [...((projectOptions['external'] as string[] | undefined) ?? []), 'aws-sdk', 'aws-sdk/*', '@aws-sdk/lib-dynamodb'],
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  })
  return outfile
}
