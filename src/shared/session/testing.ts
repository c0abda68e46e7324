/**
 * Hooks for tests, apart from the public API: a test that changes the environment between cases
 * reads the configuration again with `resetConfig()`, or checks one with `loadConfig(env)`.
 */
export { loadConfig, resetConfig } from './core/config'
