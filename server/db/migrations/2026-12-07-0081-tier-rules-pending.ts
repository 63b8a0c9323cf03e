import type { Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * A rules change of a big program (over 20,000 members) is applied by a job, not inside the
 * PUT: `pending_body` holds the saved body until the job replaces the tiers and re-evaluates
 * everyone in one transaction; `pending_since` says since when (the panel's "Reavaliando…").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tier_rules')
    .addColumn('pending_body', 'jsonb')
    .addColumn('pending_since', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tier_rules').dropColumn('pending_body').dropColumn('pending_since').execute()
}
