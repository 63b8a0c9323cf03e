import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createProgram } from '../programs/service.ts'
import { importFeed } from '../rewards/feed-import.ts'
import { generateFeed, generatedCounts } from '../rewards/feed/index.ts'
import { setFeedIntegration, startFeedServer } from '../rewards/test-support.ts'
import { createTestApp } from '../test/harness.ts'

const ITEMS = 50_000
const MB = 1024 * 1024

/**
 * Imports a generated 50 000-item Google Shopping feed through the real import path: downloaded
 * over HTTP from a local server, parsed as a stream, staged, applied in one transaction. Then
 * the same feed again (the nightly "nothing changed" run). The feed is written to a temp file
 * first and served from disk, so generating it costs the measurement nothing.
 *
 * `peak_rss_mb` is the whole process: with PGlite that includes the embedded PostgreSQL (WASM
 * heap) and its buffers, which is most of it; `rss_growth_mb` is what the imports added to the
 * baseline measured just before them. Runs on the database DATABASE_URL names, PGlite otherwise.
 */
export async function run() {
  const dir = await mkdtemp(path.join(tmpdir(), 'fidelis-feed-bench-'))
  const file = path.join(dir, 'feed.xml')
  await pipeline(Readable.from(generateFeed({ items: ITEMS })), createWriteStream(file))
  const feedBytes = (await stat(file)).size
  const feeds = await startFeedServer()
  const url = feeds.serve('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'content-length': String(feedBytes) })
    createReadStream(file).pipe(res)
  })
  const t = await createTestApp({ config: { LOG_LEVEL: 'silent' } })
  try {
    const m = await t.merchant('bench-feed@loja.test')
    const program = await createProgram(t.deps.db, m.id, { name: 'Bench', pointsName: 'pontos', earnRate: 1, primaryColor: '#000000', textColor: '#ffffff', joiningOpen: true })
    await setFeedIntegration(t.deps.db, program.id, { feedUrl: url, active: true })
    const expected = generatedCounts({ items: ITEMS }).accepted

    const baseline = process.memoryUsage().rss
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
    console.error(`feed ${(feedBytes / MB).toFixed(1)} MB on ${t.database.dialect}; rss before: ${Math.round(baseline / MB)} MB`)

    const started = performance.now()
    const first = await importFeed(t.deps, program.id)
    const firstMs = performance.now() - started
    peak = Math.max(peak, process.memoryUsage().rss)
    if (first?.status !== 'ok' || first.rewards_created !== expected) throw new Error(`first import: ${first?.status}, ${first?.rewards_created} created\n${first?.report}`)
    console.error(`first import: ${Math.round(firstMs)} ms, ${first.rewards_created} rewards created`)

    const again = performance.now()
    const second = await importFeed(t.deps, program.id)
    const secondMs = performance.now() - again
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    if (second?.status !== 'ok' || second.rewards_updated !== 0) throw new Error(`re-import: ${second?.status}, ${second?.rewards_updated} updated`)
    console.error(`unchanged re-import: ${Math.round(secondMs)} ms`)

    console.log(
      JSON.stringify({
        bench: 'feed',
        items: ITEMS,
        items_per_s: Math.round(ITEMS / (firstMs / 1000)),
        peak_rss_mb: Math.round(peak / MB),
        db: t.database.dialect,
        feed_mb: Math.round((feedBytes / MB) * 10) / 10,
        rewards_created: first.rewards_created,
        baseline_rss_mb: Math.round(baseline / MB),
        rss_growth_mb: Math.round((peak - baseline) / MB),
        unchanged_reimport_items_per_s: Math.round(ITEMS / (secondMs / 1000)),
      }),
    )
  } finally {
    await t.close()
    await feeds.close()
    await rm(dir, { recursive: true, force: true })
  }
}
