import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // When the movement happened, beside when it was written (created_at): a store's first import
  // writes months of orders in one day, and a history dated by created_at showed every one of them
  // on the import day. Set at posting: an order's earn = when the order was placed; its reversal =
  // when the source reported the change (the order's update time); everything else = now().
  await sql`alter table ledger_entries add column occurred_at timestamptz`.execute(db)
  // Existing entries: from their orders where the order is known, else their own created_at. A
  // reversal takes the order's last update, but never later than the entry itself (the order may
  // have changed again since, e.g. paid again after the cancellation).
  await sql`
    update ledger_entries e
    set occurred_at = case when e.kind = 'earn' then least(o.placed_at, e.created_at)
                           else least(o.source_updated_at, e.created_at) end
    from orders o
    where e.order_ref is not null and e.kind in ('earn', 'reverse')
      and o.program_id = e.program_id and e.order_ref = o.source || ':' || o.external_id`.execute(db)
  await sql`update ledger_entries set occurred_at = created_at where occurred_at is null`.execute(db)
  await sql`alter table ledger_entries alter column occurred_at set default now(),
            alter column occurred_at set not null`.execute(db)
  // Histories are read newest happening first, paged by (occurred_at, id): see ledger/repository.ts.
  await sql`create index ledger_entries_member_occurred_idx on ledger_entries (member_id, occurred_at desc, id desc)`.execute(
    db,
  )
  // Sync health's "points awarded since activation": a sum over one program's earn entries by
  // time, answered from the index alone (amount included) instead of visiting every entry's row.
  await sql`create index ledger_entries_earn_idx on ledger_entries (program_id, created_at) include (amount)
            where kind = 'earn'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index ledger_entries_earn_idx`.execute(db)
  await sql`drop index ledger_entries_member_occurred_idx`.execute(db)
  await sql`alter table ledger_entries drop column occurred_at`.execute(db)
}
