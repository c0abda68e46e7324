/**
 * `npm start` is quiet (issue 9): after the banner and the URL, normal visits print nothing; the
 * development-key notice appears once per start, however many requests (each a new process) follow;
 * nothing about AWS credentials or Node deprecations. A problem still prints its one line.
 */
import t from 'tap'
import { countOnPage, request, sessionCookieOf } from '../helpers/http-client'
import { npmStart } from '../helpers/npm-start'

const DEV_KEY_NOTICE = /ARC_APP_SECRET is not set: sessions use the public development key/g
const START_LINE = /^\[session\] sessions: .*$/gm

t.test('npm start, then a normal visit: nothing printed per request', async (t) => {
  // prefs.arc's own settings: DynamoDB sessions, no secret.
  const app = await npmStart(t)
  const started = app.output()
  t.match(started, /http:\/\/localhost:\d+/, 'the banner shows the URL')
  t.equal(started.match(DEV_KEY_NOTICE)?.length, 1, 'the development-key notice, once, at start')
  t.strictSame(
    started.match(START_LINE),
    ['[session] sessions: DynamoDB, table sessions (prefs.arc) · lifetime: 7 days unused (default) · key: the development key (default) · ARC_ENV=testing'],
    'one start line: the mode, the table, the lifetime, the key, and where each came from',
  )

  t.equal((await request('GET', `${app.url}/`)).status, 200)
  const first = await request('POST', `${app.url}/count`, { headers: { origin: app.url } })
  const cookie = `_idx=${sessionCookieOf(first) ?? ''}`
  for (let n = 0; n < 2; n++) t.equal((await request('POST', `${app.url}/count`, { headers: { origin: app.url, cookie } })).status, 303)
  const page = await request('GET', `${app.url}/`, { headers: { cookie } })
  t.equal(countOnPage(page.body), 3, 'the app works: three counts')
  await new Promise((resolve) => setTimeout(resolve, 500))

  const afterVisits = app.output().slice(started.length)
  t.equal(afterVisits.trim(), '', 'five requests printed nothing')
  t.equal(app.output().match(DEV_KEY_NOTICE)?.length, 1, 'the notice is not repeated per request')
  t.notMatch(app.output(), /IMDS|credentials/i, 'nothing about AWS credentials')
  t.notMatch(app.output(), /DeprecationWarning|ExperimentalWarning/, 'no Node warnings')
})

t.test('npm start with session variables in the shell: they reach the functions, and each mistake is named', async (t) => {
  const app = await npmStart(t, { ARC_SESSION_TABLE_NAME: 'jwe', ARC_SESSION_TTL: '3600', ARC_SESION_TABLE_NAME: 'jwe' })
  const started = app.output()
  t.strictSame(
    started.match(START_LINE),
    ['[session] sessions: DynamoDB, table sessions (prefs.arc) · lifetime: 1 hour unused (shell) · key: the development key (default) · ARC_ENV=testing'],
  )
  t.match(started, "[session] ARC_SESSION_TABLE_NAME=jwe in the shell is not used: prefs.arc's @env testing sets ARC_SESSION_TABLE_NAME=sessions", 'prefs.arc overrides the shell: said')
  t.match(started, '[session] ARC_SESION_TABLE_NAME (the shell) is not a session setting, so it changes nothing: did you mean ARC_SESSION_TABLE_NAME?', 'the misspelling: said')
  const counted = await request('POST', `${app.url}/count`, { headers: { origin: app.url } })
  t.match(String(counted.headers['set-cookie']), /; Max-Age=3600;/, "the shell's ARC_SESSION_TTL reached the function")
})
