/**
 * Secrets and transport through the functions as `arc deploy` builds them, run in fresh processes
 * with a deployed configuration (the template's variables, ARC_ENV=production, API Gateway v2
 * events), as test/deploy/bundle.test.ts runs them (docs/sessions.md#the-secret, docs/security.md):
 * - a cookie forged with a public or weak secret, or with the app name through the previous list,
 *   reads as a new visitor in both modes, and a weak secret is a configuration error;
 * - rotation across an algorithm change (A128GCM to A256GCM) keeps the session, the next write
 *   uses the new key; the docs' rotation procedure, run line by line;
 * - HSTS on every deployed response (200, 303, 403, 500, 503; 413 is tested through the adapter:
 *   the counter's sessions cannot grow), none under the Sandbox;
 * - 1,000 refused cross-site requests to one warm function log a bounded number of lines.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { runBuiltFunction, type BuiltRun } from '../helpers/built-function'
import { putItem, startDynalite } from '../helpers/dynamodb'
import { countOnPage } from '../helpers/http-client'
import { apiGatewayEvent, lambdaEvent } from '../helpers/lambda-event'
import { functionsByFolder, packageApp, resolveValue } from '../helpers/sam'
import { generatedSecret } from '../helpers/secrets'
import { PROJECT_ROOT } from '../helpers/sandbox'
import { makeJweKey, seal, type JweEnc } from '../../src/shared/session/providers/jwe/token'
import { signId } from '../../src/shared/session/providers/ddb/signed-id'

const STACK = 'ArcSessionsTsProduction'
const TABLE = `${STACK}-SessionsTable-1SECRETS`
/** An app name long enough to be a whole A256GCM key, as the review found. */
const LONG_APP_NAME = 'arc-sessions-ts-counter-app-demo-2026'
/** HSTS as a deployed app must send it (docs/security.md): two years, subdomains included. */
const HSTS = 'max-age=63072000; includeSubDomains'
const KEY_CHARS: Readonly<Record<JweEnc, number>> = { A256GCM: 32, A192GCM: 24, A128GCM: 16 }

/** A JWE cookie as anyone holding `secret` can make it, @architect/functions' way, holding `count`. */
function forge(secret: string, count: number, enc: JweEnc = 'A256GCM'): string {
  const key = makeJweKey(enc, Buffer.from(secret.slice(0, KEY_CHARS[enc]), 'utf8'))
  return seal(JSON.stringify({ count, iat: Math.floor(Date.now() / 1000) }), key)
}

/** The `enc` a JWE cookie's header names. */
const encOf = (cookie: string) => (JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString()) as { enc: string }).enc

const cookieOf = (run: BuiltRun, i: number) => /^_idx=([^;]*)/.exec(String(run.answers[i]?.headers['set-cookie']))?.[1]

