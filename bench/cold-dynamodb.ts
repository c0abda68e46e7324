/**
 * DynamoDB mode, cold: a fresh Node process loads a built handler and answers its first request,
 * GET / with the cookie of an existing session (so one GetItem), against the Sandbox's local
 * DynamoDB. The Sandbox pays this on every request (a process each) and Lambda on every cold start.
 * Ours, @architect/functions in DynamoDB mode, the empty handler, the floor (the same GetItem as a
 * raw signed request from node:http and node:crypto), and that one GetItem made by each AWS client
 * alone (the AWS SDK as this app bundles it, and @aws-lite/client), interleaved, medians. Each
 * process reports its CPU time too: the Sandbox serves requests on the machine's cores, so CPU is
 * what limits its requests/s, and it is steadier than wall time on a shared machine.
 *
 * The SDK's start-up changes (src/shared/session/build/aws-sdk-parts.js: event streams in a file of their own, the
 * V8 code cache made at build time) are measured each on its own, on the SDK alone, and both
 * together against neither on ours. "Lambda's flags" runs Node as Lambda's bootstrap does (with
 * `--expose-gc`, which changes V8's tag, so the other code cache is the one used). As deployed, each
 * process also reports its init (loading the handler, which prepares the store) and its first
 * invocation apart, the two phases Lambda reports.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { buildHandler, type SdkVariant } from './lib/build'
import { median } from './lib/measure'
import { startSandboxProcess } from './lib/sandbox-process'

const ROOT = path.resolve(__dirname, '..')
const PORT = Number(process.env['BENCH_PORT_BASE'] ?? 6500)
/** At least twenty, as the issue asks; thirty steady the medians on a shared 2-core machine. */
const RUNS = Number(process.env['BENCH_COLD_RUNS'] ?? 30)
const APP = 'arc-sessions-ts'
/** Generated for each run: the rows "as deployed" refuse a secret printed anywhere (docs/guarantees.md#g-no-default-key). */
const SECRET = randomBytes(32).toString('base64')
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SANDBOX_VERSION = (require('@architect/sandbox/package.json') as { version: string }).version
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sandboxTableNames } = require('../src/shared/session/arc/sandbox-table-names') as { sandboxTableNames: (arc: { app: string[]; tables: string[] }) => Record<string, string> }

/** The builds compared: the app's own (both changes), and each change left out. */
const VARIANTS = {
  neither: { eventStreamsApart: false, codeCache: false },
  'event streams apart only': { eventStreamsApart: true, codeCache: false },
  'code cache only': { eventStreamsApart: false, codeCache: true },
} as const satisfies Record<string, SdkVariant>

/** The V8 flags of Lambda's Node bootstrap (nodejs24.x); the heap sizes it adds do not change V8's tag. */
const LAMBDA_FLAGS = ['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=12', '--max-old-space-size=231']
/**
 * Added for the rows "as deployed": AWS's DynamoDB endpoint is https://, so a deployed function
 * loads node:https (and TLS), which the local http:// endpoint would spare it (docs/dynamodb.md,
 * "Start-up"). The handshake itself is not counted, nor is it for the reference.
 */
const AS_DEPLOYED_FLAGS = ['--require=node:https']

interface Case {
  readonly name: string
  readonly entry: string
  /** A build with some of the SDK's start-up changes left out; the app's own build when absent. */
  readonly variant?: keyof typeof VARIANTS
  /** Node's flags: Lambda's, or none (the Sandbox's `node -e`). */
  readonly flags?: readonly string[]
  /** JWE mode (ARC_SESSION_TABLE_NAME=jwe), for the rows that show it stays where it was. */
  readonly jwe?: boolean
  /** Which seeded session the request carries: ours (the floor reads the same item) or the reference's. */
  readonly cookie?: 'ours' | 'reference'
  /** Run as a deployed function would (ARC_ENV=production), its AWS endpoints pointed at the Sandbox's services. */
  readonly deployed?: boolean
}

