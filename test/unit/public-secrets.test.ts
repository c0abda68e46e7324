/**
 * The list of public secrets the secret rule refuses (src/shared/session/core/public-secrets.json)
 * holds every secret printed in this repository's docs, test vectors and benchmarks: a secret
 * copied from any of them is refused when deployed. A new one printed without being listed fails here.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { PROJECT_ROOT, projectFiles } from '../helpers/project-files'
import publicSecrets from '../../src/shared/session/core/public-secrets.json'
import { judgeSecret, type KeyUse } from '../../src/shared/session/core/secrets'

/**
 * Secrets as the docs, vectors and benchmarks print them: a value given to ARC_APP_SECRET or
 * ARC_APP_SECRET_PREVIOUS (`=`, a prefs.arc space, a JSON key, a quoted argument), a `secret` field,
 * or a `SECRET = '...'` constant. Placeholders (`$(openssl ...)`, `<...>`) and plain words (prose
 * such as "ARC_APP_SECRET contains ...") are not secrets; every secret printed here has a digit or a sign.
 */
const PRINTED = /(?:ARC_APP_SECRET(?:_PREVIOUS)?"?\s*[:= ]\s*"?|"secret":\s*"|\bSECRET\s*=\s*')((?=[^\s"'`$<>(),\\]*[\d_+/=.-])[^\s"'`$<>(),\\]{8,})/g

function printedSecrets(): Map<string, string> {
  const found = new Map<string, string>()
  const files = [...projectFiles('docs', /\.md$/), ...projectFiles('test/vectors', /\.json$/), ...projectFiles('bench', /\.(ts|md|js)$/), 'README.md']
  for (const file of files) {
    for (const match of readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(PRINTED)) found.set(match[1]!, file)
  }
  return found
}

t.test('every secret printed in docs/, test/vectors/ and bench/ is on the list', async (t) => {
  const printed = printedSecrets()
  // The search finds what is there: the vectors' secrets and the benchmarks' at least.
  for (const known of ['abcdefghijklmnopqrstuvwxyz0123456789', 'a-very-long-secret-value-0123456789', 'bench-secret-0123456789abcdefghijklmnop']) {
    t.ok(printed.has(known), `found ${known}`)
  }
  for (const [secret, file] of printed) t.ok(publicSecrets.values.includes(secret), `${secret} (${file}) is listed`)
})

t.test('every listed value is refused when deployed, for every use', async (t) => {
  const uses: KeyUse[] = [{ kind: 'jwe', enc: 'A256GCM' }, { kind: 'jwe', enc: 'A192GCM' }, { kind: 'jwe', enc: 'A128GCM' }, { kind: 'legacy-jwe' }, { kind: 'signing' }]
  for (const value of publicSecrets.values) {
    for (const use of uses) t.equal(judgeSecret(value, use).strong, false, `${value} for ${JSON.stringify(use)}`)
  }
})
