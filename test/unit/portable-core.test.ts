/**
 * The session core travels as one folder (docs/use-the-core.md): nothing in it imports anything
 * outside it, the page names every package it imports at this project's versions, and the wiring
 * the page shows is the wiring of the second app that test/integration/portable-app.test.ts runs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import t from 'tap'
import { codeBlocks, readDoc, section } from '../helpers/markdown'
import { PROJECT_ROOT } from '../helpers/sandbox'

const CORE = path.join(PROJECT_ROOT, 'src', 'shared', 'session')
const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'portable-app')
const page = readDoc('use-the-core.md')

interface PackageJson {
  engines?: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  overrides?: Record<string, unknown>
}

/** Every import in the core's files: `[file, specifier]`, from `import … from`, `import '…'`, `require()` and `import()`. */
function coreImports(): [string, string][] {
  const files = readdirSync(CORE, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(ts|js)$/.test(file))
  return files.flatMap((file) => {
    const text = readFileSync(path.join(CORE, file), 'utf8')
    // A specifier with `$` is made in a template literal (build/aws-sdk-parts.js): the names it is made from are listed there.
    const specifiers = text.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"]([^'"$]+)['"]/g)
    return [...specifiers].map((match): [string, string] => [file, match[1]!])
  })
}

/** The npm package that provides a specifier, and its types. */
function packageOf(specifier: string): string {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return '@types/node'
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!
  // Types only: the Lambda event and result shapes.
  return name === 'aws-lambda' ? '@types/aws-lambda' : name
}

t.test('nothing in the core imports a file outside its folder', async (t) => {
  const imports = coreImports()
  t.ok(imports.filter(([, specifier]) => specifier.startsWith('.')).length > 50, `the core's imports are found (${imports.length})`)
  const outside = imports
    .filter(([, specifier]) => specifier.startsWith('.'))
    .filter(([file, specifier]) => path.relative(CORE, path.resolve(CORE, path.dirname(file), specifier)).startsWith('..'))
  t.strictSame(outside, [])
})

t.test("the page's package.json lists every package the core imports, at this project's versions", async (t) => {
  const block = codeBlocks(section(page, '2. Wire'), 'json')[0]
  const documented = JSON.parse(block?.code ?? '{}') as PackageJson
  const project = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson
  const listed = { ...documented.dependencies, ...documented.devDependencies }

  const needed = [...new Set(coreImports().filter(([, s]) => !s.startsWith('.')).map(([, s]) => packageOf(s)))].sort()
  t.ok(needed.includes('@aws-sdk/client-dynamodb') && needed.includes('esbuild'), `the imports are found: ${needed.join(', ')}`)
  t.strictSame(needed.filter((name) => !(name in listed)), [], 'every package the core imports is listed')

  for (const [kind, names] of [['dependencies', documented.dependencies], ['devDependencies', documented.devDependencies]] as const) {
    for (const [name, version] of Object.entries(names ?? {})) {
      t.equal(version, project[kind]?.[name], `${name} ${version}, as in this project's ${kind}`)
    }
  }
  t.strictSame(documented.overrides, project.overrides, 'the same overrides')
  t.strictSame(documented.engines, project.engines, 'the same Node.js range')
})

t.test('the wiring the page shows is the second app', async (t) => {
  const wire = section(page, '2. Wire')
  const appArc = readFileSync(path.join(FIXTURE, 'app.arc'), 'utf8').split('\n')
  const [arcBlock, prefsBlock] = codeBlocks(wire, 'arc')
  const missing = (arcBlock?.code ?? '').split('\n').filter((line) => line !== '' && !appArc.includes(line))
  t.strictSame(missing, [], "every app.arc line the page shows is in the second app's app.arc")
  t.ok(readFileSync(path.join(FIXTURE, 'prefs.arc'), 'utf8').includes('@sandbox\nno-hydrate true\n'), 'and its prefs.arc')
  t.match(prefsBlock?.code, /^@sandbox\nno-hydrate true\n/)

  const esbuildLine = codeBlocks(wire, 'js')[0]?.code.trim()
  const fixtureConfig = readFileSync(path.join(FIXTURE, 'esbuild.config.js'), 'utf8')
  t.ok(esbuildLine && fixtureConfig.split('\n').includes(esbuildLine), `esbuild.config.js is the line the page shows: ${esbuildLine}`)
  t.match(readFileSync(path.join(PROJECT_ROOT, 'esbuild.config.js'), 'utf8'), /withSessionCore\(\{ target: 'node24' \}\)/, 'as is this project')

  const tsconfig = codeBlocks(wire, 'json')[1]?.code ?? '{}'
  const fixtureTsconfig = JSON.parse(readFileSync(path.join(FIXTURE, 'tsconfig.json'), 'utf8')) as { compilerOptions: unknown }
  t.strictSame((JSON.parse(tsconfig) as { compilerOptions: unknown }).compilerOptions, fixtureTsconfig.compilerOptions, 'the tsconfig the page shows is the one the copy is checked with')

  const route = codeBlocks(section(page, '3. Declare a session'), 'ts')[0]?.code ?? '(none)'
  t.ok(readFileSync(path.join(FIXTURE, 'src', 'http', 'get-index', 'index.ts'), 'utf8').endsWith(route), "the route the page shows is the second app's")
})
