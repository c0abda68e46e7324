/**
 * Property-based tests of the cookie parser (docs/guarantees.md#g-compat-cookie): whatever the request holds, reading the
 * session cookie never throws and gives a non-empty string or nothing; and a value written among
 * other cookies reads back exactly, the last `_idx` winning.
 */
import t from 'tap'
import fc from 'fast-check'
import { readSessionCookie, serializeSessionCookie, type CookieSource } from '../../src/shared/session/cookie/codec'
import { loadConfig } from '../../src/shared/session/core/config'
import { checkProperty, stringOf } from '../helpers/property'

/** Pieces of Cookie-header grammar (RFC 6265 §4.2.1) and of what breaks parsers. */
const COOKIE_PIECES = ['_idx=', '_idx', '=', ';', '; ', ' ', '"', '%', '%2', '%E0%A4%A', '%25', '\t', '\r\n', '\u0000', 'a=b', '__idx=', '_IDX=']

const cookieText = stringOf(COOKIE_PIECES, 16)
const headerMap = fc.dictionary(fc.constantFrom('cookie', 'Cookie', 'COOKIE', 'origin', 'x'), fc.oneof(cookieText, fc.constant(undefined)), {
  maxKeys: 4,
})
const source: fc.Arbitrary<unknown> = fc.record(
  {
    headers: fc.oneof(headerMap, fc.constant(null), fc.anything()),
    cookies: fc.oneof(fc.array(fc.oneof(cookieText, fc.anything()), { maxLength: 6 }), fc.constant(null), fc.anything()),
  },
  { requiredKeys: [] },
)

t.test('the parser never throws, and gives a non-empty string or nothing', async (t) => {
  checkProperty(t, 'arbitrary headers and cookie arrays', source, (input) => {
    const value = readSessionCookie(input as CookieSource)
    if (value === undefined) return
    if (typeof value !== 'string' || value === '') throw new Error(`not a session cookie value: ${JSON.stringify(value)}`)
  })
})

// Other cookies: RFC 6265 token names (never `_idx`) and cookie-octet values, so they cannot be taken for ours.
const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&\'*+-.^_`|~'
const COOKIE_OCTETS = `${TOKEN_CHARS}()/:<>?@[]{}=`
const otherCookie = fc
  .tuple(fc.string({ unit: fc.constantFrom(...Array.from(TOKEN_CHARS)), minLength: 1, maxLength: 8 }), fc.string({ unit: fc.constantFrom(...Array.from(COOKIE_OCTETS)), maxLength: 12 }))
  .filter(([name]) => name !== '_idx')
  .map(([name, value]) => `${name}=${value}`)
/** Session values as a store hands them to the cookie: any well-formed text, percent-encoded when written. */
const sessionValue = fc.string({ unit: 'binary', minLength: 1, maxLength: 48 })

const jar = fc.record({
  values: fc.array(sessionValue, { minLength: 1, maxLength: 3 }),
  others: fc.array(otherCookie, { maxLength: 5 }),
  order: fc.array(fc.nat(), { maxLength: 8 }),
  separator: fc.constantFrom('; ', ';', ' ;  '),
  form: fc.constantFrom('header', 'Header', 'v2 array', 'set-cookie'),
})

t.test('a written value reads back exactly, and the last _idx wins', async (t) => {
  const settings = loadConfig({ ARC_ENV: 'testing' }).cookie
  checkProperty(t, 'cookie round trip among other cookies', jar, ({ values, others, order, separator, form }) => {
    const ours = values.map((value) =>
      form === 'set-cookie'
        ? serializeSessionCookie(value, settings, 0).split(';')[0]!
        : `_idx=${encodeURIComponent(value)}`,
    )
    // Interleave the other cookies among ours, keeping ours in order.
    const pairs = [...ours]
    others.forEach((other, i) => pairs.splice((order[i] ?? 0) % (pairs.length + 1), 0, other))
    const last = values[values.length - 1]!
    const input: CookieSource =
      form === 'v2 array'
        ? { cookies: pairs }
        : { headers: { [form === 'Header' ? 'Cookie' : 'cookie']: pairs.join(separator) } }
    const read = readSessionCookie(input)
    if (read !== last) throw new Error(`read ${JSON.stringify(read)}, wrote ${JSON.stringify(last)}`)
  })
})