const SDK = 'bench/fixtures/sdk-getitem/index.ts'
const OURS = 'src/http/get-index/index.ts'
const ARC = 'bench/fixtures/arc-functions/index.ts'

export const COLD_CASES: readonly Case[] = [
  { name: 'empty handler', entry: 'bench/fixtures/empty/index.ts' },
  { name: 'floor: raw signed GetItem (node:http + node:crypto)', entry: 'bench/fixtures/raw-getitem/index.ts', cookie: 'ours' },
  { name: 'the GetItem alone, @aws-sdk/client-dynamodb, neither change', entry: SDK, cookie: 'ours', variant: 'neither' },
  { name: 'the GetItem alone, @aws-sdk/client-dynamodb, event streams apart only', entry: SDK, cookie: 'ours', variant: 'event streams apart only' },
  { name: 'the GetItem alone, @aws-sdk/client-dynamodb, code cache only', entry: SDK, cookie: 'ours', variant: 'code cache only' },
  { name: 'the GetItem alone, @aws-sdk/client-dynamodb (bundled as ours: both)', entry: SDK, cookie: 'ours' },
  { name: 'the GetItem alone, @aws-lite/client', entry: 'bench/fixtures/aws-lite-getitem/index.ts', cookie: 'ours' },
  { name: 'ours: get-index, neither change', entry: OURS, cookie: 'ours', variant: 'neither' },
  { name: 'ours: get-index', entry: OURS, cookie: 'ours' },
  { name: '@architect/functions 8.1.10 counter', entry: ARC, cookie: 'reference' },
  { name: 'ours: get-index, as deployed', entry: OURS, cookie: 'ours', deployed: true },
  { name: "ours: get-index, as deployed, Lambda's flags, neither change", entry: OURS, cookie: 'ours', deployed: true, flags: LAMBDA_FLAGS, variant: 'neither' },
  { name: "ours: get-index, as deployed, Lambda's flags", entry: OURS, cookie: 'ours', deployed: true, flags: LAMBDA_FLAGS },
  { name: "@architect/functions 8.1.10 counter, Lambda's flags", entry: ARC, cookie: 'reference', flags: LAMBDA_FLAGS },
  { name: "empty handler, Lambda's flags", entry: 'bench/fixtures/empty/index.ts', flags: LAMBDA_FLAGS },
  { name: 'ours: get-index, JWE mode, neither change', entry: OURS, variant: 'neither', jwe: true },
  { name: 'ours: get-index, JWE mode', entry: OURS, jwe: true },
]

/** What every function gets here, the Sandbox's or a deployed one; nothing of this process. */
function commonEnv(): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    TZ: 'UTC',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    ARC_APP_NAME: APP,
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: 'sessions',
  }
}

/** What the Sandbox hands a function in DynamoDB mode (sandbox/src/invoke-lambda/env). */
export function functionEnv(): Record<string, string> {
  return {
    ...commonEnv(),
    AWS_ACCESS_KEY_ID: 'arcDummyAccessKey',
    AWS_SECRET_ACCESS_KEY: 'arcDummySecretKey',
    AWS_LAMBDA_FUNCTION_NAME: '@http get /',
    ARC_ENV: 'testing',
    ARC_SANDBOX: JSON.stringify({ cwd: ROOT, ports: { http: PORT, tables: PORT + 1, _arc: PORT + 2 }, version: SANDBOX_VERSION }),
    // From the session core's plugin; @architect/functions ignores it.
    ARC_TABLE_NAMES: JSON.stringify(sandboxTableNames({ app: [APP], tables: ['sessions'] })),
  }
}

/**
 * What Lambda hands a deployed function (the role's credentials, the region, the template's
 * variables, ARC_TABLE_NAMES among them), with the AWS endpoints moved to the Sandbox's local
 * DynamoDB and its SSM look-alike (which answers for the Sandbox's own stack, hence ARC_STACK_NAME,
 * should the function ask it). The deployed path without the network.
 */
