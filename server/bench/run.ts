import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` one. Each prints exactly one
 * compact JSON line per run on stdout (`{"bench":"<name>",…}`); progress goes to stderr.
 */
const benches: Record<string, () => Promise<void>> = {
  ledger: async () => (await import('./ledger.ts')).run(),
  sync: async () => (await import('./sync.ts')).run(),
  feed: async () => (await import('./feed.ts')).run(),
  redeem: async () => (await import('./redeem.ts')).run(),
  fleet: async () => (await import('./fleet.ts')).run(),
  'widget-api': async () => (await import('./widget-api.ts')).run(),
  widget: async () => (await import('./widget.ts')).run(),
  dashboard: async () => (await import('./dashboard.ts')).run(),
  tiers: async () => (await import('./tiers.ts')).run(),
}

/**
 * `--mode cashback` (or `--mode=cashback`, or BENCH_MODE=cashback): benchmarks that create a
 * program create a cashback one (issue 18; `sync` prints `"mode"`). Passed on to the child
 * processes through the environment.
 */
const args = process.argv.slice(2)
const wanted: string[] = []
for (let i = 0; i < args.length; i++) {
  const a = args[i]!
  if (a === '--mode') process.env.BENCH_MODE = args[++i] ?? ''
  else if (a.startsWith('--mode=')) process.env.BENCH_MODE = a.slice('--mode='.length)
  else wanted.push(a)
}
if (process.env.BENCH_MODE && !['points', 'cashback'].includes(process.env.BENCH_MODE)) {
  console.error(`--mode: points or cashback, not ${process.env.BENCH_MODE}`)
  process.exit(2)
}
const unknown = wanted.filter((w) => !benches[w])
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`)
  process.exit(2)
}
const names = wanted.length ? wanted : Object.keys(benches)
if (names.length === 1) {
  await benches[names[0]!]!()
} else {
  // Each benchmark in a fresh process: one that ran before (PGlite's WASM heap, caches, garbage
  // V8 keeps) would otherwise count in the next one's peak RSS and compete for its CPU.
  for (const name of names) {
    const res = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
      env: process.env,
      stdio: 'inherit',
    })
    if (res.status !== 0) process.exit(res.status ?? 1)
  }
}
process.exit(0)
