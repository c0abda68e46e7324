// Ambient types for untyped packages the tests use.
declare module '@architect/sandbox' {
  interface StartOptions {
    cwd?: string
    port?: number
    quiet?: boolean
    env?: Record<string, string>
  }
  const sandbox: { start(options?: StartOptions): Promise<string>; end(): Promise<string> }
  export default sandbox
}

declare module 'tiny-json-http' {
  interface Options {
    url: string
    data?: unknown
    headers?: Record<string, string>
    buffer?: boolean
  }
  interface Result {
    body: unknown
    headers: Record<string, string | string[] | undefined>
  }
  const tiny: {
    get(options: Options): Promise<Result>
    post(options: Options): Promise<Result>
    put(options: Options): Promise<Result>
    del(options: Options): Promise<Result>
  }
  export default tiny
}

declare module 'process-on-spawn' {
  const onSpawn: { removeAllListeners(): void }
  export = onSpawn
}

declare module '@architect/functions' {
  interface ArcHttp {
    (handler: (req: never) => Promise<unknown>): (event: unknown) => Promise<unknown>
    session: {
      read(req: { headers?: Record<string, string>; cookies?: string[] }): Promise<Record<string, unknown>>
      write(session: Record<string, unknown>): Promise<string>
    }
  }
  const arc: { http: ArcHttp }
  export default arc
}

declare module 'node-webtokens' {
  const jwt: { generate(alg: string, ...rest: unknown[]): string }
  export default jwt
}

declare module 'autocannon' {
  interface Options {
    url: string
    method?: string
    headers?: Record<string, string>
    connections?: number
    duration?: number
  }
  interface Result {
    requests: { average: number; total: number }
    latency: { p50: number; p99: number }
    non2xx: number
    errors: number
    statusCodeStats: Record<string, { count: number }>
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}

declare module '@architect/inventory' {
  interface DeployStartPlugin {
    (params: { arc: unknown; cloudformation: unknown; dryRun: boolean; inventory: Inventory; stackName: string; stage: string }): Promise<unknown>
  }
  export interface InventoryLambda {
    name: string
    method: string
    path: string
    src: string
    build?: string
    handlerFile: string
  }
  export interface Inventory {
    inv: {
      _project: { arc: unknown }
      app: string
      http: InventoryLambda[]
      plugins?: { _methods?: { deploy?: { start?: DeployStartPlugin[] } } }
    }
  }
  const inventory: (params: { cwd?: string; deployStage?: string; env?: boolean }) => Promise<Inventory>
  export default inventory
}

declare module '@architect/package' {
  import type { Inventory } from '@architect/inventory'
  /** The CloudFormation (SAM) template for an inventory made with a deploy stage. */
  const pkg: (inventory: Inventory) => unknown
  export default pkg
}

declare module '@aws-lite/dynamodb' {
  /** An @aws-lite/client plugin (bench/fixtures/aws-lite-getitem loads it). */
  const plugin: object
  export default plugin
}
