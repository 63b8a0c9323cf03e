import { randomBytes } from 'node:crypto'
import type { CreateProgramBody, ProgramView, UpdateProgramBody } from '../../shared/api/programs.ts'
import type { Executor } from '../db/database.ts'
import type { Program, ProgramUpdate } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import * as repo from './repository.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { findProgramById, findProgramByKey } from './repository.ts'

export interface ProgramRules {
  id: string
  earnRate: number
}

export function toProgramView(p: Program): ProgramView {
  return {
    id: p.id,
    programKey: p.program_key,
    name: p.name,
    mode: p.mode,
    pointsName: p.points_name,
    earnRate: Number(p.earn_rate),
    primaryColor: p.primary_color,
    textColor: p.text_color,
    joiningOpen: p.joining_open,
    launcherCorner: p.launcher_corner,
    launcherOffsetX: p.launcher_offset_x,
    launcherOffsetY: p.launcher_offset_y,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  }
}

/** Public and unguessable enough that keys cannot be enumerated; not a secret (it is in the page). */
function newProgramKey() {
  return 'pk_' + randomBytes(12).toString('hex')
}

export async function createProgram(db: Executor, merchantId: string, input: CreateProgramBody): Promise<ProgramView> {
  const row = await repo.insertProgram(db, {
    merchant_id: merchantId,
    program_key: newProgramKey(),
    name: input.name,
    mode: input.mode ?? 'points',
    points_name: input.pointsName,
    earn_rate: String(input.earnRate),
    primary_color: input.primaryColor,
    text_color: input.textColor,
    joining_open: input.joiningOpen,
  })
  return toProgramView(row)
}

/** The program if this merchant owns it; otherwise 404 (never 403: ids of others are not confirmed). */
export async function getOwnedProgram(db: Executor, merchantId: string, programId: string): Promise<Program> {
  const p = await repo.findOwnedProgram(db, merchantId, programId)
  if (!p) throw notFound('Program')
  return p
}

export async function listPrograms(db: Executor, merchantId: string): Promise<ProgramView[]> {
  return (await repo.listOwnedPrograms(db, merchantId)).map(toProgramView)
}

export async function updateProgram(
  db: Executor,
  merchantId: string,
  programId: string,
  input: UpdateProgramBody,
): Promise<ProgramView> {
  if (input.mode !== undefined) {
    // Balances are in the mode's unit (points or cents): switching would silently change their meaning.
    const current = await repo.findOwnedProgram(db, merchantId, programId)
    if (!current) throw notFound('Program')
    if (current.mode !== input.mode)
      throw new AppError(
        'program_mode_locked',
        `A program's mode is chosen at creation and cannot change (this one is ${current.mode}); create a new program instead`,
        { field: 'mode' },
      )
  }
  const set: ProgramUpdate = { updated_at: new Date() }
  if (input.name !== undefined) set.name = input.name
  if (input.pointsName !== undefined) set.points_name = input.pointsName
  if (input.earnRate !== undefined) set.earn_rate = String(input.earnRate)
  if (input.primaryColor !== undefined) set.primary_color = input.primaryColor
  if (input.textColor !== undefined) set.text_color = input.textColor
  if (input.joiningOpen !== undefined) set.joining_open = input.joiningOpen
  if (input.launcherCorner !== undefined) set.launcher_corner = input.launcherCorner
  if (input.launcherOffsetX !== undefined) set.launcher_offset_x = input.launcherOffsetX
  if (input.launcherOffsetY !== undefined) set.launcher_offset_y = input.launcherOffsetY
  const row = await repo.updateOwnedProgram(db, merchantId, programId, set)
  if (!row) throw notFound('Program')
  return toProgramView(row)
}

/** Archives rather than deletes: the ledger of a program is history that must stay readable. */
export async function archiveProgram(db: Executor, merchantId: string, programId: string): Promise<void> {
  const row = await repo.updateOwnedProgram(db, merchantId, programId, {
    archived_at: new Date(),
    updated_at: new Date(),
  })
  if (!row) throw notFound('Program')
}
