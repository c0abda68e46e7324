/**
 * The GitHub Actions workflows and the Dependabot config, checked offline since they cannot run
 * here: each workflow against GitHub's workflow schema (@action-validator/cli), then what they do:
 * CI runs the README's `npm test` on the Node of .nvmrc with Debian's Chromium and the unit suite on
 * the other supported Nodes; the deploy workflow sends `dev` to staging and `main` to production
 * only after CI; every secret and variable they read is named in docs/deploy.md.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { PROJECT_ROOT } from '../helpers/sandbox'

const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows')
const VALIDATOR = path.join(PROJECT_ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs')

interface Step {
  readonly uses?: string
  readonly run?: string
  readonly if?: string
  readonly with?: Record<string, unknown>
}
interface Job {
  readonly uses?: string
  readonly needs?: string | string[]
  readonly container?: string
  readonly environment?: string
  readonly strategy?: { matrix: Record<string, unknown[]> }
  readonly steps?: Step[]
}
interface Workflow {
  readonly on: Record<string, unknown>
  readonly jobs: Record<string, Job>
}

const text = (file: string) => readFileSync(path.join(WORKFLOWS, file), 'utf8')
const workflow = (file: string) => parse(text(file)) as Workflow
const runs = (job: Job | undefined) => (job?.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run.trim()]))
const validate = (file: string) => spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' })

t.test('every workflow passes GitHub workflow schema validation', async (t) => {
  const files = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.yml'))
  t.strictSame(files.sort(), ['ci.yml', 'deploy.yml'])
  for (const file of files) {
    const result = validate(path.join(WORKFLOWS, file))
    t.strictSame([result.status, result.stderr], [0, ''], file)
  }
})

t.test('the validator refuses a broken workflow (so that passing means something)', async (t) => {
  const dir = t.testdir()
  const broken = path.join(dir, 'ci.yml')
  writeFileSync(broken, text('ci.yml').replace('    runs-on: ubuntu-24.04\n', '    runs_on: ubuntu-24.04\n'))
  const result = validate(broken)
  t.equal(result.status, 1)
  t.match(result.stderr, /Additional property 'runs_on'/)
})

t.test('CI: the README\'s npm test on Node 24 with Chromium, the unit suite on Node 22 and 26', async (t) => {
  const ci = workflow('ci.yml')
  t.strictSame(Object.keys(ci.on).sort(), ['pull_request', 'push', 'workflow_call'])
  t.strictSame(ci.on['push'], { 'branches-ignore': ['dev', 'main'] }, 'dev and main run it through deploy.yml')

  const test = ci.jobs['test']
  t.equal(test?.container, 'debian:trixie')
  t.match(runs(test)[0], /apt-get install .*\bchromium\b/)
  t.strictSame(test?.steps?.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with, { 'node-version-file': '.nvmrc', cache: 'npm' })
  t.equal(readFileSync(path.join(PROJECT_ROOT, '.nvmrc'), 'utf8').trim(), '24')
  t.strictSame(runs(test).slice(1), ['npm ci --no-audit --no-fund --strict-allow-scripts', 'npm test'])
  t.match(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'), /^npm test +# /m, 'the README\'s test command')

  const unit = ci.jobs['unit']
  t.strictSame(unit?.strategy?.matrix['node'], [22, 26])
  t.strictSame(runs(unit), ['npm ci --no-audit --no-fund --strict-allow-scripts', 'npm run test:unit'])
})

t.test('deploy: dev to staging and main to production, after CI', async (t) => {
  const deploy = workflow('deploy.yml')
  t.strictSame(deploy.on, { push: { branches: ['dev', 'main'] } })
  t.equal(deploy.jobs['ci']?.uses, './.github/workflows/ci.yml')
  const job = deploy.jobs['deploy']
  t.equal(job?.needs, 'ci')
  t.equal(job?.environment, "${{ github.ref_name == 'main' && 'production' || 'staging' }}")
  const deploys = (job?.steps ?? []).filter((step) => step.run?.includes('arc deploy')).map((step) => [step.if, step.run?.trim()])
  t.strictSame(deploys, [
    ["github.ref_name == 'dev'", 'npx arc deploy'],
    ["github.ref_name == 'main'", 'npx arc deploy --production'],
  ])
})

t.test('local workflows and actions that a workflow uses exist', async (t) => {
  for (const file of ['ci.yml', 'deploy.yml']) {
    for (const [, used] of text(file).matchAll(/uses: (\.\/\S+)/g)) t.ok(existsSync(path.join(PROJECT_ROOT, used!)), `${file}: ${used}`)
  }
  t.ok('workflow_call' in workflow('ci.yml').on, 'ci.yml can be called by deploy.yml')
})

t.test('docs/deploy.md names every secret and variable the workflows read', async (t) => {
  const read = new Set<string>()
  for (const file of ['ci.yml', 'deploy.yml']) for (const [, kind, name] of text(file).matchAll(/\b(secrets|vars)\.([A-Z0-9_]+)/g)) read.add(`${kind} ${name}`)
  const docs = readFileSync(path.join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8')
  const section = docs.slice(docs.indexOf('## Deploy on push'))
  const named = new Set([...section.matchAll(/^\| `([A-Z0-9_]+)` \| (secret|variable) \|/gm)].map(([, name, kind]) => `${kind === 'secret' ? 'secrets' : 'vars'} ${name}`))
  t.strictSame([...read].sort(), ['secrets AWS_ACCESS_KEY_ID', 'secrets AWS_SECRET_ACCESS_KEY', 'vars AWS_REGION'])
  t.strictSame([...named].sort(), [...read].sort())
})

t.test('Dependabot: weekly, Architect and the AWS SDK each in one grouped pull request', async (t) => {
  interface Update {
    readonly 'package-ecosystem': string
    readonly schedule: { interval: string }
    readonly groups?: Record<string, { patterns: string[] }>
    readonly ignore?: { 'dependency-name': string; versions?: string[] }[]
  }
  const config = parse(readFileSync(path.join(PROJECT_ROOT, '.github', 'dependabot.yml'), 'utf8')) as { version: number; updates: Update[] }
  t.equal(config.version, 2)
  t.strictSame(
    config.updates.map((update) => [update['package-ecosystem'], update.schedule.interval]),
    [
      ['npm', 'weekly'],
      ['github-actions', 'weekly'],
    ],
  )
  const npm = config.updates[0]!
  t.strictSame(npm.groups, { architect: { patterns: ['@architect/*'] }, 'aws-sdk': { patterns: ['@aws-sdk/*'] } })
  // Each group covers packages the project really names (Dependabot groups direct dependencies).
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
  const direct = Object.keys({ ...pkg['dependencies'], ...pkg['devDependencies'] })
  t.ok(direct.filter((name) => name.startsWith('@architect/')).length >= 5, 'Architect packages')
  t.ok(direct.filter((name) => name.startsWith('@aws-sdk/')).length >= 3, 'AWS SDK packages')
  // TypeScript stays below what typescript-eslint supports.
  t.strictSame(npm.ignore?.find((rule) => rule['dependency-name'] === 'typescript')?.versions, ['>=6.1.0'])
  t.match(pkg['devDependencies']?.['typescript'], /^6\.0\./)
})
