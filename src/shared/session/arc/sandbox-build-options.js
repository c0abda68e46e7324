// esbuild's options for a Sandbox build of one function: those @architect/plugin-typescript 2.1.0
// gives a deploy build (its compileHandler: app.arc's @typescript esbuild-config, then its fixed
// entry, bundle, platform, format and outfile, source maps if @typescript sourcemaps lists
// `testing`, the tsconfig), written to `outfile`, plus one definition.
//
// __SESSION_SANDBOX_DEV__ is the path of the session core's Sandbox-only code (../dev/live-reload.ts,
// loaded by ../dev/sandbox-only.ts). Defined here, it makes that code part of the Sandbox's bundles;
// a deploy build does not define it, so its bundles contain none of it.
const { existsSync } = require('node:fs')
const path = require('node:path')

const SANDBOX_DEV_MODULE = require.resolve('../dev/live-reload.ts')
// plugin-typescript's source-map banner: code for the bundle, which finds source-map-support where
// plugin-typescript's dependency put it (the core itself does not import it).
const SOURCE_MAP_SUPPORT = 'source-map-support/register'
const SOURCE_MAP_BANNER = `require('${SOURCE_MAP_SUPPORT}');\n//# sourceMappingURL=index.js.map`

/**
 * The parts of Architect's inventory read here: the project's parsed app.arc (its @typescript
 * settings, each a name or a `[name, ...values]` row) and its folder, and the function's folder.
 * @typedef {{ arc: { typescript?: unknown[] }, cwd: string }} Project
 * @typedef {{ src: string }} Lambda
 */

/** @param {Project['arc']} arc */
function typescriptSettings(arc) {
  /** @type {{ sourcemaps: unknown[], configFile: string | undefined }} */
  const settings = { sourcemaps: ['testing', 'staging'], configFile: undefined }
  for (const setting of arc.typescript ?? []) {
    if (!Array.isArray(setting)) continue
    if (setting[0] === 'sourcemaps') settings.sourcemaps = setting.slice(1)
    if (setting[0] === 'esbuild-config') settings.configFile = setting[1]
  }
  return settings
}

/**
 * @param {Project} project
 * @param {Lambda} lambda
 * @param {string} outfile
 */
function sandboxBuildOptions(project, lambda, outfile) {
  const { arc, cwd } = project
  const { sourcemaps, configFile } = typescriptSettings(arc)
  const config = configFile ? require(path.join(cwd, configFile)) : {}
  /** @type {import('esbuild').BuildOptions} */
  const options = {
    ...config,
    entryPoints: [path.join(lambda.src, 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    define: { ...config.define, __SESSION_SANDBOX_DEV__: JSON.stringify(SANDBOX_DEV_MODULE) },
  }
  if (sourcemaps.includes('testing')) {
    options.sourcemap = 'external'
    options.banner = { ...config.banner, js: config.banner?.js ? `${config.banner.js}\n${SOURCE_MAP_BANNER}` : SOURCE_MAP_BANNER }
  }
  const tsconfig = [path.join(lambda.src, 'tsconfig.json'), path.join(cwd, 'tsconfig.json')].find((file) => existsSync(file))
  if (tsconfig) options.tsconfig = tsconfig
  return options
}

module.exports = { sandboxBuildOptions, SANDBOX_DEV_MODULE }
