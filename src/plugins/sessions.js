// The app's own Architect plugin (app.arc: @plugins sessions).
//
// sandbox.start: the Sandbox runs every request in a new process, so a notice the session core
// gave once per process would print on every request. What is worth saying about the local
// configuration is said here instead, once per `npm start`, and the core stays quiet under the
// Sandbox (src/shared/session/config.ts).
//
// deploy.start: every function learns the physical names of the app's tables from its environment
// (TABLE_NAMES_VARIABLE), so that a deployed function in DynamoDB mode finds its sessions table
// without a call to SSM and without loading an SSM client on its first request. The value is the
// same mapping that Architect publishes for service discovery (an SSM parameter per table), taken
// from those parameters, so the two cannot disagree; discovery through SSM stays the fallback.
const DEV_KEY_NOTICE =
  '[session] ARC_APP_SECRET is not set: sessions use the public development key, which is allowed only under ARC_ENV=testing (set one in prefs.arc @env to try a real secret)'

/** The variable's name; src/shared/session/table-discovery.ts reads it. */
const TABLE_NAMES_VARIABLE = 'ARC_TABLE_NAMES'

/**
 * `{ logical name: CloudFormation value of the physical name }` for every table Architect publishes
 * under `/${AWS::StackName}/tables/<name>` (@architect/package: one AWS::SSM::Parameter per table).
 */
function publishedTables(cloudformation) {
  const tables = {}
  for (const resource of Object.values(cloudformation.Resources)) {
    const sub = resource.Type === 'AWS::SSM::Parameter' ? resource.Properties?.Name?.['Fn::Sub'] : undefined
    if (Array.isArray(sub) && sub[0] === '/${AWS::StackName}/tables/${tablename}') tables[sub[1].tablename] = resource.Properties.Value
  }
  return tables
}

/**
 * The mapping as one JSON object (`{"sessions":"MyAppProduction-SessionsTable-1ABC"}`), joined by
 * CloudFormation at deploy time. Table names hold only [A-Za-z0-9_.-], so nothing needs escaping
 * beyond JSON.stringify of the logical names.
 */
function tableNamesValue(tables) {
  const parts = ['{']
  Object.entries(tables).forEach(([name, physical], i) => parts.push(`${i ? ',' : ''}${JSON.stringify(name)}:"`, physical, '"'))
  parts.push('}')
  return { 'Fn::Join': ['', parts] }
}

module.exports = {
  sandbox: {
    async start({ inventory }) {
      // The variables the Sandbox gives functions: prefs.arc's (or .env's) block for this ARC_ENV.
      const arcEnv = process.env.ARC_ENV || 'testing'
      const env = inventory.inv._project.env.local?.[arcEnv] ?? {}
      if (arcEnv === 'testing' && !env.ARC_APP_SECRET) console.warn(DEV_KEY_NOTICE)
    },
  },
  deploy: {
    async start({ cloudformation }) {
      const tables = publishedTables(cloudformation)
      if (Object.keys(tables).length === 0) return cloudformation
      const value = tableNamesValue(tables)
      for (const resource of Object.values(cloudformation.Resources)) {
        if (resource.Type !== 'AWS::Serverless::Function') continue
        const properties = resource.Properties
        properties.Environment ??= {}
        properties.Environment.Variables ??= {}
        properties.Environment.Variables[TABLE_NAMES_VARIABLE] = value
      }
      return cloudformation
    },
  },
}
