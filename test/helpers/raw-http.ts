/**
 * HTTP/1.1 over a bare socket, for requests no HTTP client will send: control characters and
 * arbitrary bytes in header values or the request line. One request per connection.
 */
import net from 'node:net'

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  readonly status: number
  readonly headers: Readonly<Record<string, string[]>>
  readonly body: string
}

export function rawRequest(port: number, head: string, body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, 'localhost')
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('latin1'))))
    // latin1: each char of `head` is one byte, so tests can write any byte as \xNN. Not end():
    // a half-closed socket makes Node's server drop the request before the Lambda answers.
    socket.write(Buffer.concat([Buffer.from(`${head}\r\nConnection: close\r\n\r\n`, 'latin1'), Buffer.from(body, 'latin1')]))
  })
}

function parse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return { status: 0, headers: {}, body: '' }
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n')
  const headers: Record<string, string[]> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    ;(headers[name] ??= []).push(line.slice(colon + 1).trim())
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') }
}
