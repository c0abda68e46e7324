/**
 * Hooks for tests, apart from the public API: a test that changes the environment between cases
 * reads the configuration again with `resetConfig()`, or checks one with `loadConfig(env)`; one that
 * counts rate-limited log lines starts from a fresh process's state with `resetLogRates()`.
 */
export { loadConfig, resetConfig } from './core/config'
export { resetLogRates } from './core/log'
