/**
 * Whether a write may have reached DynamoDB without its answer coming back. The SDK may send a
 * command more than once (its retries, docs/dynamodb.md); what counts is whether any of those
 * sends went out and got no answer, since that one may have landed. A per-command middleware in
 * the SDK's deserialize step runs once per send, inside the SDK's retry loop, and sees how each
 * ended.
 */

/** Node's errors for a connection that was never made: nothing was sent. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

export interface AnswerWatch {
  /** True once a send of the command went out and got no answer it could trust (or one that says "maybe"). */
  readonly lost: boolean
}

/** The SDK's middleware shape, as much of it as this uses (a command's own stack takes it). */
type Next = (args: never) => Promise<unknown>
interface Watchable {
  readonly middlewareStack: { add(middleware: (next: Next) => Next, options: { step: 'deserialize'; name: string; priority: 'high' }): void }
}

/** Watches every send of `command` from now on. */
export function watchAnswers(command: Watchable): AnswerWatch {
  const watch = { lost: false }
  command.middlewareStack.add(
    (next: Next) => async (args: never) => {
      try {
        return await next(args)
      } catch (error) {
        if (answerLost(error)) watch.lost = true
        throw error
      }
    },
    // Above the deserializer: a body cut off half-way fails here too.
    { step: 'deserialize', name: 'sessionAnswerWatch', priority: 'high' },
  )
  return watch
}

/**
 * An error after which the request may have been applied: no answer from DynamoDB (a reset or
 * timed-out connection, a body cut off), or DynamoDB's own "internal error", which it documents as
 * of unknown outcome. A refused connection sent nothing; any other answer from DynamoDB (a failed
 * condition, throttling, a validation error) says the write was not applied.
 */
export function answerLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true
  const { $fault, code, name, message } = error as { $fault?: unknown; code?: unknown; name?: unknown; message?: unknown }
  if ($fault === 'server') return true
  if ($fault === 'client') return false
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return false
  return !(name === 'TimeoutError' && typeof message === 'string' && /did not establish a connection/.test(message))
}
