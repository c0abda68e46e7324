/**
 * The DynamoDB client for sessions: keep-alive connections, and short timeouts and few retries
 * (aws-timeouts.ts).
 */
import http from 'node:http'
import type https from 'node:https'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import type { AwsTarget, Env } from './target'
import { AWS_TIMEOUTS, MAX_ATTEMPTS } from './timeouts'

/** The Sandbox's local DynamoDB ignores signatures, but the SDK will not send unsigned requests. */
const SANDBOX_CREDENTIALS = { accessKeyId: 'arcDummyAccessKey', secretAccessKey: 'arcDummySecretKey' }
/** The region the Sandbox (and @architect/functions) assume when AWS_REGION is unset. */
const SANDBOX_REGION = 'us-west-2'

/**
 * For an http:// endpoint (the Sandbox's local DynamoDB), the https agent the SDK's handler asks
 * for and never uses: a stand-in, so that neither node:https nor TLS is loaded, about a fifth of a
 * cold Sandbox process's CPU (docs/dynamodb.md, "Start-up"). The handler keeps an agent that has
 * `destroy()` as given.
 */
const UNUSED_HTTPS_AGENT = { destroy(): void {} } as unknown as https.Agent

export function createDynamoDbClient(target: AwsTarget, env: Env): DynamoDBClient {
  // The SDK's own setting for another DynamoDB endpoint; honoured under the Sandbox too (tests point it at a dead port).
  const endpoint = env['AWS_ENDPOINT_URL_DYNAMODB'] || (target.kind === 'sandbox' ? `http://localhost:${target.ports.tables}` : undefined)
  const config: DynamoDBClientConfig = {
    maxAttempts: MAX_ATTEMPTS,
    // The SDK builds its own NodeHttpHandler from these options: the app imports nothing of @smithy itself.
    requestHandler: {
      ...AWS_TIMEOUTS,
      // Keep-alive saves a TCP (and TLS) handshake on every call after the first in a warm function.
      httpAgent: new http.Agent({ keepAlive: true }),
      // node:https looked up here, not imported: an import would load it (and TLS) in every process.
      httpsAgent: endpoint !== undefined && /^http:/i.test(endpoint) ? UNUSED_HTTPS_AGENT : new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true }),
    },
  }
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
