// On a Node.js that package.json's engines does not allow, `npm install` stops (engine-strict in
// .npmrc) and `npm start` and `npm test` print one line that names the version needed
// (scripts/check-node.js). Other Node versions are faked in the child processes (process.version,
// which npm checks, and process.versions.node, which the script checks), so this runs on any Node.
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { nodeVersionProblem } from '../../scripts/check-node'

const ROOT = path.join(__dirname, '..', '..')
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> }
const RANGE = '^22.22.2 || ^24.15.0 || >=26'
const message = (version: string) =>
  `arc-sessions-ts needs Node.js 22.22.2 or a later 22.x, or 24.15 or a later 24.x, or 26 or newer (24 recommended, as .nvmrc says); this is Node.js ${version}. Install Node.js 24 (https://nodejs.org, or \`nvm install\` in this folder) and run the command again.`

/** A file for `node --require` that makes the process report `version` as its Node.js. */
function fakeNode(dir: string, version: string): string {
  const file = path.join(dir, `node-${version}.cjs`)
  writeFileSync(
    file,
    `Object.defineProperty(process, 'version', { value: 'v${version}' })\nObject.defineProperty(process.versions, 'node', { value: '${version}' })\n`,
  )
  return file
}

/** The environment of a child process: tap's own NODE_OPTIONS replaced by the fake version. */
function envWith(nodeOptions: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_OPTIONS: nodeOptions, NO_UPDATE_NOTIFIER: '1' }
}

t.test('package.json allows Node 22.22.2 and later 22s, 24.15 and later 24s, and 26 and later', async (t) => {
  t.equal(pkg.engines.node, RANGE)
})

t.test('the versions the check allows and refuses', async (t) => {
  const cases: [string, string | undefined][] = [
    ['18.20.8', message('18.20.8')],
    ['20.20.2', message('20.20.2')],
    ['22.0.0', message('22.0.0')],
    ['22.22.1', message('22.22.1')],
    ['22.22.2', undefined],
    ['23.11.0', message('23.11.0')],
    ['24.14.9', message('24.14.9')],
    ['24.15.0', undefined],
    ['25.1.0', message('25.1.0')],
    ['24.21.0', undefined],
    ['26.1.0', undefined],
  ]
  for (const [version, expected] of cases) t.equal(nodeVersionProblem(version, RANGE), expected, version)
  t.equal(nodeVersionProblem('21.9.0', '>=22'), message('21.9.0').replace('22.22.2 or a later 22.x, or 24.15 or a later 24.x, or 26 or newer', '22 or newer'))
})

t.test('a form of engines.node that the check cannot read is an error, not a pass', async (t) => {
  for (const range of ['22.x', '>22', '~22.13.0', '>=22 <27', '']) {
    t.throws(() => nodeVersionProblem('24.0.0', range), { message: `scripts/check-node.js cannot read "${range}" (package.json engines.node): use clauses like ^22.13.0 or >=24, joined by ||` }, range)
  }
})

t.test('npm start and npm test run the check first', async (t) => {
  for (const script of ['start', 'test']) t.equal(pkg.scripts[script]?.split(' && ')[0], 'node scripts/check-node.js', script)
})

t.test('the script: one line and exit code 1 on old Node, nothing on this one', async (t) => {
  const dir = t.testdir()
  const run = (nodeOptions: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-node.js')], { encoding: 'utf8', env: envWith(nodeOptions) })
  const old = run(`--require ${fakeNode(dir, '20.20.2')}`)
  t.strictSame([old.status, old.stdout, old.stderr], [1, '', `${message('20.20.2')}\n`])
  const current = run('')
  t.strictSame([current.status, current.stdout, current.stderr], [0, '', ''], `on this Node.js, ${process.versions.node}`)
})

t.test('npm install stops on old Node before installing anything, and goes on at the floor', async (t) => {
  // A copy of the project's install inputs; --dry-run resolves the whole locked tree (the engines
  // of every package in it, under engine-strict) and installs nothing.
  const dir = t.testdir()
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(path.join(ROOT, file), path.join(dir, file))
  const install = (version: string) =>
    spawnSync('npm', ['install', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      env: envWith(`--require ${fakeNode(dir, version)}`),
    })

  const old = install('20.20.2')
  t.equal(old.status, 1)
  const errors = old.stderr.split('\n').filter((line) => line.startsWith('npm error') && !line.includes('complete log'))
  t.strictSame(errors, [
    'npm error code EBADENGINE',
    'npm error engine Unsupported engine',
    'npm error engine Not compatible with your version of node/npm: arc-sessions-ts@1.0.0',
    'npm error notsup Not compatible with your version of node/npm: arc-sessions-ts@1.0.0',
    `npm error notsup Required: {"node":"${RANGE}"}`,
    `npm error notsup Actual:   {"node":"v20.20.2","npm":"${npmVersion()}"}`,
  ])
  t.equal(old.stdout, '', 'nothing added')

  // engine-strict makes every package's engines binding: the lowest Node each clause allows must
  // take the whole locked tree, or a supported Node would fail to install.
  for (const floor of ['22.22.2', '24.15.0', '26.0.0']) {
    const ok = install(floor)
    t.equal(ok.status, 0, `Node ${floor}: ${ok.stderr}`)
    t.notMatch(ok.stderr, /EBADENGINE/, `Node ${floor}: no package refuses it`)
  }
})

function npmVersion(): string {
  return spawnSync('npm', ['--version'], { encoding: 'utf8', env: envWith('') }).stdout.trim()
}
