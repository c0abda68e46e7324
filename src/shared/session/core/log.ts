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

/** Lines of one kind a process logs at most once per this long (a minute). */
export const RATE_WINDOW_MS = 60_000

const windows = new Map<string, { startedMs: number; left: number }>()

/**
 * For problems that anyone outside can cause at will, one request at a time (a refused cross-site
 * post, say): at most one line per kind per minute per process, so a flood of them cannot fill the
 * log (CloudWatch is paid per GB). The first line of a new minute says how many of that kind the
 * last one left out. `nowMs` is injectable for tests.
 */
export function logRateLimited(kind: string, level: 'warn' | 'error', message: string, nowMs: number = Date.now()): void {
  const window = windows.get(kind)
  if (window && nowMs - window.startedMs < RATE_WINDOW_MS) {
    window.left++
    return
  }
  const left = window?.left ?? 0
  windows.set(kind, { startedMs: nowMs, left: 0 })
  logLine(level, left > 0 ? `${message} (and ${left} more like it in the minute before, not logged)` : message)
}

/** Forget what logRateLimited has said (tests that count its lines start from a fresh process's state). */
export function resetLogRates(): void {
  windows.clear()
}
