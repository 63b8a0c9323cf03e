import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { serve } from '@hono/node-server'
import { sql } from 'kysely'
import { parseJwtKeys } from '../config/secrets.ts'
import { WidgetTokens } from '../identity/tokens.ts'
import { postEntries } from '../ledger/service.ts'
import { encryptSecret } from '../lib/crypto.ts'
import { createLiSimulator } from '../li-simulator/index.ts'
import { insertMembers } from '../members/repository.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { createReward } from '../rewards/service.ts'
import { testDatabase } from '../test/database.ts'
import { TEST_JWT_KEYS, testConfig } from '../test/harness.ts'
import { startServerProcess, type ServerProcess } from '../test/server-process.ts'

/**
 * kill -9 of the API+worker process one second into 50 concurrent redemptions, then a restart:
 * every pending redemption settles (issued, or failed with the points given back) within 60 s
 * of the restart, the ledger adds up, and the store never gets a coupon twice. PostgreSQL only:
 * two processes cannot share one PGlite.
 */
const REDEMPTIONS = 50
const COST = 100
const SETTLE_BUDGET_MS = 60_000
const ENCRYPTION_KEY = Buffer.alloc(32, 7)

const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

test('kill -9 of the API+workers mid-redemptions, then a restart: all settle within 60 s, ledger consistent, no duplicate coupon (PostgreSQL)', {
  skip: !process.env.DATABASE_URL && 'PostgreSQL only: set DATABASE_URL',
}, async () => {
  const database = await testDatabase()
  const db = database.db
  const sim = createLiSimulator({ rateLimit: false })
  const store = sim.seed({ seed: 4242, customers: 2, orders: 0 })
  const simServer = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => simServer.once('listening', () => resolve()))
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-redeem-kill-'))
  const procs: ServerProcess[] = []
  try {
    const merchant = await createMerchant(db, { email: 'kill-redeem@loja.test', password: 'kill test password' })
    const program = await createProgram(db, merchant.id, {
      name: 'Clube',
      pointsName: 'pontos',
      earnRate: 1,
      primaryColor: '#000000',
      textColor: '#ffffff',
      joiningOpen: true,
    })
    await db
      .insertInto('integrations')
      .values({
        program_id: program.id,
        credential_kind: 'personal_token',
        api_key_enc: encryptSecret(ENCRYPTION_KEY, store.personalToken, program.id),
        api_key_last4: store.personalToken.slice(-4),
        site_url: 'https://www.loja.test/',
        active: true,
        activated_at: new Date(),
      })
      .execute()
    const reward = await createReward(db, program.id, {
      kind: 'fixed_discount',
      title: 'R$ 10 de desconto',
      pointsCost: COST,
      valueCents: 1000,
      active: true,
    })
    const members = await insertMembers(
      db,
      Array.from({ length: REDEMPTIONS }, (_, i) => ({
        program_id: program.id,
        email: `kill${i}@cliente.test`,
        name: `Cliente ${i}`,
      })),
    )
    await db.transaction().execute((trx) =>
      postEntries(
        trx,
        program.id,
        members.map((m) => ({
          memberId: m.id,
          kind: 'earn' as const,
          amount: COST * 1.5,
          reason: 'Pontos da compra',
          idempotencyKey: `kill-seed-${m.id}`,
        })),
      ),
    )
    // Access tokens as login/verify issues them (logging 50 shoppers in is not what is tested).
    const tokens = new WidgetTokens(parseJwtKeys(TEST_JWT_KEYS), testConfig().jwtIssuer)
    const signed = await Promise.all(members.map((m) => tokens.sign(program.id, m.id, randomUUID())))

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url!,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_KEYS: TEST_JWT_KEYS,
      ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
      LI_API_URL: `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`,
      // The per-store LI budget (90/min) would pace 50 coupons over a minute by itself; the
      // crash recovery is what is measured.
      LI_REQUESTS_PER_MINUTE: '1000000',
    }
    // A store answering coupon POSTs in ~3 s: the kill, a second into the burst, lands with calls
    // to LI in flight (at 0.8 s, 8 coupon workers had every coupon of the burst issued before it).
    sim.faults.inject({ kind: 'slow', path: '/cupom', method: 'POST', delayMs: 3000 })

    const first = await startServerProcess(env)
    procs.push(first)
    const url = `${first.url}/v1/widget/${program.programKey}/redemptions`
    const answers = members.map((_, i) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${signed[i]!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ rewardId: reward.id, idempotencyKey: `kill-click-${i}` }),
      }).then(
        (r) => r.status,
        () => 0, // the process died before answering
      ),
    )
    // Killed once workers hold leases (calls to LI in flight), about a second into the burst.
    const leased = () =>
      db.selectFrom('redemptions').select('id').where('status', '=', 'pending').where('lease_until', 'is not', null)
    await Promise.all([
      new Promise((r) => setTimeout(r, 1000)),
      until('a coupon job holding its lease', async () => !!(await leased().executeTakeFirst()), 30_000),
    ])
    const leasedAtKill = (await leased().execute()).length
    first.child.kill('SIGKILL')
    const killedAt = Date.now()
    await first.exited
    const statuses = await Promise.all(answers)

    const pendingAtKill = await db.selectFrom('redemptions').select('id').where('status', '=', 'pending').execute()
    const second = await startServerProcess(env)
    procs.push(second)
    const restartedAt = Date.now()
    await until(
      'every redemption settled',
      async () => !(await db.selectFrom('redemptions').select('id').where('status', '=', 'pending').executeTakeFirst()),
      SETTLE_BUDGET_MS + 30_000,
    )

    const rows = await db.selectFrom('redemptions').selectAll().where('program_id', '=', program.id).execute()
    const resumed = rows.filter((r) => pendingAtKill.some((p) => p.id === r.id))
    const settledAt = (r: (typeof rows)[number]) => (r.issued_at ?? r.failed_at)!.getTime()
    const slowest = resumed.length ? Math.max(...resumed.map(settledAt)) - restartedAt : 0
    console.log(
      JSON.stringify({
        test: 'redemptions-kill',
        redemptions: rows.length,
        answered201: statuses.filter((s) => s === 201).length,
        cutOff: statuses.filter((s) => s === 0).length,
        pendingAtKill: pendingAtKill.length,
        leasedAtKill,
        issued: rows.filter((r) => r.status === 'issued').length,
        failed: rows.filter((r) => r.status === 'failed').length,
        slowestSettleAfterRestartMs: slowest,
        slowestSettleAfterKillMs: resumed.length ? Math.max(...resumed.map(settledAt)) - killedAt : 0,
      }),
    )
    assert.ok(rows.length >= 1, 'some redemptions committed before the kill')
    assert.ok(leasedAtKill >= 1, 'the kill left redemptions held by a dead worker (else nothing was tested)')
    assert.ok(slowest <= SETTLE_BUDGET_MS, `slowest redemption settled ${slowest} ms after the restart`)
    for (const r of rows) {
      if (r.status === 'failed') assert.ok(r.failure_reason, `failed redemption ${r.id} shows why`)
      else assert.equal(r.status, 'issued')
    }

    // The store: one coupon per issued redemption, none twice, none for a failed one.
    const ours = sim.state.requireStore(store.store.id).coupons.filter((c) => c.codigo.startsWith('FID'))
    assert.equal(new Set(ours.map((c) => c.codigo)).size, ours.length, 'no coupon code twice in the store')
    const issued = rows.filter((r) => r.status === 'issued')
    assert.deepEqual(
      new Set(ours.map((c) => c.codigo)),
      new Set(issued.map((r) => r.coupon_code)),
      'exactly the issued redemptions have coupons',
    )
    for (const r of issued) assert.equal(ours.find((c) => c.codigo === r.coupon_code)!.id, r.li_coupon_id)

    // The ledger: balances are the sum of entries, never negative; one debit per redemption,
    // one refund per failed one and none for an issued one.
    const sums = await db
      .selectFrom('members as m')
      .leftJoin('ledger_entries as e', 'e.member_id', 'm.id')
      .select(['m.id', 'm.balance', sql<string>`coalesce(sum(e.amount), 0)`.as('sum')])
      .where('m.program_id', '=', program.id)
      .groupBy(['m.id', 'm.balance'])
      .execute()
    for (const m of sums) {
      assert.equal(m.balance, Number(m.sum), `member ${m.id}: balance = sum of entries`)
      assert.ok(m.balance >= 0, `member ${m.id} never negative`)
    }
    const entries = await db
      .selectFrom('ledger_entries')
      .select(['redemption_id', 'kind'])
      .where('program_id', '=', program.id)
      .where('redemption_id', 'is not', null)
      .execute()
    for (const r of rows) {
      const mine = entries.filter((e) => e.redemption_id === r.id)
      assert.equal(mine.filter((e) => e.kind === 'redeem').length, 1, `redemption ${r.id} debited once`)
      assert.equal(
        mine.filter((e) => e.kind === 'refund').length,
        r.status === 'failed' ? 1 : 0,
        `redemption ${r.id} refunded once if failed`,
      )
    }
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
    await Promise.all(procs.map((p) => p.exited))
    simServer.close()
    sim.close()
    await database.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
