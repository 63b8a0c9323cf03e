import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // A member's spending of points on a reward, and the coupon it becomes in Loja Integrada.
  // pending → issued → (used | refunded when it expired unused); pending → failed (points back).
  await db.schema
    .createTable('redemptions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('reward_id', 'uuid', (c) => c.notNull().references('rewards.id'))
    // Chosen by the client per click: the same key twice is one redemption.
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'issued', 'failed', 'used', 'refunded')`),
    )
    .addColumn('points_cost', 'integer', (c) => c.notNull().check(sql`points_cost > 0`))
    // What was bought, copied at redemption time: the reward may change or leave the feed later,
    // and the coupon must be what the member saw when they confirmed.
    .addColumn('reward_kind', 'text', (c) => c.notNull())
    .addColumn('reward_title', 'text', (c) => c.notNull())
    .addColumn('coupon_type', 'text', (c) =>
      c.notNull().check(sql`coupon_type in ('fixo', 'porcentagem', 'frete_gratis')`),
    )
    // Cents for 'fixo', percent × 100 for 'porcentagem', 0 for 'frete_gratis'.
    .addColumn('coupon_value', 'bigint', (c) => c.notNull().check(sql`coupon_value >= 0`))
    .addColumn('minimum_order_cents', 'bigint')
    // Generated when the redemption is created, before any call to LI: a resumed job creates (or
    // finds) exactly this code, which is how one redemption can never become two coupons.
    .addColumn('coupon_code', 'text', (c) => c.notNull())
    .addColumn('li_coupon_id', 'bigint')
    // The São Paulo calendar day sent as LI's `validade`, and its last second as an instant.
    .addColumn('valid_until_day', 'date')
    .addColumn('expires_at', 'timestamptz')
    // Coupon job bookkeeping: attempts made, whether a POST may have reached LI, and a short
    // lease so two workers never call LI for one redemption at the same time.
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('create_attempted_at', 'timestamptz')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('failure_code', 'text')
    // pt-BR, shown to the member.
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('issued_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('used_at', 'timestamptz')
    .addColumn('refunded_at', 'timestamptz')
    .addUniqueConstraint('redemptions_program_member_key', ['program_id', 'member_id', 'idempotency_key'])
    .addUniqueConstraint('redemptions_program_code_key', ['program_id', 'coupon_code'])
    .addCheckConstraint(
      'redemptions_issued_fields',
      sql`status not in ('issued', 'used', 'refunded') or (li_coupon_id is not null and expires_at is not null)`,
    )
    .execute()
  // The member's list, newest first, and per-reward limits.
  await sql`create index redemptions_member_idx on redemptions (member_id, id desc)`.execute(db)
  // Admin list per program, newest first.
  await sql`create index redemptions_program_idx on redemptions (program_id, id desc)`.execute(db)
  // The sweeper's pending work and the daily reconciliation of issued coupons: small partial indexes.
  await sql`create index redemptions_pending_idx on redemptions (created_at) where status = 'pending'`.execute(db)
  await sql`create index redemptions_issued_idx on redemptions (program_id) where status = 'issued'`.execute(db)
  // Coupons about to expire (the lifecycle e-mail reminding shoppers of unused coupons).
  await sql`create index redemptions_issued_expiry_idx on redemptions (expires_at) where status = 'issued'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('redemptions').execute()
}
