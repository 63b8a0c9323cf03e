import { sql } from 'kysely'
import { seedVolume } from '../dashboard/test-support/volume.ts'
import { createTestApp } from '../test/harness.ts'

/**
 * `npm run bench -- dashboard`: a store of 100,000 orders and 50,000 members (set-based seed,
 * server/dashboard/test-support/volume.ts), then 30 requests of the whole dashboard for 365 days
 * through the HTTP app, one after another, and the members CSV read to its end. Fidelis caches
 * no figure, so each request computes everything again ("cold" for Fidelis; PostgreSQL's own
 * buffer cache is whatever the seed left). Peak RSS growth during the CSV shows whether memory
 * stays flat while 50,000 rows stream.
 *
 * Knobs: DASHBOARD_BENCH_ORDERS (100000), DASHBOARD_BENCH_MEMBERS (orders ÷ 2),
 * DASHBOARD_BENCH_REQUESTS (30). Runs on the database DATABASE_URL names (PGlite without it).
 */
export async function run() {
  const orders = Number(process.env.DASHBOARD_BENCH_ORDERS ?? 100_000)
  const members = Number(process.env.DASHBOARD_BENCH_MEMBERS ?? Math.round(orders / 2))
  const requests = Number(process.env.DASHBOARD_BENCH_REQUESTS ?? 30)
  const t = await createTestApp()
  try {
    const { token } = await t.merchant()
    const programId = (await t.request('POST', '/v1/programs', { token, body: { name: 'Bench' } })).body.id as string
    const seedStart = performance.now()
    await seedVolume(t.database.db, programId, { orders, members, now: new Date() })
    await sql`analyze`.execute(t.database.db)
    const seedMs = performance.now() - seedStart
    console.error(`seeded ${orders} orders, ${members} members in ${Math.round(seedMs)} ms`)

    const headers = { authorization: `Bearer ${token}` }
    const times: number[] = []
    for (let i = 0; i < requests; i++) {
      const started = performance.now()
      const res = await t.app.request(`/v1/programs/${programId}/dashboard?days=365`, { headers })
      if (res.status !== 200) throw new Error(`dashboard answered ${res.status}: ${await res.text()}`)
      await res.json()
      times.push(performance.now() - started)
    }
    times.sort((a, b) => a - b)
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!

    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    let peak = rssBefore
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 10)
    const csvStart = performance.now()
    const res = await t.app.request(`/v1/programs/${programId}/dashboard/exports/members`, { headers })
    let rows = -1 // the header
    let bytes = 0
    const reader = res.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.length
      for (const b of value) if (b === 10) rows++
      peak = Math.max(peak, process.memoryUsage().rss)
    }
    const csvMs = performance.now() - csvStart
    clearInterval(sampler)
    if (rows !== members) throw new Error(`members CSV had ${rows} rows, expected ${members}`)

    console.log(
      JSON.stringify({
        bench: 'dashboard',
        db: t.database.dialect,
        orders,
        members,
        requests,
        p50_ms: Math.round(pct(50) * 10) / 10,
        p95_ms: Math.round(pct(95) * 10) / 10,
        max_ms: Math.round(times[times.length - 1]! * 10) / 10,
        csv_members_ms: Math.round(csvMs),
        csv_members_rows: rows,
        csv_members_mb: Math.round((bytes / 1048576) * 10) / 10,
        csv_peak_rss_growth_mb: Math.round(((peak - rssBefore) / 1048576) * 10) / 10,
        seed_ms: Math.round(seedMs),
      }),
    )
  } finally {
    await t.close()
  }
}
