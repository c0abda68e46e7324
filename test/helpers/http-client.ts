/**
 * A precise HTTP client for tests: exact status codes, raw headers, no redirect following, and
 * header values that ordinary clients refuse to send (control characters, duplicate cookies).
 */
import http from 'node:http'

export interface Response {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

export interface RequestOptions {
  readonly headers?: Record<string, string | string[]>
  readonly body?: string | Buffer
}

export function request(method: string, url: string, options: RequestOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: options.headers ?? {}, insecureHTTPParser: true }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

/** The `_idx` value a response sets, or undefined. */
export function sessionCookieOf(response: { headers: http.IncomingHttpHeaders }): string | undefined {
  const setCookie = response.headers['set-cookie'] ?? []
  for (const line of setCookie) {
    const match = /^_idx=([^;]*)/.exec(line)
    if (match) return match[1]
  }
  return undefined
}

/** The count the page shows, read from the element the page marks with id="count". */
export function countOnPage(html: string): number {
  const match = /id="count">(\d+)</.exec(html)
  if (!match) throw new Error(`no count on the page: ${html.slice(0, 200)}`)
  return Number(match[1])
}
