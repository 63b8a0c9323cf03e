import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type BuildOptions } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../widget')

export interface BuiltWidget {
  loader: { code: string; etag: string; gzipBytes: number }
  app: { file: string; code: string; gzipBytes: number }
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
 * Builds the widget in memory with esbuild: the app first (its content hash names the file, so
 * it can be cached for a year), then the loader with that name baked in. Takes a fraction of a
 * second, so the server builds at start and `npm start` needs no build step.
 */
export async function buildWidget(): Promise<BuiltWidget> {
  const app = await build({ ...browserBundle, entryPoints: [path.join(root, 'app/main.tsx')] })
  const appCode = app.outputFiles![0]!.text
  const hash = createHash('sha256').update(appCode).digest('hex').slice(0, 12)
  const appFile = `app-${hash}.js`
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
      gzipBytes: gzipSync(loaderCode, { level: 9 }).length,
    },
    app: { file: appFile, code: appCode, gzipBytes: gzipSync(appCode, { level: 9 }).length },
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
