import { serve } from '@hono/node-server'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { WidgetTokens } from '../identity/tokens.ts'
import { postEntries } from '../ledger/service.ts'
import { insertMembers } from '../members/repository.ts'
import { createReward } from '../rewards/service.ts'
import { createTestApp, TEST_ENCRYPTION_KEY, TEST_JWT_KEYS, type TestApp } from '../test/harness.ts'
import { freePort, startFidelis, stopFidelis } from './fleet-procs.ts'
import { benchProgram, fetchJson, startSimulator } from './simulator.ts'

// REDEEM_MEMBERS: a smaller run to check the bench itself (the target figures are for 1,000).
const MEMBERS = Number(process.env.REDEEM_MEMBERS ?? 1000)
const COST = 100
/** Rounds before the measured one (REDEEM_WARMUP_ROUNDS; 0 measures the processes cold). */
const WARMUP_ROUNDS = Number(process.env.REDEEM_WARMUP_ROUNDS ?? 2)

/**
 * 1,000 members redeem at once over HTTP (the real server on @hono/node-server, real PostgreSQL
 * when DATABASE_URL is set), the simulator in its own process (no faults, rate limit off, our
 * per-store budget raised), until every redemption is issued by the coupon workers (see `split`
 * below for the processes). Each member holds 1.5× the cost and sends TWO redemptions with
 * different keys at the same moment, plus a replay of the first key: exactly one may win. The
 * measured round follows WARMUP_ROUNDS like it, of other members. double_spends and
 * duplicate_coupons are counted from the ledger and the simulator's coupons after every round.
 */
export async function run() {
  const sim = await startSimulator({ customers: 10, orders: 0 })
  const li = {
    LI_API_URL: sim.baseUrl,
    LI_APP_KEY: sim.appKey,
    LI_REQUESTS_PER_MINUTE: '1000000',
    // The app-wide and per-IP budgets (issue 21) are lifted too: this measures Fidelis, not LI's limits.
    LI_APP_REQUESTS_PER_MINUTE: '1000000',
    LI_IP_REQUESTS_PER_MINUTE: '1000000',
  }
  // On PostgreSQL, as deployed: an API process and a worker process (server/main.ts, default
  // settings and log level); this one only seeds and checks. PGlite is one process's database:
  // there the server and its workers run here. REDEEM_ONE_PROCESS=1 forces that on PostgreSQL.
  const split = Boolean(process.env.DATABASE_URL) && process.env.REDEEM_ONE_PROCESS !== '1'
  const t = await createTestApp({ work: !split, config: { ...li, LOG_LEVEL: 'silent' } })
  const server = split ? await deployed(t, li) : await inProcess(t)
  const base = server.url
  try {
    const { program } = await benchProgram(t, sim, { email: 'bench-redeem@loja.test', salesRegistration: false })
    const url = `${base}/v1/widget/${program.programKey}/redemptions`
    // Rounds of fresh members on the same processes (the shoppers' too): the first right after
    // they started, the last once V8 has compiled their hot paths — a fifth of the machine's CPU
    // went to its optimising compiler in the first round and still a tenth in the second (perf),
    // and the figures stopped moving by the third. A deployed server is warm: the headline
    // figures are the last round's, the first round's are printed beside them (cold_*).
    const shoppers = startShoppers()
    const rounds: Array<Awaited<ReturnType<typeof round>>> = []
    for (let i = 0; i <= WARMUP_ROUNDS; i++) {
      rounds.push(await round(t, program, url, i === WARMUP_ROUNDS ? 'measured' : `warm-up ${i + 1}`, shoppers))
    }
    await shoppers.stop()
    const cold = rounds[0]!
    const warm = rounds[rounds.length - 1]!

    const rows = rounds.flatMap((r) => r.rows)
    // double_spends: members with more than one redeem, a negative balance, or a cached balance
    // that is not the sum of their entries.
    const ledger = await sql<{ bad: string }>`
      select count(*) as bad from (
        select m.id from members m left join ledger_entries e on e.member_id = m.id
        where m.program_id = ${program.id}
        group by m.id, m.balance
        having count(*) filter (where e.kind = 'redeem') > 1 or m.balance < 0 or m.balance <> coalesce(sum(e.amount), 0)
      ) x`.execute(t.deps.db)
    // duplicate_coupons: coupons in the store beyond one per redemption (read back through LI's API).
    const codes = new Map<string, number>()
    let next: string | null = `/v1/cupom/?limit=100`
    while (next) {
      const page: any = await fetchJson(new URL(next, sim.baseUrl).toString(), {
        authorization: `chave_api ${sim.apiKey} aplicacao ${sim.appKey}`,
      })
      for (const c of page.objects) codes.set(c.codigo, (codes.get(c.codigo) ?? 0) + 1)
      next = page.meta?.next ?? null
    }
    const ours = new Set(rows.map((r) => r.coupon_code))
    let duplicates = 0
    for (const code of ours) duplicates += Math.max(0, (codes.get(code) ?? 0) - 1)
    const missing = [...ours].filter((c) => !codes.has(c)).length
    if (missing) throw new Error(`${missing} issued redemptions have no coupon in the store`)

    console.log(
      JSON.stringify({
        bench: 'redeem',
        db: t.database.dialect,
        redemptions: warm.rows.length,
        redemptions_per_s: warm.perSecond,
        p99_ms_to_issued: warm.p99,
        double_spends: Number(ledger.rows[0]!.bad),
        duplicate_coupons: duplicates,
        requests: warm.requests,
        cold_redemptions_per_s: cold.perSecond,
        cold_p99_ms_to_issued: cold.p99,
      }),
    )
  } finally {
    await server.stop()
    await t.close()
    sim.stop()
  }
}

