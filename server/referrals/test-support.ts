import assert from 'node:assert/strict'
import type { ReferralSettings } from '../../shared/api/referrals.ts'
import type { TestApp } from '../test/harness.ts'
import { liveProgram, login, seedMember, type LiveProgram, type WidgetTestEnv } from '../widget/test-support.ts'
import { issueReferralCoupon, ReferralCouponRetry } from './service.ts'

/** Fixtures of the referral tests: a program with referrals on and ERP sales, an advocate and their code. */

type Answer = ReturnType<TestApp['request']>

export interface ReferralProgram {
  p: LiveProgram
  advocateId: number
  advocateEmail: string
  token: string
  code: string
  admin(method: string, path: string, body?: unknown): Answer
  claim(email: string, ip?: string): Answer
  sale(externalId: string, email: string, extra?: { valid?: boolean; amountCents?: number }): Promise<unknown>
}

let n = 0

export async function referralProgram(
  env: WidgetTestEnv,
  settings: Partial<ReferralSettings> = {},
  opts: { mode?: 'points' | 'cashback'; advocate?: { email?: string; name?: string; cpf?: string } } = {},
): Promise<ReferralProgram> {
  const { t } = env
  const p = await liveProgram(env, { ...(opts.mode ? { mode: opts.mode } : {}) })
  await t.database.db
    .updateTable('integrations')
    .set({ erp_sales: true })
    .where('program_id', '=', p.programId)
    .execute()
  const admin = (method: string, path: string, body?: unknown) =>
    t.request(method, `/v1/programs/${p.programId}${path}`, {
      token: p.merchantToken,
      ...(body !== undefined ? { body } : {}),
    })
  const current = await admin('GET', '/referrals/settings')
  const saved = await admin('PUT', '/referrals/settings', { ...current.body, enabled: true, ...settings })
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  const advocateEmail = opts.advocate?.email ?? `defensora${++n}@cliente.test`
  const advocateId = await seedMember(t, p.programId, advocateEmail, { name: opts.advocate?.name ?? 'Ana Souza' })
  if (opts.advocate?.cpf)
    await t.database.db.updateTable('members').set({ cpf: opts.advocate.cpf }).where('id', '=', advocateId).execute()
  const session = await login(t, p, advocateEmail)
  // One address per program (the claims limit is per IP, across programs).
  const defaultIp = `198.51.${Math.floor(Math.random() * 250)}.${n % 250}`
  const me = await t.request('GET', `${p.base}/me/referral`, { token: session.accessToken })
  assert.equal(me.status, 200, JSON.stringify(me.body))
  assert.equal(me.body.enabled, true)
  return {
    p,
    advocateId,
    advocateEmail,
    token: session.accessToken,
    code: me.body.code,
    admin,
    claim: (email, ip = defaultIp) =>
      t.request('POST', `${p.base}/referrals/${me.body.code}/claims`, {
        body: { email },
        headers: { 'x-forwarded-for': ip },
      }),
    sale: async (externalId, email, extra = {}) => {
      const res = await admin('POST', '/sales', {
        externalId,
        customerEmail: email,
        customerName: 'Bia Lima',
        amountCents: extra.amountCents ?? 15_000,
        date: new Date().toISOString(),
        valid: extra.valid ?? true,
      })
      assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body))
      return res.body
    },
  }
}

/** Runs the coupon job until it settles (what pg-boss's retries would do). */
export async function runCoupon(env: WidgetTestEnv, id: string, maxRuns = 10): Promise<string> {
  for (let i = 0; i < maxRuns; i++) {
    try {
      return await issueReferralCoupon(env.t.deps, id)
    } catch (err) {
      if (!(err instanceof ReferralCouponRetry)) throw err
    }
  }
  return 'retry'
}

export const referralOf = (env: WidgetTestEnv, programId: string, friendEmail: string) =>
  env.t.database.db
    .selectFrom('referrals')
    .selectAll()
    .where('program_id', '=', programId)
    .where('friend_email', '=', friendEmail)
    .executeTakeFirst()
