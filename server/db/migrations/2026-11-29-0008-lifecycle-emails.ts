import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // Per-program switches and bookkeeping of the lifecycle e-mails. No row = the defaults
  // (enabled, nothing disabled, no backfill done yet).
  await db.schema
    .createTable('lifecycle_email_settings')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    // The merchant's kill switch: false = no lifecycle e-mail of this program is written.
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // Kinds the merchant turned off one by one ('points_earned', …).
    .addColumn('disabled_kinds', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // The welcome drip's pacing: the send time of the next welcome e-mail. Persisted so the pace
    // survives restarts and holds across every worker process.
    .addColumn('welcome_next_slot_at', 'timestamptz')
    // The integration's activated_at whose members were all given a welcome marker (the backfill
    // runs once per activation; a re-activation backfills members enrolled while paused).
    .addColumn('welcome_backfill_for', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // The durable "welcome e-mail" marker, one per member, ever: written (in batches) when a member
  // is enrolled and by the backfill at activation; the drip job turns pending markers into
  // outbox rows at the configured rate, in the same transaction as the outbox row.
  await db.schema
    .createTable('lifecycle_welcomes')
    .addColumn('member_id', 'bigint', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    // 0 = a shopper is waiting for it (joined in the widget, enrolled by hand); 1 = bulk (sync,
    // ERP sales, activation backfill). Lower goes first, so a join is not stuck behind a backlog.
    .addColumn('priority', 'smallint', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'queued', 'skipped')`),
    )
    // Why no e-mail was written ('unsubscribed', 'disabled', 'no_consent').
    .addColumn('skip_reason', 'text')
    .addColumn('outbox_id', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .execute()
  // The drip reads the next pending markers of one program in this order.
  await sql`create index lifecycle_welcomes_pending_idx on lifecycle_welcomes (program_id, priority, member_id)
            where status = 'pending'`.execute(db)

  // The daily "points earned" digest reads one program's credits of one São Paulo day through
  // 0007's ledger_entries_credits_idx (program_id, created_at) where amount > 0: no index here.

  // Programs already active when this ships: their existing members are not welcomed
  // retroactively (they joined long ago); members enrolled from now on are.
  await sql`insert into lifecycle_email_settings (program_id, welcome_backfill_for)
            select program_id, activated_at from integrations where active and activated_at is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lifecycle_welcomes').execute()
  await db.schema.dropTable('lifecycle_email_settings').execute()
}
