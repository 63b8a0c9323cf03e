import {
  AmountRedemptionView,
  amountRedemptionDescription,
  CashbackRulesView,
  cashbackRulesDescription,
  UpdateAmountRedemptionBody,
  UpdateCashbackRulesBody,
} from '../../shared/api/cashback.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

export function registerCashbackRoutes(ctx: RouteContext) {
  const { settingsRoutes } = adminRoutes(ctx, 'Cashback')

  // Each setting belongs to one mode: asked of a program of the other, both routes refuse it.
  settingsRoutes({
    path: '/v1/programs/:programId/cashback-rules',
    get: {
      summary: "A cashback program's earning and redemption rules",
      description: cashbackRulesDescription,
      response: { description: 'Cashback rules', schema: CashbackRulesView },
    },
    save: {
      method: 'patch',
      summary: "Change a cashback program's rules",
      description: cashbackRulesDescription,
      body: UpdateCashbackRulesBody,
      response: { description: 'Cashback rules', schema: CashbackRulesView },
    },
    read: (db, program) => {
      service.requireMode(program, 'cashback')
      return service.getCashbackRules(db, program.id)
    },
    check: (program) => service.requireMode(program, 'cashback'),
    write: (trx, program, body) => service.updateCashbackRules(trx, program.id, body),
  })

  settingsRoutes({
    path: '/v1/programs/:programId/amount-redemption',
    get: {
      summary: "A points program's option to redeem a chosen amount in reais",
      description: amountRedemptionDescription,
      response: { description: 'Amount redemption', schema: AmountRedemptionView },
    },
    save: {
      method: 'patch',
      summary: "Change a points program's amount redemption option",
      description: amountRedemptionDescription,
      body: UpdateAmountRedemptionBody,
      response: { description: 'Amount redemption', schema: AmountRedemptionView },
    },
    read: (db, program) => {
      service.requireMode(program, 'points')
      return service.getAmountRedemption(db, program.id)
    },
    check: (program) => service.requireMode(program, 'points'),
    write: (trx, program, body) => service.updateAmountRedemption(trx, program.id, body),
  })
}
