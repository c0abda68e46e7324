/**
 * Reading the project's own docs in tests, so that what a page tells a reader to write is what a
 * test runs or compares (docs/use-the-core.md, docs/add-a-route.md, docs/guarantees.md).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from './sandbox'

export function readDoc(name: string, root: string = PROJECT_ROOT): string {
  return readFileSync(path.join(root, 'docs', name), 'utf8')
}

/** The text under a `##` (or deeper) heading, up to the next heading of the same level or higher. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => /^#{2,6} /.test(line) && line.replace(/^#+ /, '') === heading)
  if (start === -1) throw new Error(`no heading "${heading}"`)
  const level = /^#+/.exec(lines[start]!)![0].length
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}} `).test(line))
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n')
}

export interface CodeBlock {
  /** The info string's first word: `ts`, `arc`, `json`. */
  readonly lang: string
  readonly code: string
  /** The prose line just before the block (the one that says what it is, or where it goes). */
  readonly caption: string
}

/** The fenced code blocks of `markdown`, in order; only those in `lang` when given. */
export function codeBlocks(markdown: string, lang?: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const pattern = /^```(\w*)[^\n]*\n([\s\S]*?)^```$/gm
  for (const match of markdown.matchAll(pattern)) {
    const before = markdown.slice(0, match.index).trimEnd().split('\n')
    const block = { lang: match[1] ?? '', code: match[2] ?? '', caption: before[before.length - 1] ?? '' }
    if (lang === undefined || block.lang === lang) blocks.push(block)
  }
  return blocks
}
