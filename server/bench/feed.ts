import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import type { FeedImportView } from '../../shared/api/rewards.ts'
import { openDatabase, type Database } from '../db/database.ts'
import { migrateToLatest } from '../db/migrator.ts'
import { createApiToken, createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { generateFeed, generatedCounts } from '../rewards/feed/index.ts'
import { setFeedIntegration, startFeedServer } from '../rewards/test-support.ts'
import { testDatabase } from '../test/database.ts'
import { TEST_JWT_KEYS } from '../test/harness.ts'
import { startServerProcess, type ServerProcess } from '../test/server-process.ts'

const ITEMS = 50_000
const MB = 1024 * 1024

/**
 * Imports a generated 50 000-item Google Shopping feed in the process shape production runs:
 * the server started exactly as `npm start` starts it (the esbuild bundle on plain node, HTTP and
 * job workers in one process), the import asked for through the admin API ("importar agora") and
 * run by that process's job worker — downloaded over HTTP from a local server in this (the
 * bench's) process, parsed as a stream, staged, applied in one transaction. Then the same feed
 * again (the nightly "nothing changed" run).
 *
 * What is measured is that server process alone, read from Linux's /proc/<pid>/status:
 * `peak_rss_mb` is its VmHWM, the kernel's high-water mark over the process's whole life (start-up
 * and migrations included, both imports included), so no sampling gap can hide a peak;
 * `baseline_rss_mb` is its VmRSS once started and idle, just before the first import;
 * `rss_growth_mb` is the difference. The bench runner (tsx, the feed file server, the
 * database seeding) is not counted. With PGlite (no DATABASE_URL) the embedded PostgreSQL's WASM
 * heap lives in the server process and is most of the figure; on a real PostgreSQL it is not.
 * `items_per_s` is from the import's own startedAt/finishedAt, so job pick-up latency is excluded.
 */
export async function run() {
  if (process.platform !== 'linux') throw new Error('the feed benchmark reads /proc/<pid>/status (Linux)')
  const dir = await mkdtemp(path.join(tmpdir(), 'fidelis-feed-bench-'))
  const file = path.join(dir, 'feed.xml')
  await pipeline(Readable.from(generateFeed({ items: ITEMS })), createWriteStream(file))
  const feedBytes = (await stat(file)).size
  const feeds = await startFeedServer()
  const url = feeds.serve('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'content-length': String(feedBytes) })
    createReadStream(file).pipe(res)
  })

  // PostgreSQL: a fresh database cloned from the migrated template, which the server opens too.
  // PGlite: a data folder seeded here and closed, then opened by the server (one process at a time).
  const pg = process.env.DATABASE_URL ? await testDatabase() : undefined
  const database: Database = pg ?? (await openDatabase({ dataDir: path.join(dir, 'pglite') }))
  let server: ServerProcess | undefined
  try {
    if (!pg) {
      const report = await migrateToLatest(database.db)
      if (report.error) throw report.error
    }
    const merchant = await createMerchant(database.db, { email: 'bench-feed@loja.test', password: 'bench password' })
    const { token } = await createApiToken(database.db, merchant.id, 'bench')
    const program = await createProgram(database.db, merchant.id, {
      name: 'Bench',
      pointsName: 'pontos',
      earnRate: 1,
      primaryColor: '#000000',
      textColor: '#ffffff',
      joiningOpen: true,
    })
    // Not active: an active integration would also start syncing with Loja Integrada.
    await setFeedIntegration(database.db, program.id, { feedUrl: url })
    if (!pg) await database.close()
    const expected = generatedCounts({ items: ITEMS }).accepted

    server = await startServerProcess({
      ...process.env,
      ...(pg ? { DATABASE_URL: pg.url } : {}),
      DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info', // startServerProcess waits for the `listening` line
      JWT_KEYS: TEST_JWT_KEYS,
      // The feed is served from 127.0.0.1 by this process.
      FEED_ALLOW_PRIVATE_HOSTS: 'true',
    })
    const pid = server.child.pid!
    const api = `${server.url}/v1/programs/${program.id}`
    const headers = { authorization: `Bearer ${token}` }
    const importOnce = async (): Promise<FeedImportView> => {
      const before = await latestImport(api, headers)
      const res = await fetch(`${api}/feed-imports`, { method: 'POST', headers })
      if (res.status !== 202) throw new Error(`import now: HTTP ${res.status} ${await res.text()}`)
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        const latest = await latestImport(api, headers)
        if (latest && latest.id !== before?.id && latest.status !== 'running') return latest
      }
    }

    await new Promise((resolve) => setTimeout(resolve, 1000)) // let start-up settle
    const baseline = await memory(pid)
    console.error(
      `feed ${(feedBytes / MB).toFixed(1)} MB on ${database.dialect}; server pid ${pid}: rss ` +
        `${Math.round(baseline.rss / MB)} MB, start-up peak ${Math.round(baseline.hwm / MB)} MB`,
    )

    const first = await importOnce()
    if (first.status !== 'ok' || first.rewardsCreated !== expected)
      throw new Error(`first import: ${first.status}, ${first.rewardsCreated} created\n${first.report}`)
    const firstMs = Date.parse(first.finishedAt!) - Date.parse(first.startedAt)
    console.error(
      `first import: ${firstMs} ms, ${first.rewardsCreated} rewards created; server rss peak so far ` +
        `${Math.round((await memory(pid)).hwm / MB)} MB`,
    )

    const second = await importOnce()
    if (second.status !== 'ok' || second.rewardsUpdated !== 0)
      throw new Error(`re-import: ${second.status}, ${second.rewardsUpdated} updated`)
    const secondMs = Date.parse(second.finishedAt!) - Date.parse(second.startedAt)
    console.error(`unchanged re-import: ${secondMs} ms`)
    const end = await memory(pid)

    console.log(
      JSON.stringify({
        bench: 'feed',
        items: ITEMS,
        items_per_s: Math.round(ITEMS / (firstMs / 1000)),
        peak_rss_mb: Math.round(end.hwm / MB),
        db: database.dialect,
        measured: 'server process (npm start bundle), VmHWM',
        feed_mb: Math.round((feedBytes / MB) * 10) / 10,
        rewards_created: first.rewardsCreated,
        baseline_rss_mb: Math.round(baseline.rss / MB),
        startup_peak_rss_mb: Math.round(baseline.hwm / MB),
        rss_growth_mb: Math.round((end.hwm - baseline.rss) / MB),
        unchanged_reimport_items_per_s: Math.round(ITEMS / (secondMs / 1000)),
      }),
    )
  } finally {
    if (server) {
      server.child.kill('SIGTERM')
      await server.exited
    }
    if (pg) await pg.close()
    await feeds.close()
    await rm(dir, { recursive: true, force: true })
  }
}

async function latestImport(api: string, headers: Record<string, string>): Promise<FeedImportView | undefined> {
  const res = await fetch(`${api}/feed-imports`, { headers })
  if (res.status !== 200) throw new Error(`feed-imports: HTTP ${res.status} ${await res.text()}`)
  return ((await res.json()) as { items: FeedImportView[] }).items[0]
}

/** Current and peak resident set of a process, in bytes (Linux). */
async function memory(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}
