/**
 * A DynamoDB endpoint for fault tests: it forwards every call to a real DynamoDB (the Sandbox's)
 * unless told to fail a given operation, the way DynamoDB itself fails: a throttling answer, or
 * never answering. Closing it leaves a dead port.
 */
import http from 'node:http'

export type Fault = 'throttle' | 'hang'

/** The wire form of DynamoDB's throttling error; the SDK turns it into its own exception class. */
const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
})

export class FaultProxy {
  /** Operation name (`GetItem`, `PutItem`, ...) → how to fail it. */
  readonly faults = new Map<string, Fault>()
  /** Operations seen, in order. */
  readonly seen: string[] = []
  private server: http.Server | undefined

  constructor(
    readonly port: number,
    private readonly upstreamPort: number,
  ) {}

  async listen(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => server.listen(this.port, 'localhost', resolve))
    this.server = server
  }

  /** Stops listening and drops every connection: the port is dead until `listen` again. */
  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
      this.seen.push(operation)
      const fault = this.faults.get(operation)
      if (fault === 'hang') return
      if (fault === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' })
        res.end(THROTTLED)
        return
      }
      const upstream = http.request(
        { host: 'localhost', port: this.upstreamPort, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      upstream.on('error', () => res.destroy())
      upstream.end(Buffer.concat(chunks))
    })
  }
}
