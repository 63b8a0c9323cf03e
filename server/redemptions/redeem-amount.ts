import { randomBytes } from 'node:crypto'
import type { AmountRedeemBody } from '../../shared/api/cashback.ts'
import { quoteAmount } from '../cashback/rules.ts'
import { amountSettings } from '../cashback/service.ts'
import type { AppDeps } from '../deps.ts'
import { amountTitle, cashbackReasons, reasons } from '../i18n/reasons.ts'
import { findIntegration } from '../integrations/service.ts'
import { lockBalances, postEntries } from '../ledger/service.ts'
import { AppError } from '../lib/errors.ts'
import { findProgramById } from '../programs/service.ts'
import { couponQueue } from './queues.ts'
import type { RedeemResult } from './redeem.ts'
import * as repo from './repository.ts'
import { generateCouponCode } from './rules.ts'

const amountError = (message: string) => new AppError('validation_failed', message, { field: 'amountCents' })

/**
 * A coupon of a value the shopper chose (issue 18), on the same exactly-once path as a reward
 * (redeem.ts): one transaction locks the member, checks, debits and inserts the pending
 * redemption, which is its own coupon job; the job, the refund on failure and the refund of a
 * coupon that expired unused are the rewards' own. The coupon is LI's `fixo` of exactly `amountCents`, single
 * use, whose `valor_minimo` is amountCents ÷ maxOrderSharePct %, rounded up to the cent — that
 * minimum is what enforces "at most N % of an order" at LI's checkout. In a cashback program the
 * debit is the cents themselves; in a points program amountCents ÷ centsPerPoint points.
 */
export async function redeemAmount(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  programId: string,
  memberId: number,
  body: AmountRedeemBody,
): Promise<RedeemResult> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const balances = await lockBalances(trx, programId, [memberId])
    const balance = balances.get(memberId)
    if (balance === undefined) throw new AppError('unauthorized', 'This member no longer exists in the program')

    const prior = await repo.findByKey(trx, programId, memberId, body.idempotencyKey)
    if (prior) {
      if (prior.reward_kind !== 'amount' || Number(prior.amount_cents) !== body.amountCents)
        throw new AppError('idempotency_conflict', 'This idempotency key was already used for another redemption', {
          field: 'idempotencyKey',
        })
      return { redemption: prior, created: false }
    }
    const program = await findProgramById(trx, programId)
    if (!program) throw new AppError('not_found', 'Program not found')
    const settings = await amountSettings(trx, program)
    if (!settings)
      throw new AppError('amount_redemption_off', 'This program does not redeem chosen amounts', {
        field: 'amountCents',
      })
    if (!(await findIntegration(trx, programId))?.active)
      throw new AppError('program_paused', 'The program is paused: its connection to the store is not active')

    const q = quoteAmount(body.amountCents, balance, settings)
    if (!q.ok) {
      switch (q.reason) {
        case 'below_minimum':
          throw amountError(`must be at least ${settings.minCents} cents`)
        case 'above_maximum':
          throw amountError(`must be at most ${settings.maxCents} cents`)
        case 'not_a_step':
          throw amountError(`must be a multiple of ${settings.centsPerPoint} cents (the value of one point)`)
        case 'insufficient':
          throw new AppError('insufficient_points', `Not enough balance: it is ${balance} and this costs ${q.cost}`, {
            field: 'amountCents',
            details: { balance, pointsCost: q.cost },
          })
      }
    }
    const cashback = program.mode === 'cashback'
    const title = amountTitle(q.couponValueCents, cashback)
    const redemption = await repo.insertRedemption(trx, {
      program_id: programId,
      member_id: memberId,
      reward_id: null,
      idempotency_key: body.idempotencyKey,
      status: 'pending',
      points_cost: q.cost,
      reward_kind: 'amount',
      reward_title: title,
      coupon_type: 'fixo',
      coupon_value: q.couponValueCents,
      minimum_order_cents: q.minimumOrderCents,
      amount_cents: q.couponValueCents,
      coupon_code: generateCouponCode(randomBytes),
    })
    await postEntries(
      trx,
      programId,
      [
        {
          memberId,
          kind: 'redeem',
          amount: -q.cost,
          reason: cashback ? cashbackReasons.redeem(q.couponValueCents) : reasons.redeem(title),
          idempotencyKey: `redemption:${redemption.id}`,
          redemptionId: redemption.id,
        },
      ],
      balances,
    )
    return { redemption, created: true }
  })
  if (result.created) deps.jobs.wake(couponQueue)
  return result
}
