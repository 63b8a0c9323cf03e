import type { RouteContext } from '../http/route.ts'
import { buildOnce, buildWidget } from './build.ts'

/**
 * Serves the storefront widget: `/widget.js` (the loader stores include; cached 5 minutes so a
 * new release reaches stores soon) and the app's modules `/widget/app-<hash>.js`, `/widget/chunk-<hash>.js`
 * (immutable, cached a year; module scripts need the CORS header on another origin). Built
 * once per process, on first request.
 */
export function registerWidgetAssetRoutes({ app, deps }: RouteContext) {
  const get = buildOnce(buildWidget, (err) => deps.log.error('widget build failed', { err }))
  const js = 'application/javascript; charset=utf-8'

  app.get('/widget.js', async (c) => {
    const w = await get()
    if (c.req.header('if-none-match') === w.loader.etag) return c.body(null, 304, { etag: w.loader.etag })
    return c.body(w.loader.code, 200, {
      'content-type': js,
      'cache-control': 'public, max-age=300',
      etag: w.loader.etag,
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    })
  })
  app.get('/widget/:file', async (c) => {
    const w = await get()
    const code = w.files.get(c.req.param('file'))
    if (code === undefined) return c.json({ error: { code: 'not_found', message: 'Unknown widget file' } }, 404)
    return c.body(code, 200, {
      'content-type': js,
      'cache-control': 'public, max-age=31536000, immutable',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    })
  })
}
