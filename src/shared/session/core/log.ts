/**
 * The core's only way to log. One line per event, and never a secret or a cookie value:
 * callers pass a fixed message and, at most, an error's name and message.
 */
const said = new Set<string>()

export function logLine(level: 'warn' | 'error', message: string): void {
  console[level](`[session] ${message}`)
}

/** Logs a message the first time it is seen in this process (configuration problems, warnings). */
export function logOnce(level: 'warn' | 'error', message: string): void {
  if (said.has(message)) return
  said.add(message)
  logLine(level, message)
}

/** What an unexpected error may say in a log: its name, code and message, not its payload. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`
  }
  return String(error)
}