type BenchProgram = Awaited<ReturnType<typeof benchProgram>>['program']

/**
 * One round: MEMBERS fresh members of the program, each holding 1.5× the cost of a reward of
 * the round's own, send their two keys and the replay at once; waits until every redemption of
 * the round is issued. Figures from the first request sent (the shoppers' process start-up is
 * not the server's time).
 */
async function round(
  t: TestApp,
  program: BenchProgram,
  url: string,
  label: string,
  client: ReturnType<typeof startShoppers>,
) {
  const reward = await createReward(t.deps.db, program.id, {
    kind: 'fixed_discount',
    title: `R$ 10 de desconto (${label})`,
    pointsCost: COST,
    valueCents: 1000,
    active: true,
  })
  const members = await insertMembers(
    t.deps.db,
    Array.from({ length: MEMBERS }, (_, i) => ({
      program_id: program.id,
      email: `bench-${label.replace(/\W+/g, '-')}-${i}@cliente.test`,
      name: `Cliente ${i}`,
    })),
  )
  await t.deps.db.transaction().execute((trx) =>
    postEntries(
      trx,
      program.id,
      members.map((mm) => ({
        memberId: mm.id,
        kind: 'earn' as const,
        amount: COST * 1.5,
        reason: 'Pontos da compra',
        idempotencyKey: `bench-seed-${mm.id}`,
      })),
    ),
  )
  // Access tokens as login/verify would issue them (logging in 1,000 shoppers is not what is measured).
  const tokens = new WidgetTokens(t.deps.secrets.jwtKeys, t.deps.config.jwtIssuer)
  const signed = await Promise.all(members.map((mm) => tokens.sign(program.id, mm.id, randomUUID())))
  console.error(`${label}: ${MEMBERS} members ready; redeeming`)

  const shoppers = await client.run({
    url,
    rewardId: reward.id,
    origin: 'https://www.loja.test',
    members: members.map((mm, i) => ({ id: mm.id, token: signed[i]!.token })),
  })
  const statuses201 = shoppers.statuses.filter((s) => s === 201).length
  const unexpected = shoppers.statuses.filter((s) => ![200, 201, 409].includes(s))
  if (unexpected.length) throw new Error(`unexpected answers: ${JSON.stringify(unexpected.slice(0, 3))}`)
  const sentAt = new Map(Object.entries(shoppers.sentAt).map(([id, at]) => [Number(id), at]))
  console.error(
    `${label}: requests answered in ${shoppers.answeredMs} ms (${statuses201} created); waiting for coupons`,
  )

  // Wait until nothing of the round is pending; issued_at is written by the worker when LI confirmed.
  const ofRound = () =>
    t.deps.db.selectFrom('redemptions').where('program_id', '=', program.id).where('reward_id', '=', reward.id)
  for (;;) {
    const pending = await ofRound()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
    if (Number(pending.n) === 0) break
    // Every 100 ms: the figures come from the rows' times, not from this poll's (each poll is a
    // query on the machine whose CPU is being measured).
    await new Promise((r) => setTimeout(r, 100))
  }
  const rows = await ofRound().select(['member_id', 'status', 'coupon_code', 'issued_at', 'created_at']).execute()
  // From the first request sent to the last coupon issued (the worker's clock, on this machine).
  const totalMs = Math.max(...rows.map((r) => r.issued_at?.getTime() ?? 0)) - shoppers.startedAt
  const notIssued = rows.filter((r) => r.status !== 'issued')
  if (notIssued.length) throw new Error(`${notIssued.length} redemptions ended ${notIssued[0]!.status}`)
  const since = (at: Date | null, memberId: number) => at!.getTime() - sentAt.get(memberId)!
  const issued = rows.map((r) => since(r.issued_at, r.member_id)).sort((a, b) => a - b)
  // Where the time goes, on stderr: when the debits committed and when LI confirmed, from the start.
  const debited = rows.map((r) => since(r.created_at, r.member_id)).sort((a, b) => a - b)
  const at = (xs: number[], q: number) => Math.round(xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!)
  console.error(
    `${label}: debited p50 ${at(debited, 0.5)} ms, p99 ${at(debited, 0.99)} ms; issued p50 ${at(issued, 0.5)} ms, p99 ${at(issued, 0.99)} ms`,
  )
  return {
    rows,
    perSecond: Math.round(rows.length / (totalMs / 1000)),
    p99: at(issued, 0.99),
    requests: shoppers.statuses.length,
  }
}

