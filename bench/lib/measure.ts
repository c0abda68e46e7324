/**
 * Interleaved micro-benchmark rounds: every implementation runs once per round, in a rotating
 * order, so drift on the machine (other load, CPU frequency) lands on all of them alike.
 */
export interface Implementation {
  readonly name: string
  /** One operation (for sessions: a write followed by a read). */
  readonly op: () => unknown
}

export interface Measured {
  readonly name: string
  /** Median over rounds of operations per second. */
  readonly opsPerSecond: number
  readonly opsPerSecondByRound: readonly number[]
  /** Per-operation latency percentiles over all measured operations, in microseconds. */
  readonly p50: number
  readonly p99: number
}

export interface Plan {
  readonly rounds: number
  readonly warmup: number
  readonly operations: number
}

export async function measure(implementations: readonly Implementation[], plan: Plan): Promise<Measured[]> {
  const rates = new Map<string, number[]>(implementations.map((i) => [i.name, []]))
  const latencies = new Map<string, number[]>(implementations.map((i) => [i.name, []]))
  for (let round = 0; round < plan.rounds; round++) {
    for (let k = 0; k < implementations.length; k++) {
      const impl = implementations[(round + k) % implementations.length]!
      for (let i = 0; i < plan.warmup; i++) await impl.op()
      const samples = latencies.get(impl.name)!
      const start = process.hrtime.bigint()
      let last = start
      for (let i = 0; i < plan.operations; i++) {
        await impl.op()
        const now = process.hrtime.bigint()
        samples.push(Number(now - last) / 1000)
        last = now
      }
      const seconds = Number(last - start) / 1e9
      rates.get(impl.name)!.push(plan.operations / seconds)
    }
  }
  return implementations.map(({ name }) => {
    const sorted = [...latencies.get(name)!].sort((a, b) => a - b)
    const byRound = rates.get(name)!
    return {
      name,
      opsPerSecond: median(byRound),
      opsPerSecondByRound: byRound,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
    }
  })
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

/** A Markdown table: ops/s, p50, p99 and the ratio of the floor's throughput to each implementation's. */
export function table(results: readonly Measured[], floorName: string): string {
  const floor = results.find((r) => r.name === floorName)
  const rows = results.map((r) => {
    const ratio = floor ? (floor.opsPerSecond / r.opsPerSecond).toFixed(2) : 'n/a'
    return `| ${r.name} | ${Math.round(r.opsPerSecond).toLocaleString('en-US')} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${ratio} |`
  })
  return ['| implementation | ops/s (median) | p50 µs | p99 µs | × the floor |', '|---|---:|---:|---:|---:|', ...rows].join('\n')
}
