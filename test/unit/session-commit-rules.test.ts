/**
 * The rules of a request's session work (lambda/commit.ts), through runWithRetries with a store
 * that records its calls: how long it waits between runs and how often and how late it runs
 * again (docs/dynamodb.md, "Concurrent requests"), that a renewal on read which conflicts or
 * cannot be confirmed is no error, that only a stored session is destroyed, that a session returned
 * unchanged is not checked against its schema again, and that one JSON cannot hold is refused.
 * Time is injected: Date.now is fixed, Math.random chosen, so every wait is known.
 */
import t from 'tap'
import { SessionConflictError, SessionNotStorableError, SessionStoreUnavailableError, SessionWriteUncertainError } from '../../src/shared/session/core/errors'
import { backoffMs, MAX_ATTEMPTS, RETRY_BUDGET_MS, runWithRetries, type RunHandler } from '../../src/shared/session/lambda/commit'
import { noSession, type LoadedSession, type SessionData, type SessionStore } from '../../src/shared/session/providers/store'
import type { SessionShape } from '../../src/shared/session/typed/schema'
import { loadConfig } from '../../src/shared/session/testing'
import { fixClock, FIXED_NOW } from '../helpers/clock'
import { rejectionOf } from '../helpers/errors'

const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: 'commit-rules-secret-0123456789abcdefg' })
const clock = () => FIXED_NOW
const STORED: LoadedSession = { data: { count: 1 }, exists: true, refresh: false, handle: { id: 'stored' } }
/** The Set-Cookie of an ended session: empty, expired. */
const CLEARED = /^_idx=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/

/** A store that gives `loaded` to every load, records its calls, and fails the saves `failSave` says. */
function recordingStore(loaded: LoadedSession, failSave: (save: number) => Error | undefined = () => undefined): { store: SessionStore; calls: string[]; saved: SessionData[] } {
  const calls: string[] = []
  const saved: SessionData[] = []
  const store: SessionStore = {
    async load() {
      calls.push('load')
      return { ...loaded, data: { ...loaded.data } }
    },
    async save(_loaded, data) {
      calls.push('save')
      saved.push(data)
      const error = failSave(saved.length)
      if (error) throw error
      return 'saved-cookie'
    },
    async destroy() {
      calls.push('destroy')
    },
  }
  return { store, calls, saved }
}

/** A handler that adds one to the count, and counts its runs. */
function counting(after?: (runs: number) => void): { runs: () => number; run: RunHandler } {
  let runs = 0
  return {
    runs: () => runs,
    run: async (session) => {
      runs++
      after?.(runs)
      return { session: { count: ((session as { count?: number }).count ?? 0) + 1 } }
    },
  }
}

t.test('the wait before run n+1 is random × 200 ms × 2^n, capped at 1 s', async (t) => {
  const half = () => 0.5
  t.strictSame([0, 1, 2, 3, 10].map((run) => backoffMs(run, half)), [100, 200, 400, 500, 500])
  t.equal(backoffMs(2, () => 0.25), 200)
})

t.test(`a request whose writes keep losing runs its handler ${MAX_ATTEMPTS} times, then fails with the conflict`, async (t) => {
  fixClock(t)
  // No wait between runs, and the clock stands still: only the number of runs bounds the loop.
  t.capture(Math, 'random', () => 0)
  const { store, calls } = recordingStore(STORED, () => new SessionConflictError())
  const handler = counting((runs) => {
    if (runs > MAX_ATTEMPTS) throw new Error(`run ${runs}: more than ${MAX_ATTEMPTS}`)
  })
  const error = await rejectionOf(runWithRetries(undefined, handler.run, 'cookie', store, config, clock))
  t.type(error, SessionConflictError)
  t.equal(handler.runs(), MAX_ATTEMPTS)
  t.strictSame(calls, Array.from({ length: MAX_ATTEMPTS }, () => ['load', 'save']).flat())
})

t.test(`a run may start when the request is ${RETRY_BUDGET_MS} ms old, counting the wait before it, and not a millisecond later`, async (t) => {
  // Math.random 1/8: the wait before the second run is 50 ms (200 × 2 × 1/8).
  const wait = 50
  for (const [elapsed, runs] of [[RETRY_BUDGET_MS - wait, 2], [RETRY_BUDGET_MS - wait + 1, 1]] as const) {
    t.test(`the first run's write lost ${elapsed} ms in`, async (t) => {
      const time = fixClock(t)
      t.capture(Math, 'random', () => 0.125)
      const { store } = recordingStore(STORED, (save) => (save === 1 ? new SessionConflictError() : undefined))
      const handler = counting((run) => {
        if (run === 1) time.set(FIXED_NOW + elapsed)
      })
      const outcome = await runWithRetries(undefined, handler.run, 'cookie', store, config, clock).then(
        ({ setCookie }) => setCookie,
        (error: unknown) => error,
      )
      t.equal(handler.runs(), runs)
      if (runs === 2) t.match(outcome, /^_idx=saved-cookie; /, 'within the budget: run again, and saved')
      else t.type(outcome, SessionConflictError, 'past the budget: the conflict is the answer')
    })
  }
})

