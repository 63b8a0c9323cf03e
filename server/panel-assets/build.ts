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
 * minified, es2020, no write): the app's script and stylesheet, and the chunks of lazily loaded pages,
 * each named by its content hash so they can be cached for a year; the HTML page names the app's and
 * is revalidated by ETag.
 */
export async function buildPanel(): Promise<BuiltPanel> {
  const result = await build({
    entryPoints: { app: path.join(root, 'main.tsx') },
    ...browserBundle,
    // ES modules with code splitting: a page imported with import() (the dashboard and its
    // charting library) becomes its own chunk, fetched only when that page opens, so the rest of
    // the panel stays as light as it was. Chunks import each other by name, so esbuild names them
    // by content hash itself.
    format: 'esm',
    splitting: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    // An outdir names the outputs (scripts and the CSS they import); nothing is written.
    outdir: '/panel-build',
    metafile: true,
  })
  const assets = new Map<string, BuiltAsset>()
  let script = ''
  let style = ''
  for (const out of result.outputFiles!) {
    const ext = path.extname(out.path)
    const file = path.basename(out.path)
    const type = ext === '.css' ? 'text/css; charset=utf-8' : 'application/javascript; charset=utf-8'
    assets.set(file, { file, code: out.text, type, gzipBytes: gzipSync(out.text, { level: 9 }).length })
    if (file.startsWith('app-')) {
      if (ext === '.css') style = file
      else script = file
    }
  }
  // The chunks the app imports statically (code it shares with lazy pages) are fetched at once,
  // beside the app, instead of after it has been parsed.
  const preload = Object.entries(result.metafile!.outputs)
    .filter(([out]) => path.basename(out) === script)
    .flatMap(([, o]) => o.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path)))
    .map((f) => `<link rel="modulepreload" href="/panel/assets/${f}">\n`)
    .join('')
  // No visible text here: every word the merchant reads comes from panel/i18n.ts.
  const html = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fidelis</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/panel/assets/${style}">
${preload}<script type="module" src="/panel/assets/${script}"></script>
</head>
<body><div id="app"></div></body>
</html>`
  return { html, etag: `"${hash(html)}"`, assets }
}
