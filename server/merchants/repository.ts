import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { NewMerchant } from '../db/schema.ts'

export const findMerchantByEmail = (db: Executor, email: string) =>
  db.selectFrom('merchants').selectAll().where('email', '=', email).executeTakeFirst()

export const findMerchantById = (db: Executor, id: string) =>
  db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst()

export const anyMerchantExists = async (db: Executor) =>
  !!(await db.selectFrom('merchants').select('id').limit(1).executeTakeFirst())

/**
 * Until the transaction ends, no other transaction inserts a merchant or takes this lock
 * (SHARE ROW EXCLUSIVE conflicts with itself and with ROW EXCLUSIVE); plain reads (logins) go on.
 */
export async function lockMerchantsTable(trx: Trx): Promise<void> {
  await sql`lock table merchants in share row exclusive mode`.execute(trx)
}

export const insertMerchant = (db: Executor, row: NewMerchant) =>
  db.insertInto('merchants').values(row).returningAll().executeTakeFirstOrThrow()

export const insertApiToken = (
  db: Executor,
  row: { merchant_id: string; name: string; token_hash: string; prefix: string },
) => db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow()

export const listApiTokens = (db: Executor, merchantId: string) =>
  db.selectFrom('api_tokens').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at', 'desc').execute()

export const findActiveApiTokenByHash = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .select(['id', 'merchant_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()

export const touchApiToken = (db: Executor, id: string, at: Date) =>
  db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()

export const revokeApiToken = (db: Executor, merchantId: string, id: string, at: Date) =>
  db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst()

export const findApiToken = (db: Executor, merchantId: string, id: string) =>
  db.selectFrom('api_tokens').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst()
