/**
 * docs/add-a-route.md, followed on a copy of the project: the route it shows is added as it says
 * (its line under app.arc's @http, its handler where it says), and then the copy's deploy tests,
 * which read the routes from app.arc, pass and cover the new route; the route type-checks; and its
 * built function answers what the page says.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { appRoutes } from '../helpers/app-routes'
import { runBuiltFunction } from '../helpers/built-function'
import { lambdaEvent } from '../helpers/lambda-event'
import { runNodeTool } from '../helpers/node-tool'
import { codeBlocks, readDoc, section } from '../helpers/markdown'
import { PROJECT_ROOT } from '../helpers/sandbox'
import { generatedSecret } from '../helpers/secrets'

const run = promisify(execFile)
const page = readDoc('add-a-route.md')

/** A copy of the project as a clone would have it (tracked files and new ones not ignored), with its node_modules linked. */
async function copyProject(t: Pick<Test, 'teardown'>): Promise<string> {
  const copy = path.join(mkdtempSync(path.join(tmpdir(), 'add-a-route-')), 'app')
  t.teardown(() => rmSync(path.dirname(copy), { recursive: true, force: true }))
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 })
  for (const file of stdout.split('\0').filter((name) => name !== '' && existsSync(path.join(PROJECT_ROOT, name)))) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true })
    cpSync(path.join(PROJECT_ROOT, file), path.join(copy, file))
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir')
  return copy
}

t.test('a route added as docs/add-a-route.md says', async (t) => {
  const copy = await copyProject(t)

  // 1. Its line under @http in app.arc.
  const arcLines = (codeBlocks(section(page, '1. Declare it in app.arc'), 'arc')[0]?.code ?? '').trim().split('\n')
  const appArc = readFileSync(path.join(copy, 'app.arc'), 'utf8').split('\n')
  const http = appArc.indexOf('@http')
  const httpEnd = appArc.findIndex((line, i) => i > http && (line.trim() === '' || line.startsWith('@')))
  appArc.splice(httpEnd, 0, ...arcLines)
  writeFileSync(path.join(copy, 'app.arc'), appArc.join('\n'))

  // 2. Its handler, in the file the page names just before the code.
  const handler = codeBlocks(section(page, '2. Write its handler'), 'ts')[0]
  const file = /`(src\/http\/[^`]+\/index\.ts)`/.exec(handler?.caption ?? '')?.[1]
  t.ok(file && handler, `the page names the handler's file (${file}) and shows its code`)
  if (!file || !handler) return
  mkdirSync(path.dirname(path.join(copy, file)), { recursive: true })
  writeFileSync(path.join(copy, file), handler.code)

  const routes = await appRoutes(copy)
  const added = routes.find((route) => `${route.method.toLowerCase()} ${route.path}` === arcLines[0])
  t.ok(added, `app.arc now declares ${arcLines[0]}`)
  t.equal(added && `src/http/${added.folder}/index.ts`, file, 'in the folder the page names')
  if (!added) return

  // 3. Run it: the deploy tests (all but this file, which would run itself), and the type check of the new route.
  const deployTests = readdirSync(path.join(copy, 'test', 'deploy')).filter((name) => name.endsWith('.test.ts') && name !== path.basename(__filename))
  const tap = path.join(copy, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs')
  const tapArgs = ['--disable-coverage', '--jobs=1', '--timeout=600', '--reporter=tap', ...deployTests.map((name) => path.join('test', 'deploy', name))]
  writeFileSync(path.join(copy, 'tsconfig.route.json'), JSON.stringify({ extends: './tsconfig.json', include: [file] }))
  const [deploy, typeCheck] = await Promise.all([
    runNodeTool(tap, tapArgs, copy),
    runNodeTool(require.resolve('typescript/bin/tsc'), ['-p', path.join(copy, 'tsconfig.route.json')], copy),
  ])

  t.strictSame(typeCheck, { ok: true, stdout: '' }, 'the new route type-checks')
  t.ok(deployTests.includes('template.test.ts') && deployTests.includes('bundle.test.ts'), `the deploy tests: ${deployTests.join(', ')}`)
  t.ok(deploy.ok, "the copy's deploy tests pass", { output: deploy.ok ? undefined : deploy.stdout.slice(-4000) })
  t.match(deploy.stdout, new RegExp(`^\\s*ok \\d+ - ${added.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: runtime$`, 'm'), 'and the template test checked the new route')

  // What the page says the route answers, from the function deploy built.
  const bundle = path.join(copy, '.build', 'http', added.folder, 'index.js')
  const env = { ARC_ENV: 'production', ARC_APP_SECRET: generatedSecret(), ARC_SESSION_TABLE_NAME: 'jwe' }
  const answered = await runBuiltFunction(bundle, env, [lambdaEvent({ path: added.path })])
  t.equal(answered.answers[0]?.statusCode, 200, answered.stderr)
  t.equal(answered.answers[0]?.body, '{"count":0}', 'a new visitor gets {"count":0}')
})
