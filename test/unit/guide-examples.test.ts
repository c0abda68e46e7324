/**
 * The examples of Architect's sessions guide and reference (test/fixtures/guide/), written once for
 * `@architect/functions` and once for this core, the two files differing only in their imports:
 * both type-check under `tsc` strict (`npm run typecheck`), and both count 1, 2, 3 over three
 * requests, ours in both session modes (JWE, and DynamoDB against a real local DynamoDB).
 */
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import arc from '@architect/functions'
import { read } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { startDynalite } from '../helpers/dynamodb'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { sessionSetCookie } from '../helpers/lambda-event'
import { v2Event } from '../fixtures/http-events'
import * as arcManual from '../fixtures/guide/arc/manual'
import * as arcCounter from '../fixtures/guide/arc/counter'
import * as arcRedirect from '../fixtures/guide/arc/redirect'
import * as ourManual from '../fixtures/guide/ours/manual'
import * as ourCounter from '../fixtures/guide/ours/counter'
import * as ourRedirect from '../fixtures/guide/ours/redirect'

const SECRET = 'guide-test-secret-0123456789abcdefgh'
const JWE_ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET }
const EXAMPLES = ['manual', 'counter', 'redirect'] as const

type Lambda = (event: never) => Promise<Record<string, unknown>>
const handlers: Record<'arc' | 'ours', Record<(typeof EXAMPLES)[number], Lambda>> = {
  arc: { manual: arcManual.handler, counter: arcCounter.handler, redirect: arcRedirect.handler } as unknown as Record<string, Lambda>,
  ours: { manual: ourManual.handler, counter: ourCounter.handler, redirect: ourRedirect.handler } as unknown as Record<string, Lambda>,
}

for (const example of EXAMPLES) {
  t.test(`${example}: the two versions differ only in their imports`, async (t) => {
    const code = (who: string) =>
      readFileSync(path.join(__dirname, '..', 'fixtures', 'guide', who, `${example}.ts`), 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('import '))
    t.strictSame(code('ours'), code('arc'))
  })
}

/** Three requests, each with the cookie the one before set: what each answered. */
async function threeRequests(lambda: Lambda, env: Record<string, string | undefined>, method: string) {
  const answers: Record<string, unknown>[] = []
  let cookie: string | undefined
  await withEnv(env, async () => {
    resetConfig()
    for (let i = 0; i < 3; i++) {
      const event = v2Event(method)
      if (cookie) event['cookies'] = [cookie]
      const answer = await lambda(event as never)
      answers.push(answer)
      cookie = sessionSetCookie(answer)?.split(';')[0] ?? cookie
    }
  })
  return { answers, cookie }
}

const countIn = (body: unknown) => Number(/count"?:\s*(\d+)/.exec(String(body))?.[1])

async function checkExample(t: Test, who: 'arc' | 'ours', env: Record<string, string | undefined>): Promise<void> {
  const manual = await threeRequests(handlers[who].manual, env, 'GET')
  t.strictSame(manual.answers.map((a) => a['statusCode']), [200, 200, 200], 'manual: 200s')
  t.strictSame(manual.answers.map((a) => a['body']), ['count: 1', 'count: 2', 'count: 3'], 'manual: counts')

  const counter = await threeRequests(handlers[who].counter, env, 'GET')
  t.strictSame(counter.answers.map((a) => a['statusCode']), [200, 200, 200], 'http with req.session: 200s')
  t.strictSame(counter.answers.map((a) => countIn(a['body'])), [1, 2, 3], 'http with req.session: counts')

  const redirect = await threeRequests(handlers[who].redirect, env, 'POST')
  t.strictSame(redirect.answers.map((a) => a['statusCode']), who === 'arc' ? [302, 302, 302] : [303, 303, 303], 'the redirect form: 303 here, 302 in arc')
  t.strictSame(redirect.answers.map((a) => (a['headers'] as Record<string, string>)['location']), ['/', '/', '/'])
  const session = await withEnv(env, () => (who === 'arc' ? arc.http.session.read({ headers: { cookie: redirect.cookie } } as never) : read({ headers: { cookie: redirect.cookie } })))
  t.equal(session['count'], 3, 'the redirect form: the session counted three')
}

t.test('JWE mode: @architect/functions', (t) => checkExample(t, 'arc', JWE_ENV))
t.test('JWE mode: ours', (t) => checkExample(t, 'ours', JWE_ENV))
t.test('DynamoDB mode: ours, against a real local DynamoDB', async (t) => {
  const { port } = await startDynalite(t, 'guide-sessions')
  await checkExample(t, 'ours', {
    ...CLEAN_SESSION_ENV,
    ARC_ENV: 'testing',
    ARC_APP_SECRET: SECRET,
    ARC_SESSION_TABLE_NAME: 'sessions',
    ARC_TABLE_NAMES: JSON.stringify({ sessions: 'guide-sessions' }),
    ARC_SANDBOX: JSON.stringify({ ports: { tables: port, _arc: 1 } }),
  })
})
