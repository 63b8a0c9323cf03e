import type { Executor } from '../../db/database.ts'
import type { LifecycleKind } from '../templates/index.ts'
import * as repo from './repository.ts'

// The merchant's switches of the lifecycle e-mails (admin API).

export interface LifecycleSettings {
  enabled: boolean
  disabledKinds: LifecycleKind[]
}

export async function getLifecycleSettings(db: Executor, programId: string): Promise<LifecycleSettings> {
  const row = await repo.findSettings(db, programId)
  return { enabled: row?.enabled ?? true, disabledKinds: (row?.disabled_kinds ?? []) as LifecycleKind[] }
}

export async function setLifecycleSettings(
  db: Executor,
  programId: string,
  set: Partial<LifecycleSettings>,
): Promise<LifecycleSettings> {
  const row = await repo.upsertSettings(db, programId, {
    ...(set.enabled !== undefined ? { enabled: set.enabled } : {}),
    ...(set.disabledKinds !== undefined ? { disabled_kinds: [...new Set(set.disabledKinds)] } : {}),
  })
  return { enabled: row.enabled, disabledKinds: row.disabled_kinds as LifecycleKind[] }
}
