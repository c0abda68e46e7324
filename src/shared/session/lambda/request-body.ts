/**
 * A request's body as the handler gets it, by its Content-Type, as `arc.http` parses it where
 * that is well defined (docs/sessions.md, "How it compares to arc.http"):
 *
 * | Content-Type | `req.body` |
 * |---|---|
 * | none sent, or an empty body | `{}` |
 * | `application/json`, `application/*+json` | the parsed JSON value |
 * | `application/x-www-form-urlencoded` | the fields: `{ name: 'value' }`, a repeated name's values in an array |
 * | `text/*`, `application/xml`, `application/*+xml` | the text (UTF-8) |
 * | anything else (`multipart/form-data`, `application/octet-stream`, images, ...) | `{ base64 }` when API Gateway sent it base64-encoded, else the body as sent |
 *
 * A body that cannot be what its type says (JSON that does not parse, bad base64 or UTF-8), or a
 * JSON or form body over `MAX_PARSED_BODY_BYTES`, is a refusal: reading `req.body` then throws,
 * and the visitor gets a 400 (or 413) page. A handler never goes on with a guess.
 */
import type { JsonValue } from '../providers/store'

/** Form fields: a name given once is a string, a name given more than once an array of its values. */
export type FormFields = Record<string, string | string[]>

/**
 * A body the adapter does not interpret: its bytes, base64-encoded, as API Gateway sent them. (A
 * type, not an interface, so that every RequestBody is a JSON value a handler may send back.)
 */
export type BinaryBody = { base64: string }

/** Narrow with `typeof` and `Array.isArray`: which one a request has depends on its Content-Type. */
export type RequestBody = FormFields | BinaryBody | JsonValue

export interface BodyRefusal {
  readonly status: 400 | 413
  /** Fixed words for the visitor and the log: never the body itself. */
  readonly message: string
}

export type BodyParse = { readonly ok: true; readonly value: RequestBody } | { readonly ok: false; readonly refusal: BodyRefusal }

/**
 * JSON and form bodies are parsed into objects before the handler runs: past this size a body is
 * refused rather than parsed. 1 MiB is far more than any form of this app's kind; a larger upload
 * is binary (multipart), passed on as it came. Lambda itself takes at most 6 MB.
 */
export const MAX_PARSED_BODY_BYTES = 1024 * 1024

// RFC 4648 §4: the base64 alphabet, padded to a multiple of four characters.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const UTF8 = new TextDecoder('utf-8', { fatal: true })

export function parseBody(body: unknown, isBase64Encoded: boolean, contentType: string | undefined): BodyParse {
  if (body === undefined || body === null || body === '') return parsed({})
  // Only a hand-made event has a body that is not a string: it is passed on as it is.
  if (typeof body !== 'string') return parsed(body as RequestBody)
  if (isBase64Encoded && (body.length % 4 !== 0 || !BASE64.test(body))) return refused(400, 'The request body is not valid base64.')

  const type = mediaType(contentType)
  const kind = bodyKind(type)
  if (kind === 'other') return parsed(isBase64Encoded ? { base64: body } : body)

  const bytes = isBase64Encoded ? Buffer.from(body, 'base64') : undefined
  const size = bytes ? bytes.length : Buffer.byteLength(body)
  if (kind !== 'text' && size > MAX_PARSED_BODY_BYTES) return refused(413, `The request body is over ${MAX_PARSED_BODY_BYTES} bytes.`)
  let content: string
  try {
    content = bytes ? UTF8.decode(bytes) : body
  } catch {
    return refused(400, 'The request body is not valid UTF-8.')
  }
  if (kind === 'text') return parsed(content)
  if (content === '') return parsed({})
  if (kind === 'form') return parsed(formFields(content))
  try {
    return parsed(JSON.parse(content) as JsonValue)
  } catch {
    return refused(400, 'The request body is not valid JSON.')
  }
}

function parsed(value: RequestBody): BodyParse {
  return { ok: true, value }
}

function refused(status: 400 | 413, message: string): BodyParse {
  return { ok: false, refusal: { status, message } }
}

/** RFC 9110 §8.3.1: `type "/" subtype *( OWS ";" OWS parameter )`, case-insensitive. */
function mediaType(contentType: string | undefined): string {
  return ((contentType ?? '').split(';')[0] ?? '').trim().toLowerCase()
}

function bodyKind(type: string): 'json' | 'form' | 'text' | 'other' {
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type.startsWith('text/') || type === 'application/xml' || (type.startsWith('application/') && type.endsWith('+xml'))) return 'text'
  return 'other'
}

/**
 * WHATWG URL's `application/x-www-form-urlencoded` parser (what browsers send): every field kept,
 * in order, with no limit on their number, and names such as `__proto__` as plain data.
 */
function formFields(content: string): FormFields {
  const fields = new Map<string, string | string[]>()
  for (const [name, value] of new URLSearchParams(content)) {
    const seen = fields.get(name)
    if (Array.isArray(seen)) seen.push(value)
    else fields.set(name, seen === undefined ? value : [seen, value])
  }
  return Object.fromEntries(fields)
}
