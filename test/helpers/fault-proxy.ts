/**
 * A DynamoDB endpoint for fault tests: it forwards every call to a real DynamoDB (the Sandbox's)
 * unless told to fail a given operation, the way DynamoDB itself fails: a throttling answer, or
 * never answering; or the way a network fails: the request is forwarded and applied, and the
 * connection drops before the answer (`dropReply`), or it drops before the request is forwarded
 * (`dropRequest`). It can also rewrite answers, to give the client items that the local DynamoDB
 * would not keep. Closing it leaves a dead port.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Fault = 'throttle' | 'hang'

/** A network fault for the next calls of one operation. */
export type Drop = 'reply' | 'request'

/** Rewrites an answer's JSON body (operation name, body) before the client gets it. */
export type Rewrite = (operation: string, body: string) => string

/** The wire form of DynamoDB's throttling error; the SDK turns it into its own exception class. */
const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
})

export class FaultProxy {
  /** Operation name (`GetItem`, `PutItem`, ...) → how to fail it. */
  readonly faults = new Map<string, Fault>()
  /** Operation name → the drops to make, one per call, in order (then calls pass). */
  readonly drops = new Map<string, Drop[]>()
  /** Operations seen, in order. */
  readonly seen: string[] = []
  /** Runs when a call's reply is dropped (after DynamoDB applied it) or its request dropped (before). */
  onDrop: ((operation: string, drop: Drop) => Promise<void>) | undefined
  rewrite: Rewrite | undefined
  private server: http.Server | undefined

  constructor(
    readonly port: number,
    private readonly upstreamPort: number,
  ) {}

  /** Listens on `port` (0: any free port); returns the port. */
  async listen(): Promise<number> {
    const server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => server.listen(this.port, 'localhost', resolve))
    this.server = server
    return (server.address() as AddressInfo).port
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
      const drop = this.drops.get(operation)?.shift()
      const fault = this.faults.get(operation)
      if (drop === 'request') {
        void (this.onDrop?.(operation, drop) ?? Promise.resolve()).then(() => req.socket.destroy())
        return
      }
      if (fault === 'hang') return
      if (fault === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' })
        res.end(THROTTLED)
        return
      }
      const upstream = http.request(
        { host: 'localhost', port: this.upstreamPort, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = []
          answer.on('data', (chunk: Buffer) => parts.push(chunk))
          answer.on('end', () => {
            if (drop === 'reply') {
              // DynamoDB has applied it; the client never hears so.
              void (this.onDrop?.(operation, drop) ?? Promise.resolve()).then(() => req.socket.destroy())
              return
            }
            let body = Buffer.concat(parts)
            const headers = { ...answer.headers }
            if (this.rewrite) {
              body = Buffer.from(this.rewrite(operation, body.toString('utf8')), 'utf8')
              // The SDK checks the body against these.
              delete headers['x-amz-crc32']
              headers['content-length'] = String(body.length)
            }
            res.writeHead(answer.statusCode ?? 502, headers)
            res.end(body)
          })
        },
      )
      upstream.on('error', () => res.destroy())
      upstream.end(Buffer.concat(chunks))
    })
  }
}
