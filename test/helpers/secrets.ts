/**
 * Secrets for tests that run a deployed configuration: made as the docs tell operators to make
 * them (`openssl rand -base64 32`, `openssl rand -hex 32`), fresh for every run, so that no test
 * depends on a secret printed anywhere.
 */
import { randomBytes } from 'node:crypto'

/** What `openssl rand -base64 32` prints: 44 characters of base64. */
export function generatedSecret(): string {
  return randomBytes(32).toString('base64')
}

/** What `openssl rand -hex 32` prints: 64 hexadecimal digits. */
export function generatedHexSecret(): string {
  return randomBytes(32).toString('hex')
}
