/** Service discovery under the Sandbox: its SSM look-alike on its internal port, over plain HTTP. */
import http from 'node:http'
import { SessionStoreUnavailableError } from '../../../core/errors'
import type { ParameterReader } from './parameters'

/** The Sandbox's SSM look-alike answers unsigned JSON over plain HTTP: no SDK needed (and none loaded). */
export function sandboxReader(port: number): ParameterReader {
  return (path) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ Path: path, Recursive: true })
      const unavailable = (cause: unknown) =>
        reject(new SessionStoreUnavailableError(`the Sandbox's service discovery on port ${port} did not answer; is the Sandbox running?`, { cause }))
      const req = http.request(
        {
          host: 'localhost',
          port,
          path: '/_arc/ssm',
          method: 'POST',
          timeout: 2000,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonSSM.GetParametersByPath',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', unavailable)
          res.on('end', () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Parameters?: { Name?: string; Value?: string }[] }
              if (res.statusCode !== 200 || !Array.isArray(answer.Parameters)) throw new Error(`status ${res.statusCode}`)
              resolve(answer.Parameters.flatMap((p) => (p.Name && p.Value ? [{ name: p.Name, value: p.Value }] : [])))
            } catch (error) {
              unavailable(error)
            }
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error('timed out')))
      req.on('error', unavailable)
      req.end(body)
    })
}
