/**
 * docs/guarantees.md#g-server-lifetime through the real Sandbox, in both modes, with ARC_SESSION_TTL of a few seconds: a
 * browser that only reads, more often than every N/2, keeps its session well past N (it honours
 * Max-Age, so without renewals on read it would lose the cookie after N); a cookie replayed after N
 * idle seconds by a client that ignores Max-Age reads as no session; every Set-Cookie says Max-Age N.
 *
 * Real sleeps cannot be avoided here. N = 6 leaves margin on a slow shared machine: a reader
 * renews at 3 s and pauses half a second between visits, so a visit may take up to 2.5 s before
 * the session is at risk; the replay waits N + 1.5 s. The cases of a mode run side by side, about
 * 2 N in all.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { writeJweSession } from '../../src/shared/session/providers/jwe/store'
import { jweKeyFromSecret } from '../../src/shared/session/providers/jwe/keys'
import { counterFlow } from '../helpers/counter-flow'
import { getItem, idOfCookie, testClient } from '../helpers/dynamodb'
import { countOnPage, request, sessionCookieOf, type Response } from '../helpers/http-client'
import { captureOutput } from '../helpers/output'
import { startSandbox } from '../helpers/sandbox'

const SECRET = 'lifetime-integration-secret-0123456789ab'
const TTL_SECONDS = 6
/** The Sandbox names a local table `<app>-staging-<name>`. */
const TABLE = 'arc-sessions-ts-staging-sessions'
const MODES: Record<string, Record<string, string>> = {
  jwe: { ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET, ARC_SESSION_TTL: String(TTL_SECONDS) },
  dynamodb: { ARC_SESSION_TABLE_NAME: 'sessions', ARC_APP_SECRET: SECRET, ARC_SESSION_TTL: String(TTL_SECONDS) },
}

/** Every Set-Cookie the Sandbox sent in this file: each must carry Max-Age N (or 0, to clear). */
const setCookies: string[] = []

async function send(method: string, url: string, cookie: string | undefined): Promise<Response> {
  const response = await request(method, url, cookie === undefined ? {} : { headers: { cookie: `_idx=${cookie}` } })
  setCookies.push(...(response.headers['set-cookie'] ?? []))
  return response
}

/** A client that keeps the `_idx` cookie as a browser does: until its Max-Age runs out. */
class Browser {
  private cookie: { value: string; expiresAtMs: number } | undefined
  /** How many Set-Cookie headers renewed (or made) the session. */
  writes = 0
  constructor(private readonly url: string) {}

  get value(): string | undefined {
    return this.cookie && Date.now() < this.cookie.expiresAtMs ? this.cookie.value : undefined
  }

  async visit(method: 'GET' | 'POST', path: string): Promise<Response> {
    const sentAt = Date.now()
    const response = await send(method, `${this.url}${path}`, this.value)
    const value = sessionCookieOf(response)
    const maxAge = /; Max-Age=(\d+)/.exec(response.headers['set-cookie']?.[0] ?? '')?.[1]
    if (value !== undefined && maxAge !== undefined) {
      // Counted from when the request left: a browser's clock starts no earlier than the server's.
      this.cookie = value === '' ? undefined : { value, expiresAtMs: sentAt + Number(maxAge) * 1000 }
      if (value !== '') this.writes++
    }
    return response
  }

  async count(): Promise<number> {
    const page = await this.visit('GET', '/')
    if (page.status !== 200) throw new Error(`GET / answered ${page.status}`)
    return countOnPage(page.body)
  }
}

/** POST /count with exactly this cookie (no jar): the count it leads to, and the cookie it sets. */
async function countWith(url: string, cookie: string | undefined): Promise<{ count: number; cookie: string | undefined }> {
  const post = await send('POST', `${url}/count`, cookie)
  const next = sessionCookieOf(post) ?? cookie
  return { count: countOnPage((await send('GET', `${url}/`, next)).body), cookie: next }
}

