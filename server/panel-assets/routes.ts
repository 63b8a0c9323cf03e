import type { Context } from 'hono'
import type { AppEnv } from '../http/context.ts'
import type { RouteContext } from '../http/route.ts'
import { buildOnce } from '../widget-assets/build.ts'
import { buildPanel } from './build.ts'

/**
 * The panel's own CSP: scripts, styles, API calls and frames only from this server (the preview
 * frame is `/panel/preview/…`, which loads `/widget.js`); images also from https (reward images
 * come from the store's feed). 'unsafe-inline' styles: the widget in the preview writes its CSS
 * into its shadow root with a <style> element.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

/**
 * Serves the merchant panel: `/panel` and every `/panel/…` client route answer the same small
 * HTML page (no cache without revalidation, so a release is picked up at once), which names the
 * content-hashed `/panel/assets/app-<hash>.js|css` (immutable, cached a year). Built once per
 * process, on first request, like the widget.
 */
export function registerPanelAssetRoutes({ app, deps }: RouteContext) {
  const get = buildOnce(buildPanel, (err) => deps.log.error('panel build failed', { err }))

  app.get('/panel/assets/:file', async (c) => {
    const asset = (await get()).assets.get(c.req.param('file'))
    if (!asset) return c.json({ error: { code: 'not_found', message: 'Unknown panel file' } }, 404)
    return c.body(asset.code, 200, {
      'content-type': asset.type,
      'cache-control': 'public, max-age=31536000, immutable',
    })
  })

  const page = async (c: Context<AppEnv>) => {
    const p = await get()
    const headers = {
      etag: p.etag,
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    }
    if (c.req.header('if-none-match') === p.etag) return c.body(null, 304, headers)
    return c.body(p.html, 200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
  }
  app.get('/panel', page)
  app.get('/panel/*', page)
}
