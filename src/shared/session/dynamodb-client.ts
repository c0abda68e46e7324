/**
 * The DynamoDB client for sessions: keep-alive connections, short timeouts and few retries, so a
 * request that cannot reach DynamoDB is answered (503, contract B10) well within the function's
 * own timeout instead of hanging until Lambda kills it.
 */
import http from 'node:http'
import https from 'node:https'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { AwsTarget, Env } from './aws-target'

/** DynamoDB answers in milliseconds; a connection not made in a second is not coming. */
export const CONNECTION_TIMEOUT_MS = 1_000
/** Per attempt. Three attempts and the SDK's backoff stay under the app's 10 s function timeout. */
export const REQUEST_TIMEOUT_MS = 2_000
export const MAX_ATTEMPTS = 3

/** The Sandbox's local DynamoDB ignores signatures, but the SDK will not send unsigned requests. */
const SANDBOX_CREDENTIALS = { accessKeyId: 'arcDummyAccessKey', secretAccessKey: 'arcDummySecretKey' }
/** The region the Sandbox (and @architect/functions) assume when AWS_REGION is unset. */
const SANDBOX_REGION = 'us-west-2'

export function createDynamoDbClient(target: AwsTarget, env: Env): DynamoDBClient {
  const config: DynamoDBClientConfig = {
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Keep-alive saves a TCP (and TLS) handshake on every call after the first in a warm function.
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
    }),
  }
  // The SDK's own setting for another DynamoDB endpoint; honoured under the Sandbox too (tests point it at a dead port).
  const endpoint = env['AWS_ENDPOINT_URL_DYNAMODB'] || (target.kind === 'sandbox' ? `http://localhost:${target.ports.tables}` : undefined)
  if (endpoint) config.endpoint = endpoint
  if (target.kind === 'sandbox') {
    config.region = env['AWS_REGION'] || SANDBOX_REGION
    // The Sandbox passes its credentials (real or dummy) to each function; without them, the SDK would probe for some.
    if (!env['AWS_ACCESS_KEY_ID'] || !env['AWS_SECRET_ACCESS_KEY']) config.credentials = SANDBOX_CREDENTIALS
  }
  return new DynamoDBClient(config)
}
