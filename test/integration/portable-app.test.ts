/**
 * The session core in a second app (test/fixtures/portable-app/: its own app.arc, prefs.arc,
 * esbuild config and tsconfig, one route using `defineSession`), taken the way
 * docs/use-the-core.md tells a user: the core's folder copied into the app, nothing else of this
 * project. The copy type-checks under the app's tsconfig; offline, the template that `arc deploy`
 * would send gives every function the core's table names and its AWS SDK parts; and through the
 * real Sandbox, in each session mode, a visitor's session makes a round trip and the core's
 * Architect plugin gives its notice once per start.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { getItem, testClient } from '../helpers/dynamodb'
import { request, sessionCookieOf } from '../helpers/http-client'
import { runNodeTool } from '../helpers/node-tool'
import { captureOutput } from '../helpers/output'
import { packageApp, refersTo, resourcesOfType, type SamFunctionProperties } from '../helpers/sam'
import { PROJECT_ROOT, startSandbox } from '../helpers/sandbox'

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'portable-app')
const TABLE = 'portable-app-staging-sessions'
const DEV_KEY_NOTICE = /^\[session\] ARC_APP_SECRET is not set: sessions use the public development key/

/** The fixture app in a new folder outside this project, with the core copied in (docs/use-the-core.md, "Copy"). */
function assemble(t: Pick<Test, 'teardown'>): string {
  const app = path.join(mkdtempSync(path.join(tmpdir(), 'portable-app-')), 'app')
  t.teardown(() => rmSync(path.dirname(app), { recursive: true, force: true }))
  cpSync(FIXTURE, app, { recursive: true })
  cpSync(path.join(PROJECT_ROOT, 'src', 'shared', 'session'), path.join(app, 'src', 'shared', 'session'), { recursive: true })
  // Stands for `npm install` of the packages the docs list: this project's node_modules has them.
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir')
  return app
}

t.test('the session core in a second app', async (t) => {
  const app = assemble(t)
  // Started first, answered last: the compiler runs while the Sandbox does.
  const typeCheck = runNodeTool(require.resolve('typescript/bin/tsc'), ['--noEmit', '-p', app])

  await t.test('deployed: every function gets the table names and its AWS SDK parts', async (t) => {
    const { template } = await packageApp('production', app)
    const functions = resourcesOfType(template, 'AWS::Serverless::Function').map(([, resource]) => resource.Properties as unknown as SamFunctionProperties)
    t.equal(functions.length, 1, 'one function, GET /')
    for (const props of functions) {
      t.ok(refersTo(props.Environment.Variables['ARC_TABLE_NAMES'], 'SessionsTable'), "ARC_TABLE_NAMES, from the core's Architect plugin")
      t.equal(props.Runtime, 'nodejs24.x')
      t.equal(props.CodeUri, path.join(app, '.build', 'http', 'get-index'))
      for (const client of ['client-dynamodb', 'client-ssm']) {
        t.ok(existsSync(path.join(props.CodeUri, 'aws-sdk', `${client}.js`)), `aws-sdk/${client}.js, from the core's esbuild options`)
      }
    }
  })

  for (const [mode, table] of [
    ['JWE', 'jwe'],
    ['DynamoDB', 'sessions'],
  ] as const) {
    await t.test(`${mode} mode through the Sandbox: a session round trip`, async (t) => {
      const output = captureOutput(t)
      const { url, tablesPort } = await startSandbox(t, { ARC_SESSION_TABLE_NAME: table }, app)
      t.strictSame(
        output.sessionLines().filter((line) => DEV_KEY_NOTICE.test(line)).length,
        1,
        "the core's Architect plugin gave its development-key notice, once",
      )

      const first = await request('GET', `${url}/`)
      t.equal(first.status, 200)
      t.strictSame(JSON.parse(first.body), { visits: 1 })
      const cookie = sessionCookieOf(first)
      t.ok(cookie, 'a session cookie is set')
      const second = await request('GET', `${url}/`, { headers: { cookie: `_idx=${cookie}` } })
      t.strictSame(JSON.parse(second.body), { visits: 2 }, 'the session came back')
      const fresh = await request('GET', `${url}/`)
      t.strictSame(JSON.parse(fresh.body), { visits: 1 }, 'and belongs to that visitor only')

      if (table === 'jwe') {
        t.match(cookie, /^eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0\.\./, 'the cookie is the session, encrypted')
      } else {
        const db = testClient(tablesPort)
        t.teardown(() => db.destroy())
        const id = decodeURIComponent(cookie ?? '').split('.')[0] ?? ''
        const item = await getItem(db, TABLE, id)
        t.strictSame(item?.['visits'], { N: '2' }, "the session is an item in the app's own table, behind a signed id")
      }
      t.strictSame(
        // The core's plugin prints the start line (docs/development.md, "What it prints") and the notice; nothing else.
        output.sessionLines().filter((line) => !DEV_KEY_NOTICE.test(line) && !line.startsWith('[session] sessions: ')),
        [],
        'nothing else was logged',
      )
    })
  }

  await t.test("the copy type-checks under the app's own tsconfig", async (t) => {
    t.strictSame(await typeCheck, { ok: true, stdout: '' }, 'tsc reports nothing')
  })
})
