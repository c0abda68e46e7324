/**
 * Typed errors of the session core: one base class, and a stable `code` on each, so callers branch
 * on `error.code` (or `instanceof`) instead of on message text.
 */

export type SessionErrorCode =
  | 'SESSION_CONFIG'
  | 'SESSION_TOO_LARGE'
  | 'SESSION_STORE_UNAVAILABLE'
  | 'SESSION_WRITE_UNCERTAIN'
  | 'SESSION_CONFLICT'
  | 'SESSION_SCHEMA'
  | 'SESSION_NOT_STORABLE'
  | 'SESSION_RESPONSE'
  | 'SESSION_REQUEST_BODY'

/** Every error the session core throws on purpose. */
export abstract class SessionError extends Error {
  abstract readonly code: SessionErrorCode
}

/** A configuration mistake: names the variable and how to fix it. Raised once, at first use. */
export class SessionConfigError extends SessionError {
  readonly code = 'SESSION_CONFIG'
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
    this.name = 'SessionConfigError'
  }
}

/** The session does not fit where it is kept (a browser drops cookies over 4096 bytes). */
export class SessionTooLargeError extends SessionError {
  readonly code = 'SESSION_TOO_LARGE'
  constructor(
    readonly size: number,
    readonly limit: number,
    where: string,
  ) {
    super(`the session is ${size} bytes, over the ${limit}-byte limit of ${where}`)
    this.name = 'SessionTooLargeError'
  }
}

/** The session store cannot be reached right now (throttled, timed out, down). Retry later. */
export class SessionStoreUnavailableError extends SessionError {
  readonly code = 'SESSION_STORE_UNAVAILABLE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SessionStoreUnavailableError'
  }
}

/**
 * A write was sent but its answer never came back, and reading the session again could not tell
 * whether it landed (docs/dynamodb.md, "What a 303 and a 503 mean"). The request may have been
 * applied, once; it was not applied twice. Retry later.
 */
export class SessionWriteUncertainError extends SessionError {
  readonly code = 'SESSION_WRITE_UNCERTAIN'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SessionWriteUncertainError'
  }
}

/** Another request changed the same session first; the adapter re-reads and runs the handler again. */
export class SessionConflictError extends SessionError {
  readonly code = 'SESSION_CONFLICT'
  constructor() {
    // Thrown only when this request's write certainly did not land, so running the handler again is safe.
    super('the session was changed by a concurrent request')
    this.name = 'SessionConflictError'
  }
}

/**
 * The app's session schema rejects an empty session, which is what every new visitor has (and what
 * a session that does not match is read as): no request can be served. A programming error.
 */
export class SessionSchemaError extends SessionError {
  readonly code = 'SESSION_SCHEMA'
  constructor(why: string) {
    super(`the session schema does not accept an empty session {}, which every new visitor has ${why}: give each field a default or make it optional`)
    this.name = 'SessionSchemaError'
  }
}

/**
 * A handler returned a session that cannot be stored as it is, or that its own schema would refuse
 * on the next read (docs/typed-sessions.md): a programming error. `why` names where, never a value.
 * The session is not stored.
 */
export class SessionNotStorableError extends SessionError {
  readonly code = 'SESSION_NOT_STORABLE'
  constructor(readonly why: string) {
    super(`the handler's session was not stored: ${why}`)
    this.name = 'SessionNotStorableError'
  }
}

/**
 * A handler returned something the adapter cannot turn into a response (an unknown key, a value of
 * the wrong type, two bodies): a programming error, answered with a 500 page and one log line that
 * names the key, never with an empty 200. Nothing of the session is written.
 */
export class SessionResponseError extends SessionError {
  readonly code = 'SESSION_RESPONSE'
  constructor(message: string) {
    super(message)
    this.name = 'SessionResponseError'
  }
}

/**
 * The request's body cannot be what its Content-Type says (JSON that does not parse, bad base64
 * or UTF-8), or is too large to parse: thrown when a handler reads `req.body`, and answered with a
 * 400 or 413 page. A handler that never reads the body is never refused for it.
 */
export class SessionRequestBodyError extends SessionError {
  readonly code = 'SESSION_REQUEST_BODY'
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message)
    this.name = 'SessionRequestBodyError'
  }
}
