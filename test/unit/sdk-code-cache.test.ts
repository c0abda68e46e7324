/**
 * The loader of the AWS SDK part's V8 code cache (src/shared/session/build/aws-sdk-code-cache.js), in fresh Node
 * processes, since what V8 accepts depends on the process's own V8 tag: the cache made for this
 * Node is used, silently; a cache made for another tag (here, under `--expose-gc`, as Lambda's
 * bootstrap runs Node), or from another source, is not, the part is compiled as any other file,
 * and one line says why, naming both tags.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'

const LOADER = path.resolve(__dirname, '..', '..', 'src', 'shared', 'session', 'build', 'aws-sdk-code-cache.js')
/** A stand-in for the SDK part: functions compiled lazily, and one run, as the build runs the part. */
const PART = `'use strict'
function greet(name) { return 'hello ' + name }
function unused(a, b) { return [a, b].map((x) => x * 2) }
exports.greet = greet
exports.unused = unused
exports.filename = __filename
`
/** The same length, another source: V8's own check (the length) would not tell them apart. */
const OTHER_PART = PART.replace('hello ', 'HELLO ')

interface Run {
  readonly stdout: string
  readonly stderr: string
}

/** A folder of its own with the part in it, removed after the test. */
function partDir(t: Test, source: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'code-cache-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'part.js')
  writeFileSync(file, source)
  return { dir, file }
}

/** Runs `code` in a fresh process (with `flags`), the loader in scope as `loader`. */
function node(flags: readonly string[], code: string): Run {
  const script = `const loader = require(${JSON.stringify(LOADER)});\n${code}`
  const result = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } })
  if (result.status !== 0) throw new Error(`node ${flags.join(' ')} exited ${result.status}: ${result.stderr}`)
  return { stdout: result.stdout, stderr: result.stderr }
}

/** Makes the cache of `source` in a process with `flags`, as the build does; returns its file's path (named with that process's tag). */
function makeCache(flags: readonly string[], file: string, source: string): string {
  return node(
    flags,
    `const fs = require('node:fs'); const v8 = require('node:v8')
    const script = loader.compilePart(${JSON.stringify(file)}, ${JSON.stringify(source)})
    loader.runPart(script, ${JSON.stringify(file)}).greet('build')
    const out = loader.cacheFileFor(${JSON.stringify(file)}, v8.cachedDataVersionTag())
    fs.writeFileSync(out, Buffer.concat([loader.sourceKey(${JSON.stringify(source)}), script.createCachedData()]))
    process.stdout.write(out)`,
  ).stdout
}

const tagOf = (flags: readonly string[]) => Number(node(flags, "process.stdout.write(String(require('node:v8').cachedDataVersionTag()))").stdout)
/** The tags the build would hand the loader: those of plain `node` and of `node --expose-gc`. */
const TAGS = { plain: tagOf([]), exposedGc: tagOf(['--expose-gc']) }

/** Loads the part as a function does and reports what it got, and whether it loaded node:v8. */
function load(flags: readonly string[], dir: string): Run & { greeting: string; registered: boolean; tag: number; askedV8: boolean } {
  const run = node(
    flags,
    `const part = loader.loadPart(${JSON.stringify(dir)}, 'part.js', ${JSON.stringify(TAGS)})
    const askedV8 = process.moduleLoadList.includes('NativeModule v8')
    process.stdout.write(JSON.stringify({ greeting: part.greet('you'), registered: require.cache[part.filename] !== undefined, askedV8, tag: require('node:v8').cachedDataVersionTag() }))`,
  )
  return { ...run, ...(JSON.parse(run.stdout) as { greeting: string; registered: boolean; tag: number; askedV8: boolean }) }
}

t.test('the cache made for this Node is used, silently, and the part is registered as a module', async (t) => {
  const { dir, file } = partDir(t, PART)
  makeCache([], file, PART)
  const run = load([], dir)
  t.equal(run.greeting, 'hello you')
  t.equal(run.registered, true, 'in require.cache, as a required file is')
  t.equal(run.stderr, '', 'nothing logged')
  t.equal(run.askedV8, false, 'and node:v8 was not loaded (costly under Lambda\'s flags)')
})

t.test('a cache made for another V8 tag falls back to a plain compile and logs one line naming both tags', async (t) => {
  const lambdaFlags = ['--expose-gc']
  const here = tagOf([])
  const there = tagOf(lambdaFlags)
  t.not(here, there, '--expose-gc changes the tag, as on Lambda')

  t.test('only the other tag has a cache', async (t) => {
    const { dir, file } = partDir(t, PART)
    makeCache(lambdaFlags, file, PART)
    const run = load([], dir)
    t.equal(run.greeting, 'hello you', 'the part still works')
    t.equal(run.registered, true)
    const lines = run.stderr.trimEnd().split('\n')
    t.equal(lines.length, 1, 'one line')
    t.match(lines[0], `the build made no cache for plain node; this Node's V8 tag is ${here}, the build's caches are for V8 tags ${there}`)
    t.match(lines[0], /^\[session\] the AWS SDK's code cache is not used/)
    t.match(lines[0], 'pin the Lambda runtime version')
    // And the process with that tag does use it.
    const there_ = load(lambdaFlags, dir)
    t.equal(there_.tag, there)
    t.equal(there_.stderr, '', 'under its own flags, the cache is used silently')
    t.equal(there_.askedV8, false, 'without loading node:v8')
  })

  t.test('the other tag’s cache under this tag’s name: V8 rejects it', async (t) => {
    const { dir, file } = partDir(t, PART)
    const made = makeCache(lambdaFlags, file, PART)
    copyFileSync(made, path.join(dir, `part.js.${here}.v8cache`))
    rmSync(made)
    const run = load([], dir)
    t.equal(run.greeting, 'hello you')
    t.strictSame(run.stderr.trimEnd().split('\n').length, 1, 'one line')
    t.match(run.stderr, `V8 rejected the cache made for V8 tag ${here}; this Node's V8 tag is ${here}`)
  })
})

t.test('a cache made from another build of the part (same length) is not used', async (t) => {
  const { dir, file } = partDir(t, OTHER_PART)
  makeCache([], file, OTHER_PART)
  writeFileSync(file, PART)
  const run = load([], dir)
  t.equal(run.greeting, 'hello you', "the part's own code runs, not the cached code of the other build")
  t.strictSame(run.stderr.trimEnd().split('\n').length, 1, 'one line')
  t.match(run.stderr, 'was made from another build of part.js')
})
