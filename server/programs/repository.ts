import type { Executor } from '../db/database.ts'
import type { NewProgram, ProgramUpdate } from '../db/schema.ts'

// Every query is scoped by merchant: a program id alone never opens a program.

export const insertProgram = (db: Executor, row: NewProgram) =>
  db.insertInto('programs').values(row).returningAll().executeTakeFirstOrThrow()

export const findOwnedProgram = (db: Executor, merchantId: string, programId: string) =>
  db
    .selectFrom('programs')
    .selectAll()
    .where('id', '=', programId)
    .where('merchant_id', '=', merchantId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()

export const listOwnedPrograms = (db: Executor, merchantId: string) =>
  db
    .selectFrom('programs')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .execute()

export const updateOwnedProgram = (db: Executor, merchantId: string, programId: string, set: ProgramUpdate) =>
  db
    .updateTable('programs')
    .set(set)
    .where('id', '=', programId)
    .where('merchant_id', '=', merchantId)
    .where('archived_at', 'is', null)
    .returningAll()
    .executeTakeFirst()

export const findProgramByKey = (db: Executor, programKey: string) =>
  db
    .selectFrom('programs')
    .selectAll()
    .where('program_key', '=', programKey)
    .where('archived_at', 'is', null)
    // A program scheduled for deletion is gone for shoppers and jobs; only its owner still sees it (to undo).
    .where('deletion_requested_at', 'is', null)
    .executeTakeFirst()

/** For background jobs that already hold a program id from a trusted source (a queued job). */
export const findProgramById = (db: Executor, programId: string) =>
  db
    .selectFrom('programs')
    .selectAll()
    .where('id', '=', programId)
    .where('archived_at', 'is', null)
    .where('deletion_requested_at', 'is', null)
    .executeTakeFirst()
