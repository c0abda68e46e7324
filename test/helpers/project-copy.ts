/**
 * A copy of the project as a fresh clone has it (no .build), in test/.tmp, that a test may edit
 * and start with `npm start`; node_modules is this project's own, linked.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import type { Test } from 'tap'
import { PROJECT_ROOT } from './sandbox'

/** What a clone holds that `npm start` reads. */
const PROJECT_FILES = ['app.arc', 'prefs.arc', 'package.json', 'tsconfig.json', 'esbuild.config.js', 'src', 'public', 'scripts']

export function projectCopy(t: Pick<Test, 'teardown'>): string {
  const parent = path.join(PROJECT_ROOT, 'test', '.tmp')
  mkdirSync(parent, { recursive: true })
  const copy = mkdtempSync(path.join(parent, 'project-'))
  for (const file of PROJECT_FILES) cpSync(path.join(PROJECT_ROOT, file), path.join(copy, file), { recursive: true })
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'))
  t.teardown(() => rmSync(copy, { recursive: true, force: true }))
  return copy
}
