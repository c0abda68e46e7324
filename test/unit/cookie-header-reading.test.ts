/**
 * Reading the `_idx` cookie from what API Gateway hands over (docs/guarantees.md#g-compat-cookie): which source
 * counts when the Cookie header is empty or not text, what of the v2 `cookies` array is read, and
 * how a value's surrounding spaces and DQUOTEs (RFC 6265 §4.1.1) are taken off.
 */
import t from 'tap'
import { readSessionCookie, type CookieSource } from '../../src/shared/session/cookie/codec'

/** An event as the parser may meet it: JSON from API Gateway, so any value may sit anywhere. */
const odd = (source: Record<string, unknown>) => source as CookieSource

t.test('a Cookie header that is empty or not text is passed over for the v2 cookies array', async (t) => {
  t.equal(readSessionCookie({ headers: { Cookie: '' }, cookies: ['_idx=from-array'] }), 'from-array', 'an empty Cookie header')
  t.equal(readSessionCookie(odd({ headers: { cookie: 42 }, cookies: ['_idx=from-array'] })), 'from-array', 'a number')
  t.equal(readSessionCookie(odd({ headers: { cookie: ['_idx=from-header'] }, cookies: ['_idx=from-array'] })), 'from-array', 'an array')
})

t.test('entries of the v2 cookies array that are not text are ignored', async (t) => {
  const cookies = ['_idx=kept', ['_idx=nested'], null, 7, { toString: () => '_idx=object' }]
  t.equal(readSessionCookie(odd({ cookies })), 'kept')
  t.equal(readSessionCookie(odd({ cookies: [['_idx=nested']] })), undefined, 'nothing but a nested array: no session cookie')
})

t.test('spaces around the value are taken off, inside the pair as well as around it', async (t) => {
  t.equal(readSessionCookie({ headers: { cookie: 'a=1; _idx=  abc ; b=2' } }), 'abc')
  t.equal(readSessionCookie({ headers: { cookie: '_idx= "quoted"' } }), 'quoted', 'then the quotes')
  t.equal(readSessionCookie({ cookies: ['_idx=\tabc'] }), 'abc', 'a tab too, in the v2 array')
})

t.test('only a value wrapped in DQUOTEs at both ends is unquoted', async (t) => {
  const cases: [string, string | undefined][] = [
    ['"abc"', 'abc'],
    ['"a"', 'a'],
    ['""', undefined],
    ['"', '"'],
    ['"abc', '"abc'],
    ['abc"', 'abc"'],
    ['a"b', 'a"b'],
    ['"%2B"', '+'],
  ]
  for (const [value, expected] of cases) t.equal(readSessionCookie({ headers: { cookie: `_idx=${value}` } }), expected, value)
})
