/**
 * `npm run mutate`: StrykerJS over the session core (stryker.config.mjs), then the score and every
 * surviving mutant written to bench/MUTATION.md with the date, the machine and the command. Not
 * part of `npm test` or CI: it runs the unit tests once per mutant (docs/testing.md#mutation-testing).
 *
 * `npm run mutate -- --report-only` rewrites bench/MUTATION.md from the last run's JSON report.
 * Incremental: Stryker keeps every result in bench/mutation/incremental.json and, on the next run,
 * tests again only the mutants whose code or covering tests changed.
 */
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const REPORT_JSON = path.join(ROOT, 'reports', 'mutation', 'mutation.json')
const SURVIVORS = path.join(ROOT, 'bench', 'mutation', 'survivors.json')
const OUTPUT = path.join(ROOT, 'bench', 'MUTATION.md')
/** Property tests run 300 cases each instead of 10,000: every covering test file runs once per mutant. */
const FC_RUNS = '300'

type Status = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending'

interface Mutant {
  readonly id: string
  readonly mutatorName: string
  readonly replacement?: string
  readonly status: Status
  readonly statusReason?: string
  readonly location: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } }
}

interface Report {
  readonly files: Record<string, { readonly source: string; readonly mutants: readonly Mutant[] }>
}

/** What each surviving mutant means, keyed by `survivorKey`: kept in a committed file, so it outlives line numbers. */
type Explanations = Record<string, string>

function main(): void {
  const reportOnly = process.argv.includes('--report-only')
  let seconds: number | undefined
  // How busy the machine was as the run began: mutants that time out are counted as killed, so a loaded machine can flatter the score.
  let loadAtStart: number | undefined
  if (!reportOnly) {
    loadAtStart = loadavg()[0]
    const started = Date.now()
    const run = spawnSync('npx', ['stryker', 'run'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FC_RUNS } })
    seconds = Math.round((Date.now() - started) / 1000)
    if (run.status !== 0) {
      console.error(`stryker run failed (exit ${run.status})`)
      process.exit(run.status ?? 1)
    }
  }
  const report = JSON.parse(readFileSync(REPORT_JSON, 'utf8')) as Report
  const explanations = JSON.parse(readFileSync(SURVIVORS, 'utf8')) as Explanations
  const markdown = render(report, explanations, { seconds, loadAtStart })
  writeFileSync(OUTPUT, markdown)
  console.log(`wrote ${path.relative(ROOT, OUTPUT)}`)
}

/** The mutated source text, on one line. */
function original(source: string, mutant: Mutant): string {
  const lines = source.split('\n')
  const { start, end } = mutant.location
  const text =
    start.line === end.line
      ? lines[start.line - 1]!.slice(start.column - 1, end.column - 1)
      : [lines[start.line - 1]!.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]!.slice(0, end.column - 1)].join(' ')
  return oneLine(text)
}

function oneLine(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** Stable across edits elsewhere in the file: the file, the mutator, what was mutated and into what. */
export function survivorKey(file: string, source: string, mutant: Mutant): string {
  return `${file} | ${mutant.mutatorName} | ${original(source, mutant)} => ${oneLine(mutant.replacement ?? '')}`
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`
}

interface RunFacts {
  readonly seconds: number | undefined
  readonly loadAtStart: number | undefined
}

function render(report: Report, explanations: Explanations, { seconds, loadAtStart }: RunFacts): string {
  const count = (mutants: readonly Mutant[], ...statuses: Status[]) => mutants.filter((m) => statuses.includes(m.status)).length
  const all = Object.values(report.files).flatMap((f) => f.mutants)
  const detected = count(all, 'Killed', 'Timeout')
  const valid = detected + count(all, 'Survived', 'NoCoverage')
  const rows = Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { mutants }]) => {
      const d = count(mutants, 'Killed', 'Timeout')
      const v = d + count(mutants, 'Survived', 'NoCoverage')
      return `| ${file.replace('src/shared/session/', '')} | ${percent(d, v)} | ${count(mutants, 'Killed')} | ${count(mutants, 'Timeout')} | ${count(mutants, 'Survived')} | ${count(mutants, 'NoCoverage')} | ${count(mutants, 'CompileError', 'RuntimeError')} | ${count(mutants, 'Ignored')} |`
    })

  const survivors: string[] = []
  const unexplained: string[] = []
  const survivorKeys = new Set<string>()
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    for (const mutant of mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage').sort((a, b) => a.location.start.line - b.location.start.line)) {
      const key = survivorKey(file, source, mutant)
      survivorKeys.add(key)
      const why = explanations[key]
      const what = `\`${file.replace('src/shared/session/', '')}:${mutant.location.start.line}\` ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no test runs it)' : ''}: \`${original(source, mutant)}\` → \`${oneLine(mutant.replacement ?? '')}\``
      survivors.push(`- ${what}: ${why ?? '**not explained yet**'}`)
      if (!why) unexplained.push(key)
    }
  }
  if (unexplained.length > 0) {
    console.error(`${unexplained.length} survivors have no explanation in bench/mutation/survivors.json; their keys:`)
    for (const key of unexplained) console.error(JSON.stringify(key))
  }
  const stale = Object.keys(explanations).filter((key) => !survivorKeys.has(key))
  if (stale.length > 0) {
    console.error(`${stale.length} explanations in bench/mutation/survivors.json match no surviving mutant any more (killed now, or the code moved); remove them:`)
    for (const key of stale) console.error(JSON.stringify(key))
  }

  const cpu = cpus()
  return [
    '# Mutation testing: the session core',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu.length} cores (\`nproc\`), ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${process.platform} ${process.arch}${loadAtStart === undefined ? '' : `, load average ${loadAtStart.toFixed(2)} as the run began`}`,
    `- Command: \`npm run mutate\` (StrykerJS 10, stryker.config.mjs: tap runner, TypeScript checker, per-test-file coverage, incremental; property tests at FC_RUNS=${FC_RUNS})${seconds === undefined ? '' : `, ${Math.round(seconds / 60)} minutes`}`,
    '',
    `**${percent(detected, valid)} of mutants killed** (${detected} of ${valid}: killed or timed out, over killed, timed out, survived and not covered).`,
    `Not counted: ${count(all, 'CompileError', 'RuntimeError')} mutants that do not compile (refused by the TypeScript checker) and ${count(all, 'Ignored')} static mutants (module-level constants: Stryker would have to run the whole suite for each; stryker.config.mjs says why they are ignored).`,
    '',
    '| file | killed | killed (n) | timed out | survived | no coverage | do not compile | static, not run |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '## Every surviving mutant, and why it is left',
    '',
    survivors.length === 0 ? 'None.' : survivors.join('\n'),
    '',
  ].join('\n')
}

if (require.main === module) main()
