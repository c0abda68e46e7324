/**
 * JWE mode, one process: a session write followed by a read, for a small `{count}` session and a
 * session of about 3 KB. Ours (the store the adapter uses, cookie codec included), ours with the
 * read checked by a schema as a typed handler's is (docs/guarantees.md#g-typed-sessions), @architect/functions, and a bare
 * node:crypto AES-256-GCM + base64url floor.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import arc from '@architect/functions'
import * as v from 'valibot'
import { counterSession } from '../src/shared/counter-session'
import { loadConfig } from '../src/shared/session/core/config'
import { readSessionCookie, serializeSessionCookie } from '../src/shared/session/cookie/codec'
import { createJweStore } from '../src/shared/session/providers/jwe/store'
import type { LoadedSession, SessionData } from '../src/shared/session/providers/store'
import { viewSession, type AnySessionSchema } from '../src/shared/session/typed/view'
import { measure, table, type Implementation, type Plan } from './lib/measure'

const SECRET = 'bench-secret-0123456789abcdefghijklmnop'
const KEY = Buffer.from(SECRET.slice(0, 32), 'utf8')

export const SESSIONS: Record<string, SessionData> = {
  'small {count}': { count: 42 },
  '~3 KB': { count: 42, notes: 'x'.repeat(2000), items: Array.from({ length: 20 }, (_, i) => ({ id: i, tag: `tag-${i}` })) },
}

/** What the typed rows check each session against: the app's own schema for `{count}`. */
const SCHEMAS: Record<keyof typeof SESSIONS, AnySessionSchema> = {
  'small {count}': counterSession.schema,
  '~3 KB': v.object({ count: v.number(), notes: v.string(), items: v.array(v.object({ id: v.number(), tag: v.string() })) }),
}

/** The floor: what any JWE cookie session must do at the least. */
function floor(data: SessionData): () => unknown {
  return () => {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', KEY, iv)
    const ct = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()])
    const token = `${iv.toString('base64url')}.${ct.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`
    const [ivPart, ctPart, tagPart] = token.split('.') as [string, string, string]
    const decipher = createDecipheriv('aes-256-gcm', KEY, Buffer.from(ivPart, 'base64url'))
    decipher.setAuthTag(Buffer.from(tagPart, 'base64url'))
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ctPart, 'base64url')), decipher.final()]).toString('utf8')) as unknown
  }
}

/** `view` is what the handler gets of the loaded session: without a schema, the data itself. */
function ours(data: SessionData, view: (loaded: LoadedSession) => unknown = (loaded) => loaded.data): () => Promise<unknown> {
  const config = loadConfig({ ARC_ENV: 'testing', ARC_APP_SECRET: SECRET })
  const store = createJweStore(config.jweKeys, config.lifetime)
  const empty = { data: {}, exists: false, refresh: false }
  return async () => {
    const now = Date.now()
    const setCookie = serializeSessionCookie(await store.save(empty, data, now), config.cookie, now)
    const cookie = setCookie.slice(0, setCookie.indexOf(';'))
    return view(await store.load(readSessionCookie({ headers: { cookie } }), now))
  }
}

function reference(data: SessionData): () => Promise<unknown> {
  Object.assign(process.env, { ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: 'jwe', ARC_APP_SECRET: SECRET })
  return async () => {
    const setCookie = await arc.http.session.write({ ...data })
    return arc.http.session.read({ headers: { cookie: setCookie.slice(0, setCookie.indexOf(';')) } })
  }
}

export async function runJweMicro(plan: Plan): Promise<string> {
  const sections: string[] = []
  for (const [label, data] of Object.entries(SESSIONS)) {
    const schema = SCHEMAS[label]!
    const implementations: Implementation[] = [
      { name: 'floor: node:crypto AES-256-GCM + base64url', op: floor(data) },
      { name: 'ours (JWE store + cookie codec)', op: ours(data) },
      { name: 'ours, typed: + the read checked by a valibot schema', op: ours(data, (loaded) => viewSession(schema, loaded)) },
      { name: '@architect/functions 8.1.10', op: reference(data) },
    ]
    const results = await measure(implementations, plan)
    sections.push(`#### ${label} session\n\n${table(results, implementations[0]!.name)}`)
  }
  return sections.join('\n\n')
}

if (require.main === module) {
  void runJweMicro({ rounds: 5, warmup: 2000, operations: 20000 }).then((md) => console.log(md))
}
