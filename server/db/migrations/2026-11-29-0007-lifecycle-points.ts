import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // A program's points lifecycle: expiry, bonuses, pending period. One row per program that
  // changed a default (no row = everything off); kept apart from `programs` so the hot paths that
  // read programs are untouched.
  await db.schema
    .createTable('points_rules')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    // null = points never expire.
    .addColumn('expiry_months', 'integer', (c) => c.check(sql`expiry_months between 1 and 120`))
    .addColumn('signup_bonus', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`signup_bonus between 0 and 1000000`),
    )
    .addColumn('birthday_bonus', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`birthday_bonus between 0 and 1000000`),
    )
    // 0 = an order's points are spendable as soon as it reaches an awarding status.
    .addColumn('pending_days', 'integer', (c) => c.notNull().defaultTo(0).check(sql`pending_days between 0 and 90`))
    // São Paulo days the daily jobs finished for this program: the next run only looks at what
    // became due after them (null = look at everything, e.g. right after the expiry changed).
    .addColumn('expiry_checked_through', 'date')
    .addColumn('birthdays_checked_through', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // "Points × N between two São Paulo dates", applied to orders placed on those days.
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Hundredths: 200 = double points. Integer maths, like the earn rate.
    .addColumn('multiplier_pct', 'integer', (c) => c.notNull().check(sql`multiplier_pct between 101 and 1000`))
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaigns_dates', sql`ends_on >= starts_on`)
    .execute()
  await sql`create index campaigns_program_idx on campaigns (program_id, starts_on)`.execute(db)

  // Pending period: an order whose points wait is 'pending' with the day they become spendable
  // and the reason its earn entry will carry (computed when it reached the awarding status).
  await sql`alter table orders drop constraint orders_award_state_check`.execute(db)
  await sql`alter table orders add constraint orders_award_state_check check (award_state in ('none', 'pending', 'awarded', 'reversed'))`.execute(
    db,
  )
  await sql`alter table orders add column available_on date, add column pending_reason text`.execute(db)
  // The release job's work, and a member's pending points in the widget: small partial indexes.
  await sql`create index orders_pending_release_idx on orders (available_on) where award_state = 'pending'`.execute(db)
  await sql`create index orders_member_pending_idx on orders (member_id) where award_state = 'pending'`.execute(db)

  // Birthday bonus: members whose birthday (month, day) is a given day, per program.
  await sql`create index members_birthday_idx on members (program_id, (extract(month from birth_date)), (extract(day from birth_date)))
    where birth_date is not null`.execute(db)
  // Points expiry: a program's credits by time, to find who has points earned in a window.
  await sql`create index ledger_entries_credits_idx on ledger_entries (program_id, created_at) where amount > 0`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index ledger_entries_credits_idx`.execute(db)
  await sql`drop index members_birthday_idx`.execute(db)
  await sql`drop index orders_member_pending_idx`.execute(db)
  await sql`drop index orders_pending_release_idx`.execute(db)
  await sql`alter table orders drop column available_on, drop column pending_reason`.execute(db)
  await sql`alter table orders drop constraint orders_award_state_check`.execute(db)
  await sql`alter table orders add constraint orders_award_state_check check (award_state in ('none', 'awarded', 'reversed'))`.execute(
    db,
  )
  await db.schema.dropTable('campaigns').execute()
  await db.schema.dropTable('points_rules').execute()
}
