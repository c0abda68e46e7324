/**
 * `http(fn1, fn2, ..., options?)` as `arc.http` runs async middleware: each function gets the
 * request; returning the request (changed or not) or nothing passes it to the next, returning
 * anything else is the response. An options object may come last (docs/sessions.md).
 *
 * @example
 *   const signedIn = async (req: SessionRequest) => (req.session.user ? req : { status: 403, html: 'Sign in first' })
 *   export const handler = http(signedIn, async (req) => ({ json: { user: req.session.user } }))
 */
import type { Clock } from '../core/clock'
import type { Context } from 'aws-lambda'
import type { CrossSiteOptions } from '../security/guard'
import type { SessionData } from '../providers/store'
import type { ErrorPageOptions } from './error-response'
import type { HttpRequest } from './request'
import type { HandlerResult } from './response'

/** `Session`: the session's shape, `SessionData` (any JSON object) unless a schema declares it. */
export interface SessionRequest<Session = SessionData> extends HttpRequest {
  /** The session's data; a copy, so changing it changes nothing until it is returned. */
  session: Session
}

/**
 * A handler, or one middleware function of several: `Input` is what it may store. Returning the
 * request (or nothing) passes on to the next function.
 */
export type SessionHandler<Session = SessionData, Input = Session> = (
  req: SessionRequest<Session>,
  context: Context,
) => Promise<HandlerResult<Input> | SessionRequest<Session>> | HandlerResult<Input> | SessionRequest<Session>

/**
 * `allowCrossSite`: see docs/security.md. By default a state-changing request from another site is refused.
 * `errorPage`: the app's look for the adapter's error pages (docs/sessions.md, "Error pages").
 */
export type HttpOptions = CrossSiteOptions &
  ErrorPageOptions & {
    /** The time in epoch milliseconds: `Date.now` unless a test injects its own (core/clock.ts). */
    readonly clock?: Clock
  }

/** The keys HttpOptions has: an options object with another key is a mistake, refused at start-up. */
const OPTION_KEYS: ReadonlySet<string> = new Set<keyof HttpOptions>(['allowCrossSite', 'clock', 'errorPage'])

export interface Chain {
  readonly handlers: readonly SessionHandler<unknown, unknown>[]
  readonly options: HttpOptions
}

/**
 * The functions, and the options if the last argument is an object. Mistakes are thrown while the
 * function initialises (as arc does), so a broken handler never answers a single request.
 */
export function chainOf(args: readonly unknown[]): Chain {
  const last = args.at(-1)
  const hasOptions = typeof last === 'object' && last !== null
  const handlers = hasOptions ? args.slice(0, -1) : args
  if (handlers.length === 0) throw new TypeError('http() needs at least one handler function')
  handlers.forEach((handler, index) => {
    if (typeof handler !== 'function') {
      throw new TypeError(`http(): argument ${index + 1} is ${handler === null ? 'null' : `a ${typeof handler}`}, not a function (an options object may only come last)`)
    }
    // arc's other style, `(req, res, next)` with callbacks, would never return a response here.
    if (handler.constructor.name !== 'AsyncFunction' && handler.length >= 2) {
      throw new TypeError(`http(): function ${index + 1} takes ${handler.length} parameters, like arc's callback style (req, res, next), which this adapter does not run: make it async and return the response`)
    }
  })
  const options = checkedOptions(hasOptions ? last : {})
  return { handlers: handlers as SessionHandler<unknown, unknown>[], options }
}

/** `options`, once checked: an unknown key or a value of the wrong type is thrown while the function initialises. */
export function checkedOptions(options: HttpOptions): HttpOptions {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`http(): unknown option ${JSON.stringify(key)} (options: ${[...OPTION_KEYS].join(', ')})`)
  }
  if (options.allowCrossSite !== undefined && typeof options.allowCrossSite !== 'boolean') throw new TypeError('http(): allowCrossSite must be true or false')
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new TypeError('http(): clock must be a function () => epoch milliseconds')
  if (options.errorPage !== undefined && typeof options.errorPage !== 'function') throw new TypeError('http(): errorPage must be a function (content) => html')
  return options
}

/** What the chain answered: the first result that is not a request or nothing (undefined if none was). */
export async function runChain(handlers: Chain['handlers'], request: SessionRequest<unknown>, context: Context): Promise<unknown> {
  let current = request
  for (const handler of handlers) {
    const result: unknown = await handler(current, context)
    if (result === undefined || result === null) continue
    if (isRequest(result)) {
      current = result
      continue
    }
    return result
  }
  return undefined
}

/** As arc tells them apart: a request has an `httpMethod`, which no response key is. */
function isRequest(result: unknown): result is SessionRequest<unknown> {
  return typeof result === 'object' && result !== null && typeof (result as { httpMethod?: unknown }).httpMethod === 'string'
}
