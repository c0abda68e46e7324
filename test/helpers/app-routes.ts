/**
 * The app's HTTP routes as app.arc declares them, read by Architect's own parser
 * (@architect/inventory): tests that cover every route follow app.arc, so a route added the way
 * docs/development.md ("Add a route") says is covered without editing a test.
 */
import path from 'node:path'
import inventory from '@architect/inventory'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { HttpResult } from '../../src/shared/session'
import { PROJECT_ROOT } from './sandbox'

export interface AppRoute {
  /** Upper case, as API Gateway and the template name it: `GET`. */
  readonly method: string
  /** `/`, `/count` */
  readonly path: string
  /** The function's folder under src/http/ (and .build/http/): `get-index`, `post-count`. */
  readonly folder: string
  /** `GET /`, as the template's events and the tests' messages name a route. */
  readonly name: string
  /** The folder's absolute path. */
  readonly src: string
}

export async function appRoutes(cwd: string = PROJECT_ROOT): Promise<AppRoute[]> {
  const { inv } = await inventory({ cwd })
  return inv.http.map((lambda) => {
    const method = lambda.method.toUpperCase()
    return { method, path: lambda.path, folder: path.basename(lambda.src), name: `${method} ${lambda.path}`, src: lambda.src }
  })
}

export interface AppHandler extends AppRoute {
  readonly handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>
}

/** Every route with its handler, loaded from its `src/http/<folder>/index.ts`, for tests that call them all directly. */
export async function appHandlers(cwd: string = PROJECT_ROOT): Promise<AppHandler[]> {
  return (await appRoutes(cwd)).map((route) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the route's module, named by app.arc
    const { handler } = require(route.src) as Pick<AppHandler, 'handler'>
    return { ...route, handler }
  })
}

/** The methods API Gateway routes, for tests that try the ones an app.arc path does not declare. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const
