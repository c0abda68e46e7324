/**
 * The time, as the session core reads it: epoch milliseconds. The adapter takes one as an option
 * (`http(handler, { clock })`) and reads it once per attempt, and both stores are handed that
 * reading on every call (`load(cookie, nowMs)`, `save(loaded, data, nowMs)`), so one injected clock
 * decides every lifetime, every `iat`, `_ttl` and `_created`, and the cookie's Expires alike.
 */
export type Clock = () => number

export const systemClock: Clock = () => Date.now()
