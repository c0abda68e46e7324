// Makes the V8 code cache of a bundled DynamoDB part (src/shared/session/build/aws-sdk-code-cache.js says why and
// how it is used). Run at build time by src/shared/session/build/aws-sdk-parts.js, in a child process started
// with the V8 flags of the target (Lambda's Node bootstrap passes `--expose-gc`, which changes
// V8's tag): `node [flags] aws-sdk-make-code-cache.js <part file>`.
//
// It loads the part exactly as a function does, then runs what a session's requests run, a
// GetItem, a PutItem (and one refused by its condition) and a DeleteItem, against a stand-in on
// the loopback interface that answers as DynamoDB does, so that the functions these compile are
// in the cache; then writes `<part>.<tag>.v8cache` (the source's key first) and prints its path.
const { Buffer } = require('node:buffer')
const { readFileSync, writeFileSync } = require('node:fs')
const http = require('node:http')
const v8 = require('node:v8')
const { cacheFileFor, compilePart, runPart, sourceKey } = require('./aws-sdk-code-cache')

/**
 * DynamoDB's answers (JSON 1.0) to what the session store asks.
 * @param {string} target the request's X-Amz-Target
 * @param {{ Key: { _idx: { S: string } }, ConditionExpression?: string }} body
 * @returns {[number, object]}
 */
function answer(target, body) {
  if (target.endsWith('.GetItem')) return [200, { Item: { _idx: { S: body.Key._idx.S }, session: { S: '{"count":1}' }, _ttl: { N: '2000000000' } } }]
  if (target.endsWith('.PutItem') && body.ConditionExpression === 'attribute_not_exists(#id)') return [200, {}]
  if (target.endsWith('.PutItem')) return [400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' }]
  if (target.endsWith('.DeleteItem')) return [200, {}]
  return [400, { __type: 'com.amazon.coral.validate#ValidationException', message: `not expected: ${target}` }]
}

/** @param {string | undefined} file the part */
async function main(file) {
  if (file === undefined) throw new Error('usage: node aws-sdk-make-code-cache.js <part file>')
  const source = readFileSync(file, 'utf8')
  const script = compilePart(file, source)
  const { DynamoDBClient, GetItemCommand, PutItemCommand, DeleteItemCommand } = /** @type {typeof import('@aws-sdk/client-dynamodb')} */ (runPart(script, file))

  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const [status, body] = answer(String(req.headers['x-amz-target']), JSON.parse(Buffer.concat(chunks).toString('utf8')))
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'code-cache' })
      res.end(JSON.stringify(body))
    })
  })
  /** @type {import('node:net').AddressInfo} */
  const address = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(/** @type {import('node:net').AddressInfo} */ (server.address()))))
  // As a deployed function makes it (src/shared/session/providers/ddb/client.ts): credentials and region
  // from the environment, keep-alive, the same timeouts and attempts; only the endpoint is local.
  process.env['AWS_ACCESS_KEY_ID'] = 'ASIACODECACHE'
  process.env['AWS_SECRET_ACCESS_KEY'] = 'code-cache-secret'
  process.env['AWS_SESSION_TOKEN'] = 'code-cache-token'
  process.env['AWS_REGION'] = 'us-west-2'
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${address.port}`,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 1500, throwOnRequestTimeout: true, httpAgent: new http.Agent({ keepAlive: true }) },
  })
  const table = 'code-cache-sessions'
  const Key = { _idx: { S: 'code-cache-id' } }
  await client.send(new GetItemCommand({ TableName: table, Key, ConsistentRead: true }))
  const Item = { ...Key, session: { S: '{"count":2}' }, _ttl: { N: '2000000000' } }
  await client.send(new PutItemCommand({ TableName: table, Item, ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': '_idx' } }))
  const refused = await client
    .send(new PutItemCommand({ TableName: table, Item, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': '_v' }, ExpressionAttributeValues: { ':v': { N: '1' } } }))
    .then(
      () => undefined,
      /** @param {unknown} error */ (error) => error,
    )
  const refusedName = refused instanceof Error ? refused.name : String(refused)
  if (refusedName !== 'ConditionalCheckFailedException') throw new Error(`the refused PutItem gave ${refusedName}`)
  await client.send(new DeleteItemCommand({ TableName: table, Key }))
  client.destroy()
  server.close()

  const out = cacheFileFor(file, v8.cachedDataVersionTag())
  writeFileSync(out, Buffer.concat([sourceKey(source), script.createCachedData()]))
  process.stdout.write(out)
}

main(process.argv[2]).catch((/** @type {unknown} */ error) => {
  console.error(error)
  process.exit(1)
})
