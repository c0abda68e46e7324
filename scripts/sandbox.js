// `npm start`: Architect's Sandbox (`arc sandbox`, with any arguments given after `npm start --`),
// quiet when all is well. Two things would otherwise print on a machine with nothing wrong:
// - With no AWS credentials configured (usual for local work, where none are needed), the Sandbox's
//   credential lookup ends by probing the EC2 instance-metadata address, and where that address
//   answers but is not EC2 it prints a misleading "Failed to load credentials via ECS IMDSv2".
//   AWS_EC2_METADATA_DISABLED stops that probe; a value you set yourself is kept.
// - Sandbox 9 starts every function with `shell: true`, which Node 24 reports once per process as
//   deprecated (DEP0190): package.json's start script runs this file with that one warning off.
// And Architect's update notice is off (NO_UPDATE_NOTIFIER): this project pins its Architect version
// in package.json, so a newer release is news for its maintainers, not for someone running the app.
const path = require('node:path')

process.env['AWS_EC2_METADATA_DISABLED'] ??= 'true'
process.env['NO_UPDATE_NOTIFIER'] ??= '1'
const architect = path.dirname(require.resolve('@architect/architect/package.json'))
const arc = require(path.join(architect, require('@architect/architect/package.json').bin.arc))
arc(['sandbox', ...process.argv.slice(2)]).then((/** @type {boolean} */ ok) => {
  if (!ok) process.exitCode = 1
})
