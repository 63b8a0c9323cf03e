import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * Referrals (issue 19 part 2). `referral_settings`: one row per program once saved (defaults
 * otherwise). `referral_codes`: each member's stable code, made on first ask. `referrals`: one per
 * friend e-mail per program (`friend_email_key`, the normalised address, is unique), holding the
 * friend's coupon (code fixed before any call to LI, as redemptions do), the order that
 * converted, and the credit. `referral_decisions`: every approve/reject, with the merchant.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('referral_settings')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('friend_coupon_cents', 'integer', (c) => c.notNull())
    .addColumn('friend_min_order_cents', 'integer', (c) => c.notNull())
    .addColumn('advocate_reward', 'integer', (c) => c.notNull().check(sql`advocate_reward > 0`))
    .addColumn('advocate_monthly_cap', 'integer', (c) => c.notNull())
    .addColumn('claims_per_ip_per_week', 'integer', (c) => c.notNull())
    .addColumn('share_text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('referral_codes')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('referral_codes_pkey', ['program_id', 'member_id'])
    .addUniqueConstraint('referral_codes_code_key', ['program_id', 'code'])
    .execute()
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('advocate_member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('friend_email', 'text', (c) => c.notNull())
    .addColumn('friend_email_key', 'text', (c) => c.notNull())
    .addColumn('claim_ip', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('review', 'coupon_pending', 'coupon_sent', 'ordered', 'credited', 'capped', 'cancelled', 'rejected', 'coupon_failed')`,
        ),
    )
    .addColumn('reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('held_at', 'text', (c) => c.check(sql`held_at in ('claim', 'arrival')`))
    .addColumn('coupon_code', 'text')
    .addColumn('coupon_cents', 'integer', (c) => c.notNull())
    .addColumn('coupon_min_order_cents', 'integer', (c) => c.notNull())
    .addColumn('li_coupon_id', 'bigint')
    .addColumn('coupon_valid_until', 'date')
    .addColumn('coupon_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('coupon_attempted_at', 'timestamptz')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('failure', 'text')
    .addColumn('order_source', 'text')
    .addColumn('order_external_id', 'text')
    .addColumn('order_checked_at', 'timestamptz')
    .addColumn('credit_available_on', 'date')
    .addColumn('credit_month', 'text')
    .addColumn('credited_amount', 'integer')
    .addColumn('credited_at', 'timestamptz')
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('referrals_friend_key', ['program_id', 'friend_email_key'])
    .execute()
  await sql`create unique index referrals_coupon_code_idx on referrals (coupon_code) where coupon_code is not null`.execute(
    db,
  )
  // The review list and the full list, newest first.
  await sql`create index referrals_program_idx on referrals (program_id, status, claimed_at desc)`.execute(db)
  // An advocate's counts and their credited referrals of a month (the cap).
  await sql`create index referrals_advocate_idx on referrals (program_id, advocate_member_id, status)`.execute(db)
  // Claims of one IP in the last week.
  await sql`create index referrals_ip_idx on referrals (program_id, claim_ip, claimed_at) where claim_ip is not null`.execute(
    db,
  )
  // The minutely pass reads only open referrals.
  await sql`create index referrals_open_idx on referrals (program_id) where status in ('coupon_pending', 'coupon_sent', 'ordered')`.execute(
    db,
  )
  // A referral's friend's orders, found by e-mail (orders store it as the source sent it).
  await sql`create index orders_program_email_idx on orders (program_id, lower(customer_email)) where customer_email is not null`.execute(
    db,
  )
  await db.schema
    .createTable('referral_decisions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('approved', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('merchant_id', 'uuid', (c) => c.references('merchants.id').onDelete('set null'))
    .addColumn('merchant_email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index referral_decisions_referral_idx on referral_decisions (referral_id, id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('referral_decisions').execute()
  await sql`drop index orders_program_email_idx`.execute(db)
  await db.schema.dropTable('referrals').execute()
  await db.schema.dropTable('referral_codes').execute()
  await db.schema.dropTable('referral_settings').execute()
}
