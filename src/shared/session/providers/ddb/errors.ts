/**
 * What a failed DynamoDB call means for the request (docs/guarantees.md#g-faults-answered): a store that is down,
 * throttled or slow is "try again later" (503), a missing table is a configuration mistake,
 * a lost race is a conflict for the adapter to retry, and anything else is a bug (500).
 */
import { SessionConfigError, SessionConflictError, SessionStoreUnavailableError, SessionTooLargeError } from '../../core/errors'
import { MAX_ITEM_BYTES } from './item'

/** DynamoDB's and the SDK's names for "too many requests" and "not now". */
const UNAVAILABLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
])

/** Node's socket errors: nothing answers at the endpoint, or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

interface SdkErrorShape {
  name?: unknown
  code?: unknown
  message?: unknown
  $metadata?: { httpStatusCode?: unknown }
}

export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { name, code, $metadata } = error as SdkErrorShape
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true
  const status = $metadata?.httpStatusCode
  return typeof status === 'number' && status >= 500
}

/**
 * The error to throw for a failed call. `size` is the item's estimated size when the call was
 * a write (DynamoDB's own limit check is the backstop for our estimate).
 */
export function storeError(error: unknown, operation: string, table: string, size?: number): Error {
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape
  if (name === 'ConditionalCheckFailedException') return new SessionConflictError()
  if (isUnavailable(error)) return new SessionStoreUnavailableError(`DynamoDB ${operation} on ${table} failed`, { cause: error })
  if (name === 'ResourceNotFoundException') {
    return new SessionConfigError('ARC_SESSION_TABLE_NAME', `DynamoDB has no table '${table}'; check app.arc @tables and the deployment`)
  }
  if (name === 'ValidationException' && typeof message === 'string' && /item size/i.test(message)) {
    return new SessionTooLargeError(Math.max(size ?? 0, MAX_ITEM_BYTES + 1), MAX_ITEM_BYTES, 'a DynamoDB item')
  }
  return error instanceof Error ? error : new Error(String(error))
}
