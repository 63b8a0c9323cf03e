import { PROGRAM_PURGE_GRACE_HOURS, type ProgramDeletion } from '../../shared/api/privacy.ts'
import type { AppDeps } from '../deps.ts'
import { disconnectForDeletion } from '../integrations/service.ts'
import { AppError } from '../lib/errors.ts'
import { getOwnedProgram, setProgramDeletion } from '../programs/service.ts'
import * as purgeRepo from './purge-repository.ts'

type Deps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'log' | 'liFetch'>

const HOUR_MS = 3_600_000

/**
 * A store leaves (issue 22 §2). At once: the LI order webhook is removed, the LI key erased, the
 * integration turned off (no sync, no login, no e-mail), e-mails not sent yet dropped, and the
 * program disappears for shoppers and jobs. After the grace period the purge job
 * (purge.ts) removes every row of the program; until then the merchant can undo.
 */
export async function deleteProgram(
  deps: Deps,
  merchantId: string,
  programId: string,
  confirmName: string,
): Promise<ProgramDeletion & { webhookRemoved: boolean }> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  if (confirmName.trim() !== program.name.trim())
    throw new AppError('validation_failed', "Type the program's name exactly to confirm", { field: 'confirmName' })
  if (program.deletion_requested_at) {
    return {
      deletionRequestedAt: program.deletion_requested_at.toISOString(),
      purgeAfter: program.purge_after?.toISOString() ?? null,
      webhookRemoved: false,
    }
  }
  // Outside any transaction: LI answers while no row is locked.
  const { webhookRemoved } = await disconnectForDeletion(deps, program.id)
  const requestedAt = new Date()
  const purgeAfter = new Date(requestedAt.getTime() + PROGRAM_PURGE_GRACE_HOURS * HOUR_MS)
  await deps.db.transaction().execute(async (trx) => {
    await setProgramDeletion(trx, merchantId, program.id, { requestedAt, purgeAfter })
    await purgeRepo.dropUnsentEmails(trx, program.id)
  })
  deps.log.info('program scheduled for deletion', { programId: program.id, webhookRemoved })
  return { deletionRequestedAt: requestedAt.toISOString(), purgeAfter: purgeAfter.toISOString(), webhookRemoved }
}

/**
 * Undoes a deletion within the grace period. The LI key stays erased: the merchant saves it
 * again and re-activates (which registers the webhook again), as the panel says.
 */
export async function restoreProgram(deps: Deps, merchantId: string, programId: string): Promise<ProgramDeletion> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  if (!program.deletion_requested_at) return { deletionRequestedAt: null, purgeAfter: null }
  if (program.purge_after && program.purge_after.getTime() <= Date.now())
    throw new AppError('conflict', 'The grace period is over: the program is being purged')
  await setProgramDeletion(deps.db, merchantId, program.id, null)
  return { deletionRequestedAt: null, purgeAfter: null }
}