t.test('built for production', async (t) => {
  const { template } = await packageApp('production')
  const functions = functionsByFolder(template)
  const { port, client } = await startDynalite(t, TABLE)
  const bundle = (folder: string) => path.join(functions.get(folder)!.CodeUri, 'index.js')

  /** What Lambda gives the function once deployed, the template's variables resolved, plus `vars` (`arc env`). */
  function env(folder: string, vars: Record<string, string | undefined>): Record<string, string> {
    const refs = { SessionsTable: TABLE, 'AWS::StackName': STACK, Role: 'role', StaticBucket: 'static-bucket' }
    const variables = Object.entries(functions.get(folder)!.Environment.Variables).map(([name, value]): [string, string] => [name, resolveValue(value, refs)])
    const all: Record<string, string | undefined> = {
      ...Object.fromEntries(variables),
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'ASIATESTROLECREDENTIALS',
      AWS_SECRET_ACCESS_KEY: 'test-role-secret',
      AWS_ENDPOINT_URL_DYNAMODB: `http://localhost:${port}`,
      ...vars,
    }
    return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined))
  }
  const page = (folder: string, vars: Record<string, string | undefined>, cookie?: string) =>
    runBuiltFunction(bundle(folder), env(folder, vars), [lambdaEvent({ sessionCookie: cookie })])
  const count = (vars: Record<string, string | undefined>, cookie?: string) =>
    runBuiltFunction(bundle('post-count'), env('post-count', vars), [lambdaEvent({ method: 'POST', path: '/count', sessionCookie: cookie })])

  t.test('weak secrets are refused when deployed: the 500 page, no session read or written, in both modes', async (t) => {
    const weak = ['12345678901234567890123456789012', 'a'.repeat(32), 'abcdefghijklmnopqrstuvwxyz012345', LONG_APP_NAME, `12345678901234567890123456789012${generatedSecret()}`]
    for (const mode of ['jwe', 'sessions']) {
      for (const secret of weak) {
        const vars = { ARC_SESSION_TABLE_NAME: mode, ARC_APP_NAME: LONG_APP_NAME, ARC_APP_SECRET: secret }
        const run = await count(vars, forge(secret, 41))
        t.equal(run.answers[0]?.statusCode, 500, `${mode}, ${secret.slice(0, 12)}…: refused`)
        t.match(String(run.answers[0]?.body), /<h1>Not configured<\/h1>/)
        t.equal(run.answers[0]?.headers['set-cookie'], undefined)
        t.match(run.stderr, /configuration error: ARC_APP_SECRET: .*openssl rand -base64 32/)
        t.notOk(run.stderr.includes(secret), 'the secret is not logged')
      }
    }
  })

  t.test('a cookie forged with a public secret, or with the app name through the previous list, reads as a new visitor', async (t) => {
    const publicSecrets = ['12345678901234567890123456789012', 'abcdefghijklmnopqrstuvwxyz0123456789', 'a'.repeat(32), LONG_APP_NAME]
    for (const mode of ['jwe', 'sessions']) {
      for (const previous of [undefined, LONG_APP_NAME]) {
        const vars = { ARC_SESSION_TABLE_NAME: mode, ARC_APP_NAME: LONG_APP_NAME, ARC_APP_SECRET: generatedSecret(), ARC_APP_SECRET_PREVIOUS: previous }
        for (const secret of publicSecrets) {
          const label = `${mode}${previous ? ', app name as previous' : ''}, forged with ${secret.slice(0, 12)}…`
          const shown = await page('get-index', vars, forge(secret, 41))
          t.equal(shown.answers[0]?.statusCode, 200, label)
          t.equal(countOnPage(String(shown.answers[0]?.body)), 0, `${label}: GET / shows a new visitor's 0`)
          const counted = await count(vars, forge(secret, 41))
          t.equal(counted.answers[0]?.statusCode, 303, label)
          const after = await page('get-index', vars, cookieOf(counted, 0))
          t.equal(countOnPage(String(after.answers[0]?.body)), 1, `${label}: POST /count starts at 1, not 42`)
        }
      }
    }
  })

  t.test("DynamoDB mode: a session id @architect/functions signed with the app name still verifies, and is re-signed", async (t) => {
    const secret = generatedSecret()
    const id = 'SignedWithAppName0000000'
    await putItem(client, TABLE, { _idx: { S: id }, _secret: { S: 'x' }, _ttl: { N: String(Math.floor(Date.now() / 1000) + 3600) }, count: { N: '5' } })
    const vars = { ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_NAME: LONG_APP_NAME, ARC_APP_SECRET: secret, ARC_APP_SECRET_PREVIOUS: LONG_APP_NAME }
    const counted = await count(vars, encodeURIComponent(signId(id, LONG_APP_NAME)))
    t.equal(counted.answers[0]?.statusCode, 303, counted.stderr)
    t.equal(decodeURIComponent(cookieOf(counted, 0) ?? ''), signId(id, secret), 'the same session, now signed with ARC_APP_SECRET')
    t.equal(countOnPage(String((await page('get-index', vars, cookieOf(counted, 0))).answers[0]?.body)), 6)
  })

  t.test('rotation across an algorithm change: A128GCM with X, then A256GCM with Y and X as previous', async (t) => {
    const x = generatedSecret()
    const y = generatedSecret()
    const before = { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET_ALGO: 'A128GCM', ARC_APP_SECRET: x }
    const made = await runBuiltFunction(bundle('post-count'), env('post-count', before), [
      lambdaEvent({ method: 'POST', path: '/count' }),
      { ...lambdaEvent({ method: 'POST', path: '/count' }), headers: { ...lambdaEvent({ method: 'POST', path: '/count' }).headers, cookie: '{{cookie}}' } },
    ])
    const old = cookieOf(made, 1)!
    t.equal(encOf(old), 'A128GCM')
    const after = { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET_ALGO: 'A256GCM', ARC_APP_SECRET: y, ARC_APP_SECRET_PREVIOUS: x }
    t.equal(countOnPage(String((await page('get-index', after, old)).answers[0]?.body)), 2, 'the A128GCM cookie reads after the switch')
    const next = cookieOf(await count(after, old), 0)!
    t.equal(encOf(next), 'A256GCM', 'the next write: A256GCM')
    t.equal(countOnPage(String((await page('get-index', { ...after, ARC_APP_SECRET_PREVIOUS: undefined }, next)).answers[0]?.body)), 3, 'sealed with Y alone')
  })

  t.test("the docs' rotation procedure, run line by line, in both modes", async (t) => {
    const docs = readFileSync(path.join(PROJECT_ROOT, 'docs', 'sessions.md'), 'utf8')
    const section = docs.slice(docs.indexOf('### Rotating it'))
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1]
    if (!block) throw new Error('docs/sessions.md#rotating-it has no sh block')
    for (const mode of ['jwe', 'sessions']) {
      const arcEnv: Record<string, string | undefined> = { ARC_SESSION_TABLE_NAME: mode, ARC_APP_SECRET: generatedSecret() }
      const first = cookieOf(await count(arcEnv), 0)!
      const stayedAway = cookieOf(await count(arcEnv), 0)!
      let cookie = first
      const deploys: number[] = []
      for (const line of block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
        const add = /^npx arc env -e production -a (\w+) (.+)$/.exec(line)
        const remove = /^npx arc env -e production -r (\w+)$/.exec(line)
        if (add) {
          const value = add[2]!
          arcEnv[add[1]!] =
            value === '"<the current ARC_APP_SECRET>"'
              ? arcEnv['ARC_APP_SECRET']
              : value === '"$(openssl rand -base64 32)"'
                ? execFileSync('openssl', ['rand', '-base64', '32'], { encoding: 'utf8' }).trim()
                : value
        } else if (remove) {
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- `arc env --remove NAME`, as the docs' command says
          delete arcEnv[remove[1]!]
        } else if (line === 'npx arc deploy --production') {
          // A deploy: the functions now run with these variables. The visitor comes back.
          const shown = await count(arcEnv, cookie)
          t.equal(shown.answers[0]?.statusCode, 303, `${mode}, deploy ${deploys.length + 1}: ${shown.stderr}`)
          cookie = cookieOf(shown, 0)!
          deploys.push(countOnPage(String((await page('get-index', arcEnv, cookie)).answers[0]?.body)))
        } else {
          throw new Error(`a line of the procedure this test cannot run: ${line}`)
        }
      }
      t.strictSame(deploys, [2, 3], `${mode}: the visitor who came back between the deploys kept the session`)
      t.equal(countOnPage(String((await page('get-index', arcEnv, stayedAway)).answers[0]?.body)), 0, `${mode}: one who never came back reads as new after the second`)
    }
  })

  t.test('HSTS on 200, 303, 403, 500 and 503 when deployed; none under the Sandbox', async (t) => {
    const good = { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: generatedSecret() }
    const ddbSecret = generatedSecret()
    const cases: [string, number, string, Record<string, string | undefined>, ReturnType<typeof lambdaEvent>][] = [
      ['the page', 200, 'get-index', good, lambdaEvent()],
      ['a redirect', 303, 'post-count', good, lambdaEvent({ method: 'POST', path: '/count' })],
      ['a refused cross-site post', 403, 'post-count', good, apiGatewayEvent({ method: 'POST', path: '/count', headers: { origin: 'https://evil.example' } })],
      ['not configured', 500, 'get-index', { ARC_SESSION_TABLE_NAME: 'jwe' }, lambdaEvent()],
      // DynamoDB mode, a valid signed id, and nothing listening where the table should be.
      ['store unavailable', 503, 'get-index', { ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: ddbSecret, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }, lambdaEvent({ sessionCookie: encodeURIComponent(signId('A'.repeat(24), ddbSecret)) })],
    ]
    for (const [name, status, folder, vars, event] of cases) {
      const deployed = await runBuiltFunction(bundle(folder), env(folder, vars), [event])
      t.equal(deployed.answers[0]?.statusCode, status, `${name}: ${deployed.stderr}`)
      t.equal(deployed.answers[0]?.headers['strict-transport-security'], HSTS, `deployed, ${name}: HSTS`)
    }
    const sandbox = await runBuiltFunction(bundle('get-index'), env('get-index', { ...good, ARC_ENV: 'testing' }), [lambdaEvent()])
    t.equal(sandbox.answers[0]?.statusCode, 200)
    t.equal(sandbox.answers[0]?.headers['strict-transport-security'], undefined, 'under ARC_ENV=testing: none')
  })

  t.test('1,000 refused cross-site requests to one warm function: one log line', async (t) => {
    const refused = apiGatewayEvent({ method: 'POST', path: '/count', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })
    const run = await runBuiltFunction(bundle('post-count'), env('post-count', { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: generatedSecret() }), Array.from({ length: 1000 }, () => refused))
    t.strictSame([...new Set(run.answers.map((a) => a.statusCode))], [403])
    const lines = run.stderr.split('\n').filter(Boolean)
    t.equal(lines.length, 1, `${lines.length} lines`)
    t.match(lines[0], /refused a cross-site request: its sec-fetch-site header names another site/)
  })
})