t.test('a renewal on read that conflicts or cannot be confirmed answers as the handler said, with no cookie; any other failure is thrown', async (t) => {
  const due: LoadedSession = { ...STORED, refresh: true }
  const reads: RunHandler = async () => ({ body: 'read only' })
  const saved = await runWithRetries(undefined, reads, 'cookie', recordingStore(due).store, config, clock)
  t.match(saved.setCookie, /^_idx=saved-cookie; /, 'a renewal that lands sends the cookie')
  for (const failure of [new SessionConflictError(), new SessionWriteUncertainError('DynamoDB PutItem on t was sent but not confirmed')]) {
    const { store, calls } = recordingStore(due, () => failure)
    const committed = await runWithRetries(undefined, reads, 'cookie', store, config, clock)
    t.strictSame([committed.response, committed.setCookie], [{ body: 'read only' }, undefined], `${failure.name}: answered, no cookie`)
    t.strictSame(calls, ['load', 'save'], `${failure.name}: not run again`)
  }
  const unavailable = new SessionStoreUnavailableError('DynamoDB PutItem on t failed')
  t.equal(await rejectionOf(runWithRetries(undefined, reads, 'cookie', recordingStore(due, () => unavailable).store, config, clock)), unavailable)
})

t.test('only a stored session is destroyed: ending or regenerating one that was not stored calls no destroy', async (t) => {
  const ended = recordingStore(STORED)
  t.match((await runWithRetries(undefined, async () => ({ session: null }), 'cookie', ended.store, config, clock)).setCookie, CLEARED)
  t.strictSame(ended.calls, ['load', 'destroy'], 'a stored session ended: destroyed')

  const expired = recordingStore(noSession('expired'))
  t.match((await runWithRetries(undefined, async () => ({ session: null }), 'cookie', expired.store, config, clock)).setCookie, CLEARED, 'its cookie is cleared')
  t.strictSame(expired.calls, ['load'], 'an expired cookie ended: nothing to destroy')

  const fresh = recordingStore(noSession())
  const regenerated = await runWithRetries(undefined, async () => ({ session: { user: 'ada' }, regenerate: true }), undefined, fresh.store, config, clock)
  t.match(regenerated.setCookie, /^_idx=saved-cookie; /)
  t.strictSame(fresh.calls, ['load', 'save'], 'a new visitor regenerated: saved, nothing to destroy')
})

t.test('a session returned unchanged and due to slide is written back without running its schema again; a changed one is checked', async (t) => {
  const checked: unknown[] = []
  const schema = (data: unknown): SessionShape => {
    checked.push(structuredClone(data))
    const count = (data as { count?: unknown }).count ?? 0
    if (typeof count !== 'number') throw new TypeError('count is not a number')
    return { count }
  }
  const due: LoadedSession = { ...STORED, refresh: true }
  const same = recordingStore(due)
  await runWithRetries(schema, async (session) => ({ session: session as SessionShape }), 'cookie', same.store, config, clock)
  t.strictSame(checked.splice(0), [{ count: 1 }, {}], 'the stored session, and {} (the defaults, to tell whether it reads as new): no check of the write')
  t.strictSame([same.calls, same.saved], [['load', 'save'], [{ count: 1 }]], 'written back, to slide')
  const changed = recordingStore(due)
  await runWithRetries(schema, counting().run, 'cookie', changed.store, config, clock)
  t.strictSame(checked.splice(0), [{ count: 1 }, {}, { count: 2 }], 'a changed session is checked as the next read will')
})

t.test('a session JSON cannot hold is a SessionNotStorableError, never saved', async (t) => {
  const circular: SessionShape = { count: 1 }
  circular['self'] = circular
  const { store, calls } = recordingStore(STORED)
  const error = await rejectionOf(runWithRetries(undefined, async () => ({ session: circular }), 'cookie', store, config, clock))
  t.type(error, SessionNotStorableError)
  t.equal((error as SessionNotStorableError).why, 'at the top level (it cannot be serialised as JSON)')
  t.strictSame(calls, ['load'])
})
