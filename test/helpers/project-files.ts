/**
 * The project's own files under a folder, for tests that read every doc or source file: what
 * `npm run bench`, the build and the tools leave beside them (bench/.tmp/ with its copy of the app
 * and a link to node_modules, .build/, .tap/, .stryker-tmp-*) is not the project's and is skipped,
 * so those tests read the same files on a fresh clone as after a day's work.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'

/** The project's root folder; helpers that start the Sandbox re-export it from here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..')

function isLeftBehind(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.')
}

/** Paths relative to the project's root, of files (not folders) whose name matches `ext`. */
export function projectFiles(folder: string, ext: RegExp): string[] {
  const found: string[] = []
  for (const entry of readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true })) {
    if (isLeftBehind(entry.name)) continue
    const relative = path.join(folder, entry.name)
    if (entry.isDirectory()) found.push(...projectFiles(relative, ext))
    else if (entry.isFile() && ext.test(entry.name)) found.push(relative)
  }
  return found
}
