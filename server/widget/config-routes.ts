import { ProgramKeyParams, WidgetConfig, widgetConfigDescription } from '../../shared/api/widget.ts'
import { notFound } from '../lib/errors.ts'
import { route } from '../http/route.ts'
import { BASE, type WidgetRouteContext } from './http-routes.ts'

/** The public config may sit in browsers and CDNs this long; settings change rarely. */
const CONFIG_MAX_AGE_SECONDS = 60

/** `If-None-Match` holds our ETag (a list, weak form or `*` included; RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
}

/** The public config the widget loads first. */
export function registerConfigRoute({ app, registry, programs, pub }: WidgetRouteContext) {
  route(
    app,
    registry,
    {
      ...pub,
      method: 'get',
      path: `${BASE}/config`,
      summary: "The program's public settings for the widget",
      description: widgetConfigDescription(CONFIG_MAX_AGE_SECONDS),
      params: ProgramKeyParams,
      responses: { 200: { description: 'Config', schema: WidgetConfig }, 304: { description: 'Not modified' } },
    },
    async (c, { params }) => {
      const program = await programs.get(params.programKey)
      if (!program) throw notFound('Program')
      c.header('ETag', program.etag)
      c.header('Cache-Control', `public, max-age=${CONFIG_MAX_AGE_SECONDS}`)
      if (matches(c.req.header('if-none-match'), program.etag)) return c.body(null, 304)
      return c.body(program.configJson, 200, { 'content-type': 'application/json; charset=UTF-8' })
    },
  )
}
