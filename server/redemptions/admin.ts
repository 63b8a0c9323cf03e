import type { AdminRedemptionList, AdminRedemptionQuery, AdminRedemptionView } from '../../shared/api/redemptions.ts'
import type { Executor } from '../db/database.ts'
import { notFound } from '../lib/errors.ts'
import * as repo from './repository.ts'
import { toAdminView } from './views.ts'
import { idPage } from '../lib/paging.ts'

export async function listProgramRedemptions(
  db: Executor,
  programId: string,
  q: AdminRedemptionQuery,
): Promise<AdminRedemptionList> {
  const limit = q.limit ?? 50
  const rows = await repo.listForProgram(db, programId, {
    memberId: q.memberId,
    status: q.status,
    q: q.q,
    beforeId: q.cursor === undefined ? undefined : Number(q.cursor),
    limit: limit + 1,
  })
  return idPage(rows, limit, toAdminView)
}

export async function getProgramRedemption(db: Executor, programId: string, id: number): Promise<AdminRedemptionView> {
  const [r] = await repo.listForProgram(db, programId, { id, limit: 1 })
  if (!r) throw notFound('Redemption')
  return toAdminView(r)
}