export function deployedEnv(): Record<string, string> {
  return {
    ...commonEnv(),
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example-secret-access-key-0123456789abcdef',
    AWS_SESSION_TOKEN: 'example-session-token',
    AWS_LAMBDA_FUNCTION_NAME: 'ArcSessionsTsProduction-GetIndexHTTPLambda-EXAMPLE',
    AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${PORT + 1}`,
    AWS_ENDPOINT_URL_SSM: `http://localhost:${PORT + 2}/_arc/ssm`,
    ARC_ENV: 'production',
    ARC_STACK_NAME: 'ArcSessionsTsTesting',
    ARC_TABLE_NAMES: JSON.stringify({ sessions: `${APP}-staging-sessions` }),
  }
}

/** An API Gateway (HTTP API) event as a browser's same-origin request makes it: GET / or POST /count. */
export function event(method: 'GET' | 'POST', cookie: string | undefined): object {
  const domain = 'abc123.execute-api.us-west-2.amazonaws.com'
  const path = method === 'POST' ? '/count' : '/'
  const headers: Record<string, string> = { host: domain, 'x-forwarded-proto': 'https' }
  if (method === 'POST') Object.assign(headers, { origin: `https://${domain}`, 'sec-fetch-site': 'same-origin' })
  if (cookie) headers['cookie'] = cookie
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { domainName: domain, http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'bench' } },
    isBase64Encoded: false,
  }
}

interface Answer {
  readonly statusCode: number
  readonly headers?: Record<string, string>
  readonly cookies?: string[]
  readonly body?: string
}

/**
 * One fresh process: load the bundle, answer one event, exit. Returns the wall time, the
 * process's CPU time (user + system, Node's start included) and the answer.
 */
export interface ColdRun {
  readonly ms: number
  readonly cpuMs: number
  /** From the process's start (performance.now()) to the handler loaded: Lambda's init phase. */
  readonly initMs: number
  /** The first invocation: the handler called until its answer. */
  readonly invokeMs: number
  readonly answer: Answer
}

