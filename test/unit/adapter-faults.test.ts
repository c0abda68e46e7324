/**
 * The adapter when the store fails mid-request (docs/guarantees.md#g-no-lost-updates, #g-real-destroy, #g-faults-answered), with a store that fails on
 * purpose: faults that a real store cannot be made to show at the exact step under test.
 */
import t, { type Test } from 'tap'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import * as errors from '../../src/shared/session/core/errors'
import { MAX_ATTEMPTS } from '../../src/shared/session/lambda/commit'
import type { LoadedSession, SessionStore } from '../../src/shared/session/providers/store'
import { resetConfig } from '../../src/shared/session/testing'
import { CLEAN_SESSION_ENV, withEnv } from '../helpers/env'
import { sessionSetCookie } from '../helpers/lambda-event'

const ENV = { ...CLEAN_SESSION_ENV, ARC_ENV: 'testing', ARC_APP_SECRET: 'adapter-faults-secret-0123456789abcd' }
const LOADED: LoadedSession = { data: { count: 3 }, exists: true, refresh: false, handle: { id: 'old' } }

/** A store that records its calls and fails `save` as told. */
function fakeStore(failSave: () => Error | undefined): { store: SessionStore; calls: string[] } {
  const calls: string[] = []
  const store: SessionStore = {
    async load() {
      calls.push('load')
      return { ...LOADED, data: { ...LOADED.data } }
    },
    async save() {
      calls.push('save')
      const error = failSave()
      if (error) throw error
      return 'new-cookie-value'
    },
    async destroy() {
      calls.push('destroy')
    },
  }
  return { store, calls }
}

function lambdaWith(t: Test, store: SessionStore) {
  // The adapter with this store; the errors module is shared, so `instanceof` sees the same classes.
  const { http } = t.mockRequire<typeof import('../../src/shared/session')>('../../src/shared/session', {
    '../../src/shared/session/providers': { getStore: async () => store, prepareStore: () => undefined },
    '../../src/shared/session/core/errors': errors,
  })
  resetConfig()
  return http
}

const event = { headers: { cookie: '_idx=whatever' }, rawPath: '/', requestContext: {} } as unknown as APIGatewayProxyEventV2

t.test('regenerate saves the new session before it destroys the old one', async (t) => {
  const { store, calls } = fakeStore(() => undefined)
  const http = lambdaWith(t, store)
  const result = await withEnv(ENV, () => http(async () => ({ session: { notice: 'reset' }, regenerate: true, location: '/' }))(event))
  t.equal(result.statusCode, 303)
  t.match(sessionSetCookie(result), /^_idx=new-cookie-value; Max-Age=788400000; Path=\/; Expires=/, 'the new session is the one sent')
  t.strictSame(calls, ['load', 'save', 'destroy'])
})

t.test('regenerate: when the save fails, the old session is left whole and the answer is 503', async (t) => {
  const cause = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException', code: 'Throttling' })
  const { store, calls } = fakeStore(() => new errors.SessionStoreUnavailableError('throttled', { cause }))
  const http = lambdaWith(t, store)
  const lines: string[] = []
  const restore = t.capture(console, 'error', (...args: unknown[]) => void lines.push(args.join(' ')))
  const result = await withEnv(ENV, () => http(async () => ({ session: { notice: 'reset' }, regenerate: true, location: '/' }))(event))
  restore()
  t.equal(result.statusCode, 503)
  t.equal(result.headers['retry-after'], '2')
  t.equal(sessionSetCookie(result), undefined)
  t.strictSame(calls, ['load', 'save'], 'nothing destroyed')
  t.strictSame(lines, ['[session] session store unavailable: throttled: ThrottlingException (Throttling): Rate of requests exceeds the allowed throughput'], 'one line: what failed, and its cause by name, code and message')
})

t.test('when every retry loses to a concurrent write, the answer is 503 with Retry-After, not a 500', async (t) => {
  const { store, calls } = fakeStore(() => new errors.SessionConflictError())
  const http = lambdaWith(t, store)
  const lines: string[] = []
  const restore = t.capture(console, 'error', (...args: unknown[]) => void lines.push(args.join(' ')))
  let runs = 0
  const result = await withEnv(ENV, () => http(async (req) => (runs++, { session: { ...req.session, count: 4 }, location: '/' }))(event))
  restore()
  t.equal(result.statusCode, 503)
  t.equal(result.headers['retry-after'], '2')
  // Bounded: at most MAX_ATTEMPTS runs, fewer when the backoff reaches the time budget first.
  t.ok(runs >= 2 && runs <= MAX_ATTEMPTS, `the handler ran again, within the bound (${runs} runs)`)
  t.strictSame(calls, Array.from({ length: runs }, () => ['load', 'save']).flat(), 'each run reads again, then tries to save')
  t.equal(lines.length, 1)
  t.match(lines[0], /^\[session\] session not saved: still conflicting after \d+ attempts$/)
})
