/**
 * What each failure means for the visitor (a page with a status) and for the log (one line):
 * docs/guarantees.md lists the promises; never a stack, a secret or a cookie value.
 */
import {
  SessionConfigError,
  SessionConflictError,
  SessionNotStorableError,
  SessionRequestBodyError,
  SessionResponseError,
  SessionSchemaError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SessionWriteUncertainError,
} from '../core/errors'
import { describeError, logLine, logOnce } from '../core/log'
import { MAX_ATTEMPTS } from './commit'
import { NO_STORE, type HttpResult } from './response'

export function errorResponse(error: unknown): HttpResult {
  if (error instanceof SessionStoreUnavailableError) {
    // One line with what failed and why, e.g. "DynamoDB GetItem on <table> failed: Error (ECONNREFUSED): ...".
    const cause = error.cause === undefined ? '' : `: ${describeError(error.cause)}`
    logLine('error', `session store unavailable: ${error.message}${cause}`)
    return errorPage(503, 'Try again in a moment', 'The session store is not answering right now.', { 'retry-after': '2' })
  }
  if (error instanceof SessionWriteUncertainError) {
    // Sent, not confirmed: it may have been applied, once (docs/dynamodb.md). The page says so.
    const cause = error.cause === undefined ? '' : `: ${describeError(error.cause)}`
    logLine('error', `session write unconfirmed: ${error.message}${cause}`)
    return errorPage(503, 'Try again in a moment', 'The session store did not confirm your last change. It may have been saved: check the page before you try again.', { 'retry-after': '2' })
  }
  if (error instanceof SessionConflictError) {
    // Every retry lost to a concurrent write on the same session: contention, not a fault.
    logLine('error', `session not saved: still conflicting after ${MAX_ATTEMPTS} attempts`)
    return errorPage(503, 'Try again in a moment', 'Too many changes to this session at once.', { 'retry-after': '2' })
  }
  if (error instanceof SessionTooLargeError) {
    logLine('error', `session not saved: ${error.message}`)
    return errorPage(413, 'Session too large', 'This session has grown too large to be kept, so it was not saved.')
  }
  if (error instanceof SessionNotStorableError) {
    // The handler's mistake, for this session only: one line naming the path, nothing stored.
    logLine('error', `session not saved: ${error.why}`)
    return errorPage(500, 'Something went wrong', 'The server could not answer this request. Nothing was changed.')
  }
  if (error instanceof SessionSchemaError) {
    // A programming error that fails every request alike: said once per process, like configuration.
    logOnce('error', `schema error: ${error.message}`)
    return errorPage(500, 'Something went wrong', 'The server could not answer this request.')
  }
  if (error instanceof SessionRequestBodyError) {
    // The visitor's mistake, not the server's: a 4xx, and the handler stopped where it read the body.
    logLine('warn', `refused a request: ${error.message}`)
    return errorPage(error.status, error.status === 413 ? 'Request too large' : 'Bad request', `${error.message} Nothing was changed.`)
  }
  if (error instanceof SessionResponseError) {
    // A handler's mistake: one line that names the key, and nothing of the session written.
    logLine('error', `handler response not understood: ${error.message}`)
    return errorPage(500, 'Something went wrong', 'The server could not answer this request.')
  }
  if (error instanceof SessionConfigError) {
    // A misconfigured deployment fails closed, with one line that names the fix.
    logOnce('error', `configuration error: ${error.message}`)
    return errorPage(500, 'Not configured', 'Sessions are not configured on this server. The log says how to fix it.')
  }
  logLine('error', `unexpected error: ${describeError(error)}`)
  return errorPage(500, 'Something went wrong', 'The server could not answer this request.')
}

export function errorPage(statusCode: number, title: string, message: string, extra: Record<string, string> = {}): HttpResult {
  // Titles and messages are fixed strings above, never request data: nothing to escape.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the start</a></p></body></html>`
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE, ...extra },
    body,
  }
}