async function inProcess(t: TestApp) {
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => void server.close(),
  }
}

async function deployed(t: TestApp, li: Record<string, string>) {
  const dir = '/tmp/fidelis-redeem-bench'
  fs.mkdirSync(dir, { recursive: true })
  const port = await freePort()
  const env = {
    ...li,
    DATABASE_URL: (t.database as { url?: string }).url!,
    // The test app's secrets: the bench signs the shoppers' tokens and stored the store's key with them.
    JWT_KEYS: TEST_JWT_KEYS,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY.toString('base64'),
    DATA_DIR: dir,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  }
  const procs = await Promise.all([
    startFidelis('api', { ...env, PORT: String(port), RUN_JOBS: 'false' }, { logFile: `${dir}/api.log` }),
    startFidelis('worker', { ...env, RUN_HTTP: 'false' }, { logFile: `${dir}/worker.log` }),
  ])
  return { url: procs[0]!.url!, stop: async () => void (await Promise.all(procs.map(stopFidelis))) }
}

interface ShopperResults {
  statuses: number[]
  sentAt: Record<string, number>
  startedAt: number
  answeredMs: number
}

/**
 * server/bench/redeem-client.ts in its own process for the whole run: a plan per line on its
 * stdin, its answer per line on its stdout.
 */
function startShoppers() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/bench/redeem-client.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  return {
    async run(plan: unknown): Promise<ShopperResults> {
      child.stdin!.write(`${JSON.stringify(plan)}\n`)
      const next = await Promise.race([answers.next(), exited.then(() => null)])
      if (!next || next.done) throw new Error(`the shoppers' process exited with ${child.exitCode}`)
      return JSON.parse(next.value) as ShopperResults
    },
    async stop() {
      child.stdin!.end()
      await exited
    },
  }
}
