import type { Day } from '../../lib/calendar.ts'
import { benefitText } from '../../i18n/benefit.ts'
import { emailDeps } from '../service.ts'
import { ptBR } from '../templates/pt-BR.ts'
import { gateCache, type LifecycleDeps } from './gate.ts'
import { dayOf, redemptionPageFacts } from './redemption-facts.ts'
import * as repo from './repository.ts'
import { couponReminderDue, saoPauloHour, SEND_FROM_HOUR } from './rules.ts'
import { PAGE, send } from './send.ts'

// Coupon expiring unused.

/** Issued coupons close to their expiry, reminded once each (`coupon_expiring:<redemption>`), in daytime. */
export async function runCouponReminders(deps: LifecycleDeps, now = new Date()): Promise<number> {
  if (saoPauloHour(now) < SEND_FROM_HOUR) return 0
  const email = emailDeps(deps)
  const gateOf = gateCache(deps.db, 'coupon_expiring')
  let queued = 0
  for (let afterId = 0; ; ) {
    const rows = await repo.issuedExpiringBetween(deps.db, now, new Date(now.getTime() + 9 * 86_400_000), afterId, PAGE)
    if (rows.length === 0) break
    afterId = rows[rows.length - 1]!.id
    const due: Array<{ r: repo.RedemptionFacts; validUntil: Day; daysLeft: number; mode: 'points' | 'cashback' }> = []
    for (const r of rows) {
      if (!r.valid_until_day || !r.issued_at) continue
      const validUntil = dayOf(r.valid_until_day)
      const reminder = couponReminderDue({ issuedAt: r.issued_at, validUntil, now })
      const gate = reminder.due ? await gateOf(r.program_id) : null
      if (gate?.open) due.push({ r, validUntil, daysLeft: reminder.daysLeft, mode: gate.mode })
    }
    const keyOf = (r: repo.RedemptionFacts) => `coupon_expiring:${r.id}`
    const { done, members } = await redemptionPageFacts(
      deps.db,
      due.map((d) => d.r),
      keyOf,
    )
    for (const { r, validUntil, daysLeft, mode } of due) {
      const key = keyOf(r)
      const member = members.get(r.member_id)
      if (done.has(key) || !member) continue
      const res = await deps.db.transaction().execute((trx) =>
        send(trx, email, {
          programId: r.program_id,
          member,
          kind: 'coupon_expiring',
          data: {
            name: member.name,
            rewardTitle: r.reward_title,
            benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
            couponCode: r.coupon_code,
            validUntil,
            daysLeft,
            mode,
          },
          reason: ptBR.couponExpiring.reason(r.coupon_code, validUntil, r.id),
          dedupeKey: key,
        }),
      )
      if (res.status === 'queued') queued++
    }
  }
  return queued
}