for (const [mode, env] of Object.entries(MODES)) {
  t.test(`session lifetime, ${mode} mode, ARC_SESSION_TTL=${TTL_SECONDS}`, async (t) => {
    const { url, tablesPort } = await startSandbox(t, env)
    // From here on: what the handlers log (the Sandbox's start-up notices come before).
    const output = captureOutput(t)
    const db = testClient(tablesPort)
    t.teardown(() => db.destroy())

    await counterFlow(t, url)

    /** A browser that only reads, every half second, for 2 N + 1 s after its one post. */
    const reader = async (t: Test) => {
      const browser = new Browser(url)
      const start = Date.now()
      await browser.visit('POST', '/count')
      const firstCookie = browser.value
      let visits = 0
      while (Date.now() - start < (2 * TTL_SECONDS + 1) * 1000) {
        await sleep(500)
        visits++
        const count = await browser.count()
        if (count !== 1) {
          t.fail(`the session was lost ${((Date.now() - start) / 1000).toFixed(1)} s after its last change`)
          return
        }
      }
      const elapsed = (Date.now() - start) / 1000
      t.pass(`still counting 1 after ${elapsed.toFixed(1)} s of reads only (${visits} visits)`)
      const renewals = browser.writes - 1
      t.ok(renewals >= 1, `renewed on read (${renewals} times)`)
      // Writes are at least N/2 - 1 s apart (whole-second times): not one per read.
      t.ok(renewals <= elapsed / (TTL_SECONDS / 2 - 1), `at most one renewal per N/2 (${renewals} in ${visits} visits)`)
      if (mode === 'dynamodb') {
        t.equal(idOfCookie(browser.value!), idOfCookie(firstCookie!), 'the same session, renewed in place')
        const ttl = Number((await getItem(db, TABLE, idOfCookie(browser.value!)))?.['_ttl']?.N)
        t.ok(ttl > start / 1000 + 2 * TTL_SECONDS, '_ttl moved with the renewals')
      }
    }

    /** A client that ignores Max-Age replays its cookie after N + 1.5 idle seconds. */
    const replay = async (t: Test) => {
      const { cookie } = await countWith(url, undefined)
      await sleep((TTL_SECONDS + 1.5) * 1000)
      const page = await send('GET', `${url}/`, cookie)
      t.equal(countOnPage(page.body), 0, 'the idle session is gone: no session, count 0')
      t.equal(sessionCookieOf(page), undefined, 'and a read writes nothing (docs/guarantees.md#g-lazy-writes)')
      const after = await countWith(url, cookie)
      t.equal(after.count, 1, 'a post starts a new session')
      if (mode === 'dynamodb') t.not(idOfCookie(after.cookie!), idOfCookie(cookie!), 'with a new id, never the old one revived')
    }

    /** docs/guarantees.md#g-mode-switch: a cookie from JWE mode is carried over while it lives, and not after N. */
    const carryOver = async (t: Test) => {
      const key = jweKeyFromSecret(SECRET, 'A256GCM')
      if (!key.ok) throw new Error(key.problem)
      const token = writeJweSession({ count: 41 }, key.key, Date.now())
      t.equal(countOnPage((await send('GET', `${url}/`, token)).body), 41, 'a JWE cookie reads in DynamoDB mode')
      await sleep((TTL_SECONDS + 1.5) * 1000)
      t.equal(countOnPage((await send('GET', `${url}/`, token)).body), 0, 'after N idle seconds it is not carried over')
    }

    // Side by side, so that the file waits about 2 N per mode rather than the sum of the waits.
    await t.test('a reader keeps the session well past N; an idle cookie replayed after N is no session', async (t) => {
      await Promise.all([reader(t), replay(t), ...(mode === 'dynamodb' ? [carryOver(t)] : [])])
    })

    await t.test(`every Set-Cookie says Max-Age=${TTL_SECONDS}, or 0 to clear`, async (t) => {
      t.ok(setCookies.length > 0)
      for (const line of setCookies.splice(0)) t.match(line, new RegExp(`^_idx=(?:[^;]+; Max-Age=${TTL_SECONDS}|; Max-Age=0);`))
    })

    await t.test('renewals are quiet: nothing logged', async (t) => {
      t.strictSame(output.sessionLines(), [])
    })
  })
}
