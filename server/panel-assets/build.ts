import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { browserBundle } from '../widget-assets/build.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../panel')

export interface BuiltAsset {
  file: string
  code: string
  type: string
  gzipBytes: number
}

export interface BuiltPanel {
  /** The page every `/panel/…` path answers with (the app routes on the client). */
  html: string
  etag: string
  /** Content-hashed files by name, served immutable. */
  assets: Map<string, BuiltAsset>
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12)

/**
 * Builds the merchant panel in memory with the widget's esbuild settings (Preact automatic JSX,
 * minified, es2020, no write): one script and one stylesheet, each named by its content hash so they can
 * be cached for a year; the HTML page names them and is revalidated by ETag.
 */
export async function buildPanel(): Promise<BuiltPanel> {
  const result = await build({
    entryPoints: { app: path.join(root, 'main.tsx') },
    ...browserBundle,
    // An outdir names the two outputs (script and the CSS it imports); nothing is written.
    outdir: '/panel-build',
  })
  const assets = new Map<string, BuiltAsset>()
  let script = ''
  let style = ''
  for (const out of result.outputFiles!) {
    const ext = path.extname(out.path)
    const file = `app-${hash(out.text)}${ext}`
    const type = ext === '.css' ? 'text/css; charset=utf-8' : 'application/javascript; charset=utf-8'
    assets.set(file, { file, code: out.text, type, gzipBytes: gzipSync(out.text, { level: 9 }).length })
    if (ext === '.css') style = file
    else script = file
  }
  // No visible text here: every word the merchant reads comes from panel/i18n.ts.
  const html = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fidelis</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/panel/assets/${style}">
<script defer src="/panel/assets/${script}"></script>
</head>
<body><div id="app"></div></body>
</html>`
  return { html, etag: `"${hash(html)}"`, assets }
}
