/** The adapter's whole answer to a handler that returns a given value, for tests of what it makes of handler results. */
import type { Test } from 'tap'
import { http, type HandlerResult } from '../../src/shared/session'
import { resetConfig } from '../../src/shared/session/testing'
import { withEnv } from './env'
import { captureConsole } from './lambda-event'
import { v2Event } from '../fixtures/http-events'

type Lambda = (event: never) => Promise<Record<string, unknown>>

/** The adapter's answer to a handler that returns `returned`, under `env`, and every line it logged. */
export async function answerTo(
  t: Test,
  env: Record<string, string | undefined>,
  returned: unknown,
  event: Record<string, unknown> = v2Event('GET'),
): Promise<{ result: Record<string, unknown>; lines: string[] }> {
  const logs = captureConsole(t)
  try {
    const lambda = http(async () => returned as HandlerResult) as unknown as Lambda
    const result = await withEnv(env, async () => {
      resetConfig()
      return lambda(structuredClone(event) as never)
    })
    return { result, lines: logs.lines }
  } finally {
    logs.restore()
  }
}
