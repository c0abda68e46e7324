/** Service discovery when deployed without ARC_TABLE_NAMES: real SSM, through the AWS SDK. */
import { AWS_TIMEOUTS } from '../timeouts'
import { isUnavailable } from '../errors'
import { SessionStoreUnavailableError } from '../../../core/errors'
import type { Parameter } from './parameters'

/** Real SSM. The SDK's SSM client is loaded only here, once, when a deployed function first needs it. */
export async function awsReader(path: string): Promise<readonly Parameter[]> {
  // A lazy require, not import(): one module instance under both esbuild's bundles and ts-node.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SSMClient, GetParametersByPathCommand } = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm')
  // SSM throttles bursts of cold starts: the SDK's three tries, but never a hang.
  const client = new SSMClient({ requestHandler: AWS_TIMEOUTS })
  const parameters: Parameter[] = []
  try {
    let token: string | undefined
    do {
      const page = await client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, ...(token ? { NextToken: token } : {}) }))
      for (const p of page.Parameters ?? []) if (p.Name && p.Value) parameters.push({ name: p.Name, value: p.Value })
      token = page.NextToken
    } while (token)
  } catch (error) {
    // Throttled or unreachable: try again later. Anything else (say, a missing permission) is a 500 with its log line.
    if (isUnavailable(error)) throw new SessionStoreUnavailableError(`service discovery (SSM ${path}) failed`, { cause: error })
    throw error
  } finally {
    client.destroy()
  }
  return parameters
}

