/**
 * How long the session core waits for AWS (DynamoDB, and SSM for table discovery): short, so that
 * a request that cannot reach a service is answered (503, docs/guarantees.md#g-faults-answered) well within the function's
 * own timeout instead of hanging until Lambda kills it. A module of its own, without the SDK, so
 * that table discovery can start before the SDK is loaded.
 */

/** DynamoDB answers in milliseconds; a connection not made in a second is not coming. */
export const CONNECTION_TIMEOUT_MS = 1_000
/**
 * Per attempt, connection included (DynamoDB's p99 is tens of milliseconds). Two attempts of a
 * read and two of a write, with the SDK's backoff, stay under the app's 10 s function timeout.
 */
export const REQUEST_TIMEOUT_MS = 1_500
export const MAX_ATTEMPTS = 2

/**
 * The request-handler timeouts every AWS client of the session core uses. Without
 * `throwOnRequestTimeout`, @smithy/node-http-handler 4.x only warns when requestTimeout passes,
 * and waits on.
 */
export const AWS_TIMEOUTS = {
  connectionTimeout: CONNECTION_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  throwOnRequestTimeout: true,
} as const
