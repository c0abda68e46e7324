/**
 * What each failure means for the visitor (a page with a status) and for the log (one line):
 * docs/guarantees.md lists the promises; never a stack, a secret or a cookie value. The page's
 * words are the core's; its look is the app's (`errorPage` in the adapter's options, docs/sessions.md
 * "Error pages"), and a plain page that follows the browser's light or dark scheme otherwise.
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
import { describeError, logLine, logOnce, logRateLimited } from '../core/log'
import { MAX_ATTEMPTS } from './commit'
import { NO_STORE, type HttpResult } from './response'

/** What an error page says. Plain text: a renderer escapes it, as it would any text. */
export interface ErrorPageContent {
  readonly statusCode: number
  readonly title: string
  readonly message: string
  /** Where the visitor can go from here; absent when every page would fail the same way. */
  readonly action?: ErrorPageAction
}

export interface ErrorPageAction {
  readonly href: string
  readonly label: string
}

/** Turns an error page's content into the HTML page the app shows, in its own look. */
export type ErrorPageRenderer = (page: ErrorPageContent) => string

export interface ErrorPageOptions {
  /** The app's look for error pages (docs/sessions.md, "Error pages"); the core's plain page otherwise. */
  readonly errorPage?: ErrorPageRenderer
}

/** The request, as far as an error page needs it: whether "Try again" can simply reload. */
export interface FailedRequest {
  readonly method: string | undefined
}

/**
 * A page that fails now may work in a moment: a GET is tried again by reloading it (an empty href
 * is the page's own address), anything else from the start, since a link cannot repeat a POST.
 */
function tryAgain(request: FailedRequest): ErrorPageAction {
  return { href: request.method === 'GET' || request.method === 'HEAD' ? '' : '/', label: 'Try again' }
}

export const BACK_TO_START: ErrorPageAction = { href: '/', label: 'Back to the start' }

export function errorResponse(error: unknown, request: FailedRequest, options: ErrorPageOptions = {}): HttpResult {
  const page = (content: ErrorPageContent, extra?: Record<string, string>) => errorPage(content, options, extra)
  if (error instanceof SessionStoreUnavailableError) {
    // One line with what failed and why, e.g. "DynamoDB GetItem on <table> failed: Error (ECONNREFUSED): ...".
    const cause = error.cause === undefined ? '' : `: ${describeError(error.cause)}`
    logLine('error', `session store unavailable: ${error.message}${cause}`)
    return page({ statusCode: 503, title: 'Try again in a moment', message: 'The session store is not answering right now.', action: tryAgain(request) }, { 'retry-after': '2' })
  }
  if (error instanceof SessionWriteUncertainError) {
    // Sent, not confirmed: it may have been applied, once (docs/dynamodb.md). The page says so.
    const cause = error.cause === undefined ? '' : `: ${describeError(error.cause)}`
    logLine('error', `session write unconfirmed: ${error.message}${cause}`)
    return page({ statusCode: 503, title: 'Try again in a moment', message: 'The session store did not confirm your last change. It may have been saved: check the page before you try again.', action: BACK_TO_START }, { 'retry-after': '2' })
  }
  if (error instanceof SessionConflictError) {
    // Every retry lost to a concurrent write on the same session: contention, not a fault.
    // Anyone can cause it with many requests on their own session: rate-limited (core/log.ts).
    logRateLimited('conflict', 'error', `session not saved: still conflicting after ${MAX_ATTEMPTS} attempts`)
    return page({ statusCode: 503, title: 'Try again in a moment', message: 'Too many changes to this session at once.', action: tryAgain(request) }, { 'retry-after': '2' })
  }
  if (error instanceof SessionTooLargeError) {
    logLine('error', `session not saved: ${error.message}`)
    return page({ statusCode: 413, title: 'Session too large', message: 'This session has grown too large to be kept, so it was not saved.', action: BACK_TO_START })
  }
  if (error instanceof SessionNotStorableError) {
    // The handler's mistake, for this session only: one line naming the path, nothing stored.
    logLine('error', `session not saved: ${error.why}`)
    return page({ statusCode: 500, title: 'Something went wrong', message: 'The server could not answer this request. Nothing was changed.' })
  }
  if (error instanceof SessionSchemaError) {
    // A programming error that fails every request alike: said once per process, like configuration.
    logOnce('error', `schema error: ${error.message}`)
    // No link: every page fails the same way until the code is fixed.
    return page({ statusCode: 500, title: 'Something went wrong', message: 'The server could not answer this request.' })
  }
  if (error instanceof SessionRequestBodyError) {
    // The visitor's mistake, not the server's: a 4xx, and the handler stopped where it read the body.
    logLine('warn', `refused a request: ${error.message}`)
    return page({ statusCode: error.status, title: error.status === 413 ? 'Request too large' : 'Bad request', message: `${error.message} Nothing was changed.`, action: BACK_TO_START })
  }
  if (error instanceof SessionResponseError) {
    // A handler's mistake: one line that names the key, and nothing of the session written.
    logLine('error', `handler response not understood: ${error.message}`)
    return page({ statusCode: 500, title: 'Something went wrong', message: 'The server could not answer this request.' })
  }
  if (error instanceof SessionConfigError) {
    // A misconfigured deployment fails closed, with one line that names the fix.
    logOnce('error', `configuration error: ${error.message}`)
    // No link: every page fails the same way until the configuration is fixed.
    return page({ statusCode: 500, title: 'Not configured', message: 'Sessions are not configured on this server. The log says how to fix it.' })
  }
  logLine('error', `unexpected error: ${describeError(error)}`)
  return page({ statusCode: 500, title: 'Something went wrong', message: 'The server could not answer this request.' })
}

/** HTML text escaping (OWASP rule 1): the page's words are fixed, but an app's renderer gets the same care. */
function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * The core's own page: no styles (the Content-Security-Policy allows no inline ones, and the core
 * knows no stylesheet of the app's), but `color-scheme` lets the browser use its dark colours.
 */
export function plainErrorPage({ title, message, action }: ErrorPageContent): string {
  const link = action ? `<p><a href="${escapeText(action.href)}">${escapeText(action.label)}</a></p>` : ''
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeText(title)}</title></head><body><main><h1>${escapeText(title)}</h1><p>${escapeText(message)}</p>${link}</main></body></html>`
}

export function errorPage(content: ErrorPageContent, options: ErrorPageOptions = {}, extra: Record<string, string> = {}): HttpResult {
  const render = options.errorPage ?? plainErrorPage
  return {
    statusCode: content.statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE, ...extra },
    body: render(content),
  }
}
