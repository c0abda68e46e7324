/**
 * The app's tables from the function's environment: the app's deploy plugin
 * (src/shared/session/arc/table-names.js) gives every deployed function `ARC_TABLE_NAMES`, so a
 * deployed function needs neither an SSM call nor an SSM client to find its table.
 */
import type { Env } from '../target'
import { SessionConfigError } from '../../../core/errors'
import { isPlainObject } from '../../store'

export interface Table {
  readonly logical: string
  readonly physical: string
}

/** Set by the app's deploy plugin: `{"<logical name>":"<physical name>",...}`. */
const TABLE_NAMES_VARIABLE = 'ARC_TABLE_NAMES'

/** The app's tables as its deploy plugin gives them, or undefined when the variable is not set. */
export function tablesFromEnvironment(env: Env): Table[] | undefined {
  const json = env[TABLE_NAMES_VARIABLE]
  if (json === undefined || json === '') return undefined
  const tables = parseTableNames(json)
  if (tables) return tables
  throw new SessionConfigError(
    TABLE_NAMES_VARIABLE,
    "is not a JSON object of table names; the app's deploy plugin (src/shared/session/arc/table-names.js) sets it: deploy again, or unset it to find tables through SSM",
  )
}

/** `{"sessions":"MyAppProduction-SessionsTable-1ABC"}` as tables; undefined when it is not such an object. */
function parseTableNames(json: string): Table[] | undefined {
  let names: unknown
  try {
    names = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!isPlainObject(names)) return undefined
  const tables = Object.entries(names).map(([logical, physical]) => ({ logical, physical }))
  return tables.every((t): t is Table => typeof t.physical === 'string' && t.physical !== '') ? tables : undefined
}