export function coldRequest(bundle: string, evt: object, env: Record<string, string>, flags: readonly string[] = []): ColdRun {
  const script = `const { handler } = require(${JSON.stringify(bundle)}); const initMs = performance.now()
    handler(${JSON.stringify(evt)}).then(
    (answer) => { const invokeMs = performance.now() - initMs; const cpu = process.cpuUsage(); process.stdout.write(JSON.stringify({ answer, cpuMs: (cpu.user + cpu.system) / 1000, initMs, invokeMs })); process.exit(0) },
    (error) => { console.error(error); process.exit(1) })`
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, [...flags, '-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${bundle}: exit ${result.status}`)
  return { ms, ...(JSON.parse(result.stdout) as Omit<ColdRun, 'ms'>) }
}

export function sessionCookie(answer: Answer): string {
  // Payload 2.0 sends cookies in their own array; the reference puts its one in a header.
  const setCookie = answer.cookies?.find((cookie) => cookie.startsWith('_idx=')) ?? answer.headers?.['set-cookie'] ?? ''
  if (!setCookie.startsWith('_idx=')) throw new Error(`no session cookie in ${JSON.stringify(answer)}`)
  return setCookie.slice(0, setCookie.indexOf(';'))
}

function countOnPage(body: string | undefined): number | undefined {
  const match = /id="count">(\d+)</.exec(body ?? '')
  return match ? Number(match[1]) : undefined
}

const keyOf = (c: Pick<Case, 'entry' | 'variant'>) => `${c.variant ?? 'app'}: ${c.entry}`

export async function runColdDynamoDb(cases: readonly Case[] = COLD_CASES): Promise<string> {
  const bundles = new Map<string, string>()
  for (const c of [...cases, { entry: 'src/http/post-count/index.ts' }]) {
    const variant = 'variant' in c ? { name: c.variant.replace(/ /g, '-'), sdk: VARIANTS[c.variant] } : undefined
    if (!bundles.has(keyOf(c))) bundles.set(keyOf(c), await buildHandler(c.entry, variant))
  }
  const sandbox = await startSandboxProcess(ROOT, PORT)
  try {
    const env = functionEnv()
    const envOf = (c: Case) => {
      const base = c.deployed ? deployedEnv() : env
      return c.jwe ? { ...base, ARC_SESSION_TABLE_NAME: 'jwe' } : base
    }
    // One session each, made by a first POST /count: every measured request then reads a count of 1.
    const cookies = {
      ours: sessionCookie(coldRequest(bundles.get(keyOf({ entry: 'src/http/post-count/index.ts' }))!, event('POST', undefined), env).answer),
      reference: sessionCookie(coldRequest(bundles.get(keyOf({ entry: ARC }))!, event('POST', undefined), env).answer),
    }
    const runs = new Map<string, ColdRun[]>(cases.map((c) => [c.name, []]))
    for (let run = 0; run < RUNS; run++) {
      // A rotating order, so drift on the machine lands on every case alike.
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(run + k) % cases.length]!
        const flags = c.deployed ? [...AS_DEPLOYED_FLAGS, ...(c.flags ?? [])] : c.flags
        const cold = coldRequest(bundles.get(keyOf(c))!, event('GET', c.cookie && cookies[c.cookie]), envOf(c), flags)
        if (cold.answer.statusCode !== 200) throw new Error(`${c.name}: status ${cold.answer.statusCode}`)
        if (c.cookie && countOnPage(cold.answer.body) !== 1) throw new Error(`${c.name}: the page does not show the session's count of 1`)
        runs.get(c.name)!.push(cold)
      }
    }
    const med = (name: string, of: (r: ColdRun) => number) => median(runs.get(name)!.map(of))
    const emptyOf = (c: Case) => (c.flags ? "empty handler, Lambda's flags" : 'empty handler')
    const rows = cases.map((c) => {
      const ms = med(c.name, (r) => r.ms)
      const cpuMs = med(c.name, (r) => r.cpuMs)
      const empty = emptyOf(c)
      return `| ${c.name} | ${ms.toFixed(1)} | ${(ms / med(empty, (r) => r.ms)).toFixed(2)} | ${cpuMs.toFixed(1)} | ${(cpuMs / med(empty, (r) => r.cpuMs)).toFixed(2)} |`
    })
    const split = cases
      .filter((c) => c.deployed || c.flags)
      .filter((c) => !c.name.startsWith('empty'))
      .map((c) => `| ${c.name} | ${med(c.name, (r) => r.initMs).toFixed(1)} | ${med(c.name, (r) => r.invokeMs).toFixed(1)} |`)
    return [
      `GET / with a session cookie, a fresh process each, ${RUNS} interleaved runs, medians. Rows run with`,
      "the environment the Sandbox gives a function unless they say \"as deployed\" (see bench/cold-dynamodb.ts);",
      "rows with Lambda's flags are divided by the empty handler run with the same flags. \"Neither change\":",
      'built without the two start-up changes of the SDK part (event streams in a file of their own, the',
      'V8 code cache made at build time; docs/dynamodb.md, "Start-up").',
      '',
      '| handler | process start to answer, ms | × the empty handler | CPU, ms | × the empty handler |',
      '|---|---:|---:|---:|---:|',
      ...rows,
      '',
      "Init (process start to the handler loaded, the store prepared) and first invocation, as Lambda",
      'reports them, medians of the same runs:',
      '',
      '| handler | init, ms | first invocation, ms |',
      '|---|---:|---:|',
      ...split,
    ].join('\n')
  } finally {
    await sandbox.stop()
  }
}

if (require.main === module) {
  void runColdDynamoDb().then((md) => console.log(md))
}
