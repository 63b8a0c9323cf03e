import { sql } from 'kysely'
import { createTestApp } from '../test/harness.ts'
import { applyPendingRules } from '../tiers/service.ts'

/**
 * `npm run bench -- tiers`: a program of 100,000 members and 1,000,000 awarded orders over the
 * last two years (set-based seed; 1 in 10 cancelled, each member keeping awarded ones), VIP tiers saved once (spend, calendar
 * year), then the rules changed (new thresholds, lifetime window) through `PUT …/tiers`. Above
 * 20,000 members the PUT only saves the body and queues the tiers-apply job; the timed step is
 * the PUT plus that job's work, run here directly (what the worker runs): every member
 * re-evaluated in one transaction — two grouped reads, one write of the standings that changed.
 * `members` = members evaluated, `changed` = those who moved tier.
 *
 * Knobs: TIERS_BENCH_MEMBERS (100000), TIERS_BENCH_ORDERS (members × 10). Runs on the database
 * DATABASE_URL names (PGlite without it).
 */
export async function run() {
  const members = Number(process.env.TIERS_BENCH_MEMBERS ?? 100_000)
  const orders = Number(process.env.TIERS_BENCH_ORDERS ?? members * 10)
  const t = await createTestApp()
  try {
    const { token } = await t.merchant()
    const programId = (await t.request('POST', '/v1/programs', { token, body: { name: 'Bench' } })).body.id as string
    const db = t.database.db
    const seedStart = performance.now()
    await sql`
      insert into members (program_id, email, name, li_customer_id)
      select ${programId}, 'cliente' || g || '@loja.test', 'Cliente ' || g, g
      from generate_series(1, ${members}) g`.execute(db)
    const first = await sql<{ id: number }>`
      select min(id)::int as id from members where program_id = ${programId}`.execute(db)
    const base = first.rows[0]!.id - 1
    const now = new Date()
    // Deterministic spread (modular arithmetic): amounts R$ 20–300, days over two years. Every
    // member gets one order per pass over them; the first pass's orders are the cancelled ones.
    await sql`
      insert into orders (program_id, source, external_id, li_customer_id, member_id, status_id, status_code,
                          subtotal_cents, shipping_cents, discount_cents, total_cents, placed_at, source_updated_at,
                          award_state, award_cycle, points_awarded)
      select ${programId}, 'li', 't' || g, c, ${base} + c, 2, 'pedido_pago', v, 0, 0, v, at, at,
             case when (g - 1) / ${members} % 10 = 0 then 'reversed' else 'awarded' end, 1, v / 100
      from (
        select g, 1 + (g * 7919) % ${members} as c, 2000 + (g * 3571) % 28000 as v,
               ${now}::timestamptz - ((g * 13) % 730) * interval '1 day' as at
        from generate_series(1::bigint, ${orders}::bigint) g -- bigint: g × 7919 passes 2³¹ at 1M orders
      ) s`.execute(db)
    await sql`analyze`.execute(db)
    const seedMs = performance.now() - seedStart
    console.error(`seeded ${members} members, ${orders} orders in ${Math.round(seedMs)} ms`)

    const put = async (body: unknown) => {
      const started = performance.now()
      const res = await t.app.request(`/v1/programs/${programId}/tiers`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (res.status !== 200) throw new Error(`PUT tiers answered ${res.status}: ${await res.text()}`)
      const out = (await res.json()) as {
        evaluated: number
        changed: number
        queued: boolean
        rules: { tiers: { id: string }[] }
      }
      if (out.queued) {
        const counts = await applyPendingRules(db, programId)
        if (!counts) throw new Error('the queued tier rules were not pending')
        const rules = (await (
          await t.app.request(`/v1/programs/${programId}/tiers`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { tiers: { id: string }[] }
        return { ...out, ...counts, rules, seconds: (performance.now() - started) / 1000 }
      }
      return { ...out, seconds: (performance.now() - started) / 1000 }
    }
    const tiers = [
      { name: 'Bronze', color: '#a0522d', threshold: 500_00 },
      { name: 'Prata', color: '#a8a9ad', threshold: 1500_00, multiplierPct: 150, entryReward: 100 },
      { name: 'Ouro', color: '#d4af37', threshold: 3000_00, multiplierPct: 200, entryReward: 300 },
    ]
    const setup = await put({ basis: 'spend', window: 'calendar_year', tiers })
    console.error(`first evaluation: ${setup.evaluated} members in ${setup.seconds.toFixed(2)} s`)
    const change = await put({
      basis: 'spend',
      window: 'lifetime',
      tiers: tiers.map((x, i) => ({ ...x, id: setup.rules.tiers[i]!.id, threshold: x.threshold * 2 })),
    })
    console.log(
      JSON.stringify({
        bench: 'tiers',
        db: t.database.dialect,
        members: change.evaluated,
        orders,
        changed: change.changed,
        seconds: Math.round(change.seconds * 1000) / 1000,
        members_per_s: Math.round(change.evaluated / change.seconds),
        first_evaluation_seconds: Math.round(setup.seconds * 1000) / 1000,
        seed_ms: Math.round(seedMs),
      }),
    )
  } finally {
    await t.close()
  }
}
