// deploy.start for the session core's Architect plugin (./plugin.js): every function learns the physical
// names of the app's tables from its environment, ARC_TABLE_NAMES, so that a deployed function in
// DynamoDB mode finds its sessions table without a call to SSM, and without loading an SSM client,
// on its first request (src/shared/session/providers/ddb/table-name/environment.ts reads it). The value is the mapping
// that Architect publishes for service discovery, an SSM parameter per table, taken from those
// parameters, so the two cannot disagree; discovery through SSM stays the fallback.

/**
 * The parts of the CloudFormation template (as @architect/package makes it) that are read or written here.
 * @typedef {{ 'Fn::Sub'?: unknown }} NameValue
 * @typedef {{ Name?: NameValue, Value?: unknown, Environment?: { Variables?: Record<string, unknown> } }} ResourceProperties
 * @typedef {{ Type: string, Properties: ResourceProperties }} Resource
 * @typedef {{ Resources: Record<string, Resource> }} Template
 */

/** The variable's name, as src/shared/session/providers/ddb/table-name/environment.ts reads it. */
const TABLE_NAMES_VARIABLE = 'ARC_TABLE_NAMES'

/**
 * `{ logical name: CloudFormation value of the physical name }` for every table Architect publishes
 * under `/${AWS::StackName}/tables/<name>` (@architect/package: one AWS::SSM::Parameter per table).
 * @param {Template} cloudformation
 * @returns {Record<string, unknown>}
 */
function publishedTables(cloudformation) {
  /** @type {Record<string, unknown>} */
  const tables = {}
  for (const resource of Object.values(cloudformation.Resources)) {
    const sub = resource.Type === 'AWS::SSM::Parameter' ? resource.Properties?.Name?.['Fn::Sub'] : undefined
    if (Array.isArray(sub) && sub[0] === '/${AWS::StackName}/tables/${tablename}') tables[sub[1].tablename] = resource.Properties.Value
  }
  return tables
}

/**
 * The mapping as one JSON object (`{"sessions":"MyAppProduction-SessionsTable-1ABC"}`), which
 * CloudFormation joins at deploy time. Table names hold only [A-Za-z0-9_.-]: nothing to escape
 * beyond JSON.stringify of the logical names.
 * @param {Record<string, unknown>} tables
 */
function tableNamesValue(tables) {
  /** @type {unknown[]} */
  const parts = ['{']
  Object.entries(tables).forEach(([name, physical], i) => parts.push(`${i ? ',' : ''}${JSON.stringify(name)}:"`, physical, '"'))
  parts.push('}')
  return { 'Fn::Join': ['', parts] }
}

/**
 * Adds ARC_TABLE_NAMES to every function of the template; returns the template.
 * @param {Template} cloudformation
 */
function addTableNames(cloudformation) {
  const tables = publishedTables(cloudformation)
  if (Object.keys(tables).length === 0) return cloudformation
  const value = tableNamesValue(tables)
  for (const resource of Object.values(cloudformation.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue
    resource.Properties.Environment ??= {}
    resource.Properties.Environment.Variables ??= {}
    resource.Properties.Environment.Variables[TABLE_NAMES_VARIABLE] = value
  }
  return cloudformation
}

module.exports = { addTableNames }
