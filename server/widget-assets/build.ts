import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type BuildOptions } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../widget')

export interface BuiltWidget {
  loader: { code: string; etag: string; gzipBytes: number }
  /**
   * The app's entry module; `code` and `gzipBytes` count what the first click downloads: the entry
   * and the chunks it imports statically.
   */
  app: { file: string; code: string; gzipBytes: number }
  /** Every file of the app (entry, shared and lazy chunks) by name, served under /widget/. */
  files: Map<string, string>
  /** Gzip size of the chunks loaded only when a rarely opened screen is (e.g. "Meus dados"). */
  lazyGzipBytes: number
}

/** The esbuild settings of every browser bundle the server builds (the widget, the merchant panel). */
export const browserBundle: BuildOptions = {
  bundle: true,
  minify: true,
  write: false,
  format: 'iife',
  // Browsers of the last ~5 years; Loja Integrada storefronts are visited mostly on phones.
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'silent',
}

/**
 * Builds the widget in memory with esbuild: the app first, as ES modules with code splitting
 * (screens a shopper rarely opens, like "Meus dados", are chunks of their own, fetched on the
 * first visit: the 20 KB budget is for what every shopper downloads), then the loader with the
 * entry's name baked in. Every name carries a content hash, so files are cached for a year. Takes
 * a fraction of a second, so the server builds at start and `npm start` needs no build step.
 */
export async function buildWidget(): Promise<BuiltWidget> {
  const app = await build({
    ...browserBundle,
    entryPoints: { app: path.join(root, 'app/main.tsx') },
    format: 'esm',
    splitting: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    // An outdir names the outputs; nothing is written.
    outdir: '/widget-build',
    metafile: true,
  })
  const files = new Map(app.outputFiles!.map((f) => [path.basename(f.path), f.text]))
  const outputs = app.metafile!.outputs
  const entry = Object.keys(outputs).find((o) => outputs[o]!.entryPoint)!
  const appFile = path.basename(entry)
  // What the entry pulls in statically is part of the first download; dynamic imports are not.
  const initial = new Set<string>()
  const visit = (out: string) => {
    if (initial.has(out)) return
    initial.add(out)
    for (const i of outputs[out]!.imports) if (i.kind === 'import-statement') visit(i.path)
  }
  visit(entry)
  const gz = (code: string) => gzipSync(code, { level: 9 }).length
  let initialGzip = 0
  let lazyGzip = 0
  for (const out of Object.keys(outputs)) {
    const size = gz(files.get(path.basename(out))!)
    if (initial.has(out)) initialGzip += size
    else lazyGzip += size
  }
  const loader = await build({
    ...browserBundle,
    entryPoints: [path.join(root, 'loader.ts')],
    define: { __APP_FILE__: JSON.stringify(appFile) },
  })
  const loaderCode = loader.outputFiles![0]!.text
  return {
    loader: {
      code: loaderCode,
      etag: `"${createHash('sha256').update(loaderCode).digest('hex').slice(0, 16)}"`,
      gzipBytes: gz(loaderCode),
    },
    app: {
      file: appFile,
      code: [...initial].map((o) => files.get(path.basename(o))!).join('\n'),
      gzipBytes: initialGzip,
    },
    files,
    lazyGzipBytes: lazyGzip,
  }
}

/**
 * A build done once per process, on first use; a failed build is logged and retried on the next
 * request instead of being cached.
 */
export function buildOnce<T>(build: () => Promise<T>, onError: (err: unknown) => void): () => Promise<T> {
  let built: Promise<T> | null = null
  return () =>
    (built ??= build().catch((err) => {
      built = null
      onError(err)
      throw err
    }))
}

/** Size budget of the issue: what a shopper's browser downloads before and after the first click. */
export const BUDGET = { loaderGzipBytes: 3 * 1024, appGzipBytes: 20 * 1024 }
