/**
 * docs/guarantees.md#g-compat-config: a session table name is 3-255 of [A-Za-z0-9_.-] as a whole, and
 * a mistake in it or in the cookie domain is a SessionConfigError naming the variable that holds it
 * (the legacy one too) and what to put there instead.
 */
import t from 'tap'
import { loadConfig } from '../../src/shared/session/core/config'
import { configError } from '../helpers/config-error'

t.test('a table name must be valid as a whole, not just in a part of it', async (t) => {
  for (const table of ['my sessions', 'sessions!', '!sessions', 'ab', 'x'.repeat(256)]) {
    const error = configError({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: table })
    t.equal(error.message, `ARC_SESSION_TABLE_NAME: '${table}' is neither 'jwe' nor a DynamoDB table name; use 'jwe' or the @tables name, e.g. 'sessions'`, table.slice(0, 20))
  }
  for (const table of ['abc', 'my_app.sessions-2', 'x'.repeat(255)]) {
    t.strictSame(loadConfig({ ARC_ENV: 'testing', ARC_SESSION_TABLE_NAME: table }).store, { kind: 'dynamodb', table }, table.slice(0, 20))
  }
})

t.test('a bad legacy SESSION_TABLE_NAME is named as such', async (t) => {
  const error = configError({ ARC_ENV: 'testing', SESSION_TABLE_NAME: 'app/sessions' })
  t.strictSame([error.variable, error.message], ['SESSION_TABLE_NAME', "SESSION_TABLE_NAME: 'app/sessions' is neither 'jwe' nor a DynamoDB table name; use 'jwe' or the @tables name, e.g. 'sessions'"])
})

t.test('a cookie domain that is not a domain name says what one looks like', async (t) => {
  const current = configError({ ARC_ENV: 'testing', ARC_SESSION_DOMAIN: 'example.com/app' })
  t.strictSame([current.variable, current.message], ['ARC_SESSION_DOMAIN', "ARC_SESSION_DOMAIN: 'example.com/app' is not a domain name; e.g. example.com, or leave it unset"])
  const legacy = configError({ ARC_ENV: 'testing', SESSION_DOMAIN: 'exa mple.com' })
  t.strictSame([legacy.variable, legacy.message], ['SESSION_DOMAIN', "SESSION_DOMAIN: 'exa mple.com' is not a domain name; e.g. example.com, or leave it unset"])
})
