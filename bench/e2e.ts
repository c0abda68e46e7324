/**
 * End to end through the real Sandbox: requests/s and p50 latency for GET / and POST /count,
 * ours against the same counter on @architect/functions and an empty handler, served by the same
 * Sandbox in the same run. The Sandbox starts a Node process per request, so this is dominated by
 * process start-up, as a Lambda cold start is.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import autocannon from 'autocannon'
import { median } from './lib/measure'
import { startSandboxProcess } from './lib/sandbox-process'

const ROOT = path.resolve(__dirname, '..')
const APP = path.join(ROOT, 'bench', '.tmp', 'e2e-app')
const PORT = Number(process.env['BENCH_PORT_BASE'] ?? 6500)
const DURATION_SECONDS = Number(process.env['BENCH_DURATION'] ?? 10)
const CONNECTIONS = 4
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5)

/**
 * A copy of the project with two more routes each for GET and POST: /empty, served by the empty
 * handler, and /arc, by the counter on @architect/functions (bench/fixtures/arc-functions).
 */
function prepareApp(mode: string): void {
  rmSync(APP, { recursive: true, force: true })
  mkdirSync(APP, { recursive: true })
  for (const entry of ['src', 'public', 'tsconfig.json']) {
    cpSync(path.join(ROOT, entry), path.join(APP, entry), { recursive: true })
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(APP, 'node_modules'))
  // The project's esbuild options; @architect/functions has optional requires of the v2 SDK and
  // lib-dynamodb (its package.json does not list them) for an option the counter does not use: left unresolved.
  const config = `const project = require(${JSON.stringify(path.join(ROOT, 'esbuild.config.js'))})
module.exports = { ...project, external: [...(project.external ?? []), 'aws-sdk', 'aws-sdk/*', '@aws-sdk/lib-dynamodb'] }\n`
  writeFileSync(path.join(APP, 'esbuild.config.js'), config)
  const arc = readFileSync(path.join(ROOT, 'app.arc'), 'utf8').replace('@http\n', '@http\nget /empty\npost /empty\nget /arc\npost /arc\n')
  writeFileSync(path.join(APP, 'app.arc'), arc)
  const prefs = `@sandbox\nlivereload false\nno-hydrate true\n\n@env\ntesting\n  ARC_SESSION_TABLE_NAME ${mode}\n  ARC_APP_SECRET bench-secret-0123456789abcdefghijklmnop\n`
  writeFileSync(path.join(APP, 'prefs.arc'), prefs)
  const routes: [string, string][] = [['get-empty', 'empty'], ['post-empty', 'empty'], ['get-arc', 'arc-functions'], ['post-arc', 'arc-functions']]
  for (const [route, fixture] of routes) {
    cpSync(path.join(ROOT, 'bench', 'fixtures', fixture), path.join(APP, 'src', 'http', route), { recursive: true })
  }
}

/** The session cookie a first POST to `route` sets: each implementation gets its own session. */
async function firstCookie(url: string, route: string): Promise<string> {
  const response = await fetch(`${url}${route}`, { method: 'POST', redirect: 'manual', headers: { origin: url, 'sec-fetch-site': 'same-origin' } })
  const setCookie = response.headers.get('set-cookie') ?? ''
  if (!setCookie.startsWith('_idx=')) throw new Error(`POST ${route} set no session cookie (status ${response.status})`)
  return setCookie.slice(0, setCookie.indexOf(';'))
}

export async function runE2e(mode: string): Promise<string> {
  prepareApp(mode)
  const sandbox = await startSandboxProcess(APP, PORT)
  try {
    const { url } = sandbox
    const cookie = await firstCookie(url, '/count')
    const arcCookie = await firstCookie(url, '/arc')
    // What a browser sends with a form post, so the cross-site check runs as it does for real.
    const post = { origin: url, 'sec-fetch-site': 'same-origin' }
    // Each row's ratio is to the empty handler's row of the same method.
    const cases: [string, string, string, Record<string, string>][] = [
      ['GET / (ours)', 'GET', '/', { cookie }],
      ['GET /arc (@architect/functions)', 'GET', '/arc', { cookie: arcCookie }],
      ['GET /empty (empty handler)', 'GET', '/empty', { cookie }],
      ['POST /count (ours)', 'POST', '/count', { cookie, ...post }],
      ['POST /arc (@architect/functions)', 'POST', '/arc', { cookie: arcCookie, ...post }],
      ['POST /empty (empty handler)', 'POST', '/empty', { cookie, ...post }],
    ]
    const rps = new Map<string, number[]>(cases.map(([name]) => [name, []]))
    const p50 = new Map<string, number[]>(cases.map(([name]) => [name, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, method, route, headers] of cases) {
        const result = await autocannon({ url: `${url}${route}`, method, headers, connections: CONNECTIONS, duration: DURATION_SECONDS })
        // Redirects are the posts' answers: ours is a 303, @architect/functions' a 302.
        const redirects = (result.statusCodeStats['302']?.count ?? 0) + (result.statusCodeStats['303']?.count ?? 0)
        if (result.errors > 0 || result.non2xx > redirects) {
          throw new Error(`${name}: ${result.errors} errors, non-2xx ${JSON.stringify(result.statusCodeStats)}`)
        }
        rps.get(name)!.push(result.requests.average)
        p50.get(name)!.push(result.latency.p50)
      }
    }
    const rows = cases.map(([name, method]) => {
      const baseline = cases.find(([other, otherMethod]) => otherMethod === method && other.includes('(empty handler)'))![0]
      const ratio = median(rps.get(name)!) / median(rps.get(baseline)!)
      return `| ${name} | ${median(rps.get(name)!).toFixed(1)} | ${median(p50.get(name)!).toFixed(0)} | ${ratio.toFixed(2)} |`
    })
    return [
      `Mode \`${mode}\`, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_SECONDS} s each, medians:`,
      '',
      '| route | requests/s | p50 ms | × the empty handler |',
      '|---|---:|---:|---:|',
      ...rows,
    ].join('\n')
  } finally {
    // autocannon stops at its deadline with requests still in flight: let their Lambda processes finish.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    await sandbox.stop()
  }
}

if (require.main === module) {
  void runE2e(process.argv[2] ?? 'jwe').then((md) => console.log(md))
}
