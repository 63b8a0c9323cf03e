export {}

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` one. Each prints exactly one
 * compact JSON line per run on stdout (`{"bench":"<name>",…}`); progress goes to stderr.
 */
const benches: Record<string, () => Promise<void>> = {
  ledger: async () => (await import('./ledger.ts')).run(),
  sync: async () => (await import('./sync.ts')).run(),
  feed: async () => (await import('./feed.ts')).run(),
  redeem: async () => (await import('./redeem.ts')).run(),
  'widget-api': async () => (await import('./widget-api.ts')).run(),
  widget: async () => (await import('./widget.ts')).run(),
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((w) => !benches[w])
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`)
  process.exit(2)
}
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  await benches[name]!()
}
process.exit(0)
