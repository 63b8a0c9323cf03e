import type { Executor } from '../../db/database.ts'
import type { AppDeps } from '../../deps.ts'
import type { LifecycleKind } from '../templates/index.ts'
import * as repo from './repository.ts'

/**
 * The gate every lifecycle e-mail passes (design rule 7): the program's integration is active,
 * the merchant's kill switch is not pulled and the kind is not turned off.
 */

export type LifecycleDeps = Pick<AppDeps, 'db' | 'jobs' | 'config' | 'secrets' | 'log'>

type GateClosed = 'no_program' | 'not_active' | 'disabled' | 'kind_disabled'
export type Gate =
  | {
      open: true
      programName: string
      pointsName: string
      /** The program's words: cashback e-mails speak of reais. */
      mode: 'points' | 'cashback'
      activatedAt: Date | null
    }
  | { open: false; why: GateClosed }

export async function lifecycleGate(db: Executor, programId: string, kind: LifecycleKind): Promise<Gate> {
  const row = await repo.findGate(db, programId)
  if (!row) return { open: false, why: 'no_program' }
  if (!row.active) return { open: false, why: 'not_active' }
  if (row.enabled === false) return { open: false, why: 'disabled' }
  if (row.disabled_kinds?.includes(kind)) return { open: false, why: 'kind_disabled' }
  return {
    open: true,
    programName: row.name,
    pointsName: row.points_name,
    mode: row.mode,
    activatedAt: row.activated_at,
  }
}

/** Gates of several programs, asked once per job run. */
export function gateCache(db: Executor, kind: LifecycleKind) {
  const cache = new Map<string, Promise<Gate>>()
  return (programId: string) => {
    let g = cache.get(programId)
    if (!g) cache.set(programId, (g = lifecycleGate(db, programId, kind)))
    return g
  }
}
