import {
  AmountRedemptionView,
  amountRedemptionDescription,
  CashbackRulesView,
  cashbackRulesDescription,
  UpdateAmountRedemptionBody,
  UpdateCashbackRulesBody,
} from '../../shared/api/cashback.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

export function registerCashbackRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute } = adminRoutes(ctx, 'Cashback')

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/cashback-rules',
      summary: "A cashback program's earning and redemption rules",
      description: cashbackRulesDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Cashback rules', schema: CashbackRulesView } },
    },
    async (c, { program }) => {
      service.requireMode(program, 'cashback')
      return c.json(await service.getCashbackRules(db, program.id))
    },
  )

  programRoute(
    {
      method: 'patch',
      path: '/v1/programs/:programId/cashback-rules',
      summary: "Change a cashback program's rules",
      description: cashbackRulesDescription,
      params: ProgramParams,
      body: UpdateCashbackRulesBody,
      responses: { 200: { description: 'Cashback rules', schema: CashbackRulesView } },
    },
    async (c, { program, body }) => {
      service.requireMode(program, 'cashback')
      return c.json(await db.transaction().execute((trx) => service.updateCashbackRules(trx, program.id, body)))
    },
  )

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/amount-redemption',
      summary: "A points program's option to redeem a chosen amount in reais",
      description: amountRedemptionDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Amount redemption', schema: AmountRedemptionView } },
    },
    async (c, { program }) => {
      service.requireMode(program, 'points')
      return c.json(await service.getAmountRedemption(db, program.id))
    },
  )

  programRoute(
    {
      method: 'patch',
      path: '/v1/programs/:programId/amount-redemption',
      summary: "Change a points program's amount redemption option",
      description: amountRedemptionDescription,
      params: ProgramParams,
      body: UpdateAmountRedemptionBody,
      responses: { 200: { description: 'Amount redemption', schema: AmountRedemptionView } },
    },
    async (c, { program, body }) => {
      service.requireMode(program, 'points')
      return c.json(await db.transaction().execute((trx) => service.updateAmountRedemption(trx, program.id, body)))
    },
  )
}
