import { build } from 'esbuild'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Builds the server into dist/ so production runs on plain `node`, not through tsx: tsx's loader
 * costs ~73 MB of RSS before anything is imported and compiling our sources under it ~70 MB more
 * (measured); the bundle runs in ~40 MB plus what the app really allocates. Only our own code is
 * bundled (`packages: 'external'`): dependencies load from node_modules as usual.
 *
 * Paths computed from `import.meta.url` must land where they do from the sources: in the bundle
 * every module's URL is dist/server/main.js, two levels below the repository root like
 * server/widget-assets/ and server/panel-assets/, so their `../../widget` and `../../panel` reach
 * the same folders; app.ts's `createRequire(import.meta.url)` walks up to node_modules either way.
 * A few hundred ms; `npm start` runs it every time so the bundle is never stale. Files are written
 * then renamed, so a process starting meanwhile (tests, a second `npm start`) never reads half.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export const SERVER_ENTRY = path.join(root, 'dist/server/main.js')

export async function buildServer() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { 'server/main': 'server/main.ts' },
    outdir: 'dist',
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    write: false,
  })
  for (const file of result.outputFiles) {
    await mkdir(path.dirname(file.path), { recursive: true })
    const tmp = `${file.path}.${process.pid}.tmp`
    await writeFile(tmp, file.contents)
    await rename(tmp, file.path)
  }
  return SERVER_ENTRY
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer()
