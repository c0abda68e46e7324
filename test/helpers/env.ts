/** Runs `fn` with extra environment variables, then puts process.env back as it was. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = { ...process.env }
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) Reflect.deleteProperty(process.env, key)
    else process.env[key] = value
  }
  try {
    return await fn()
  } finally {
    process.env = saved
  }
}

/** Every variable that steers sessions, unset: the start of each case. */
export const CLEAN_SESSION_ENV: Record<string, undefined> = {
  ARC_ENV: undefined,
  ARC_APP_NAME: undefined,
  ARC_APP_SECRET: undefined,
  ARC_APP_SECRET_ALGO: undefined,
  ARC_APP_SECRET_PREVIOUS: undefined,
  ARC_FORCE_LEGACY_JWE_SECRET: undefined,
  ARC_SESSION_TABLE_NAME: undefined,
  SESSION_TABLE_NAME: undefined,
  ARC_SESSION_DOMAIN: undefined,
  SESSION_DOMAIN: undefined,
  ARC_SESSION_SAME_SITE: undefined,
  ARC_SESSION_TTL: undefined,
  SESSION_TTL: undefined,
}
