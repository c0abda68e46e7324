/**
 * The DynamoDB client for sessions: keep-alive connections, short timeouts and few retries, so a
 * request that cannot reach DynamoDB is answered (503, contract B10) well within the function's
 * own timeout instead of hanging until Lambda kills it.
 */
import http from 'node:http'
import https from 'node:https'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import type { AwsTarget, Env } from './aws-target'

/** DynamoDB answers in milliseconds; a connection not made in a second is not coming. */
export const CONNECTION_TIMEOUT_MS = 1_000
/**
 * Per attempt, connection included (DynamoDB's p99 is tens of milliseconds). Two attempts of a
 * read and two of a write, with the SDK's backoff, stay under the app's 10 s function timeout.
 */
export const REQUEST_TIMEOUT_MS = 1_500
export const MAX_ATTEMPTS = 2

/**
 * The request-handler timeouts every AWS client of the session core uses (DynamoDB, and SSM for
 * table discovery). Without `throwOnRequestTimeout`, @smithy/node-http-handler 4.x only warns
 * when requestTimeout passes, and waits on.
 */
export const AWS_TIMEOUTS = {
  connectionTimeout: CONNECTION_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  throwOnRequestTimeout: true,
} as const

/** The Sandbox's local DynamoDB ignores signatures, but the SDK will not send unsigned requests. */
const SANDBOX_CREDENTIALS = { accessKeyId: 'arcDummyAccessKey', secretAccessKey: 'arcDummySecretKey' }
/** The region the Sandbox (and @architect/functions) assume when AWS_REGION is unset. */
const SANDBOX_REGION = 'us-west-2'

export function createDynamoDbClient(target: AwsTarget, env: Env): DynamoDBClient {
  const config: DynamoDBClientConfig = {
    maxAttempts: MAX_ATTEMPTS,
    // The SDK builds its own NodeHttpHandler from these options, so nothing of @smithy is bundled.
    requestHandler: {
      ...AWS_TIMEOUTS,
      // Keep-alive saves a TCP (and TLS) handshake on every call after the first in a warm function.
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
    },
  }
  // The SDK's own setting for another DynamoDB endpoint; honoured under the Sandbox too (tests point it at a dead port).
  const endpoint = env['AWS_ENDPOINT_URL_DYNAMODB'] || (target.kind === 'sandbox' ? `http://localhost:${target.ports.tables}` : undefined)
  if (endpoint) config.endpoint = endpoint
  if (target.kind === 'sandbox') {
    config.region = env['AWS_REGION'] || SANDBOX_REGION
    config.credentials = sandboxCredentials(env)
  }
  return new DynamoDBClient(config)
}

/**
 * The Sandbox passes its credentials (a real profile's or dummies) to each function. Taken as
 * given; without any, dummies, rather than the SDK probing the machine for some.
 */
function sandboxCredentials(env: Env): NonNullable<DynamoDBClientConfig['credentials']> {
  const accessKeyId = env['AWS_ACCESS_KEY_ID']
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY']
  if (!accessKeyId || !secretAccessKey) return SANDBOX_CREDENTIALS
  const sessionToken = env['AWS_SESSION_TOKEN']
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
}
