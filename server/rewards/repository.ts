import { sql, type ExpressionBuilder } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { DB, FeedImportItemsTable, FeedImportsTable, NewReward, RewardKind, RewardUpdate } from '../db/schema.ts'
import type { Insertable, Updateable } from 'kysely'
import { transactionLock } from '../db/sql.ts'

// Every query takes the program id: a reward or import id alone never opens anything.

// ---- rewards ---------------------------------------------------------------------------------

export const insertReward = (db: Executor, row: NewReward) =>
  db.insertInto('rewards').values(row).returningAll().executeTakeFirstOrThrow()

export const findReward = (db: Executor, programId: string, rewardId: string) =>
  db.selectFrom('rewards').selectAll().where('program_id', '=', programId).where('id', '=', rewardId).executeTakeFirst()

/** Row lock for read-modify-write of one reward (updates now; redemptions will take it too). */
export const lockReward = (trx: Trx, programId: string, rewardId: string) =>
  trx
    .selectFrom('rewards')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', rewardId)
    .forUpdate()
    .executeTakeFirst()

export const updateReward = (db: Executor, programId: string, rewardId: string, set: RewardUpdate) =>
  db
    .updateTable('rewards')
    .set({ ...set, updated_at: new Date() })
    .where('program_id', '=', programId)
    .where('id', '=', rewardId)
    .returningAll()
    .executeTakeFirstOrThrow()

/**
 * What a shopper can redeem right now. The one definition of "available", shared by the admin
 * list filter and the widget/redemption side.
 */
export function isAvailable(eb: ExpressionBuilder<DB, 'rewards'>) {
  return eb.and([
    eb('active', '=', true),
    eb('removed_from_feed_at', 'is', null),
    eb.or([eb('total_stock', 'is', null), eb('issued_count', '<', eb.ref('total_stock'))]),
  ])
}

export interface RewardFilter {
  source?: 'manual' | 'feed' | undefined
  kind?: RewardKind | undefined
  active?: boolean | undefined
  available?: boolean | undefined
  q?: string | undefined
}

/** Alphabetical by title, keyset-paged on (title, id). Fetches one extra row to know if more follow. */
export function listRewards(
  db: Executor,
  programId: string,
  filter: RewardFilter,
  limit: number,
  after: { title: string; id: string } | null,
) {
  let query = db.selectFrom('rewards').selectAll().where('program_id', '=', programId)
  if (filter.source) query = query.where('source', '=', filter.source)
  if (filter.kind) query = query.where('kind', '=', filter.kind)
  if (filter.active !== undefined) query = query.where('active', '=', filter.active)
  if (filter.available === true) query = query.where(isAvailable)
  if (filter.available === false) query = query.where((eb) => eb.not(isAvailable(eb)))
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const q = filter.q
    query = query.where((eb) => eb.or([eb('title', 'ilike', pattern), eb('feed_item_id', '=', q)]))
  }
  if (after) query = query.where((eb) => eb(eb.refTuple('title', 'id'), '>', eb.tuple(after.title, after.id)))
  return query
    .orderBy('title')
    .orderBy('id')
    .limit(limit + 1)
    .execute()
}

/** The program's redeemable rewards, cheapest first (widget catalogue). */
export const listAvailableRewards = (db: Executor, programId: string, limit: number) =>
  db
    .selectFrom('rewards')
    .selectAll()
    .where('program_id', '=', programId)
    .where(isAvailable)
    .orderBy('points_cost')
    .orderBy('title')
    .orderBy('id')
    .limit(limit)
    .execute()

// ---- feed imports ----------------------------------------------------------------------------

export const insertFeedImport = (db: Executor, row: Insertable<FeedImportsTable>) =>
  db.insertInto('feed_imports').values(row).returningAll().executeTakeFirstOrThrow()

export const updateFeedImport = (
  db: Executor,
  programId: string,
  importId: number,
  set: Updateable<FeedImportsTable>,
) => db.updateTable('feed_imports').set(set).where('program_id', '=', programId).where('id', '=', importId).execute()

export const lockFeedImport = (trx: Trx, programId: string, importId: number) =>
  trx
    .selectFrom('feed_imports')
    .select(['id', 'status'])
    .where('program_id', '=', programId)
    .where('id', '=', importId)
    .forUpdate()
    .executeTakeFirst()

export const findFeedImport = (db: Executor, programId: string, importId: number) =>
  db
    .selectFrom('feed_imports')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', importId)
    .executeTakeFirst()

export const listFeedImports = (db: Executor, programId: string, limit: number) =>
  db
    .selectFrom('feed_imports')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()

export const findRunningImports = (db: Executor, programId: string) =>
  db
    .selectFrom('feed_imports')
    .select(['id'])
    .where('program_id', '=', programId)
    .where('status', '=', 'running')
    .execute()

/** Keeps the newest `keep` reports of a program (their staged items go with them). */
export async function pruneFeedImports(db: Executor, programId: string, keep: number): Promise<void> {
  await db
    .deleteFrom('feed_imports')
    .where('program_id', '=', programId)
    .where('status', '!=', 'running')
    .where(
      'id',
      'not in',
      db.selectFrom('feed_imports').select('id').where('program_id', '=', programId).orderBy('id', 'desc').limit(keep),
    )
    .execute()
}

/**
 * Serialises the end of imports of one program across processes (a job whose lease expired may
 * still be running somewhere). Transaction-scoped: released at commit or rollback.
 */
export const lockProgramFeed = (trx: Trx, programId: string) => transactionLock(trx, `feed-import:${programId}`)

/** Programs whose feed is imported daily: an active integration with a feed URL. */
export const listProgramsWithFeed = (db: Executor) =>
  db
    .selectFrom('integrations')
    .innerJoin('programs', 'programs.id', 'integrations.program_id')
    .select('integrations.program_id')
    .where('integrations.active', '=', true)
    .where('integrations.feed_url', 'is not', null)
    .where('programs.archived_at', 'is', null)
    .orderBy('integrations.program_id')
    .execute()

// ---- staged items of an import in progress ---------------------------------------------------

/**
 * One INSERT per batch from column arrays (`unnest`): 8 parameters instead of 8 per row. Measured
 * on 50 000 items: the per-row VALUES form spent more time building and serialising the query
 * (and made more garbage) than PostgreSQL spent inserting.
 */
export async function insertStagedItems(db: Executor, rows: FeedImportItemsTable[]): Promise<void> {
  if (rows.length === 0) return
  const importId = rows[0]!.import_id
  const column = <K extends keyof FeedImportItemsTable>(key: K) => rows.map((r) => r[key])
  await sql`
    insert into feed_import_items
      (import_id, feed_item_id, title, image_url, link, price_cents, sale_price_cents, points_cost)
    select ${importId}::bigint, * from unnest(
      ${column('feed_item_id')}::text[], ${column('title')}::text[], ${column('image_url')}::text[],
      ${column('link')}::text[],
      ${column('price_cents')}::bigint[], ${column('sale_price_cents')}::bigint[], ${column('points_cost')}::int[]
    )
  `.execute(db)
}

export async function deleteStagedItems(db: Executor, importId: number): Promise<void> {
  await db.deleteFrom('feed_import_items').where('import_id', '=', importId).execute()
}

/**
 * Upserts the next `batchSize` staged items (in feed_item_id order, after `afterId`) into the
 * program's feed rewards. A row is only rewritten when something changed, so a daily import of
 * an unchanged catalogue writes almost nothing; a manual points cost (override) is kept.
 */
export async function applyStagedBatch(
  trx: Trx,
  programId: string,
  importId: number,
  afterId: string,
  batchSize: number,
): Promise<{ staged: number; lastId: string | null; created: number; updated: number }> {
  const result = await sql<{ staged: number; last_id: string | null; created: number; updated: number }>`
    with batch as (
      select * from feed_import_items
      where import_id = ${importId} and feed_item_id > ${afterId}
      order by feed_item_id
      limit ${batchSize}
    ), up as (
      insert into rewards as r
        (program_id, kind, source, title, image_url, link, points_cost, feed_item_id, price_cents, sale_price_cents)
      select ${programId}::uuid, 'product', 'feed', b.title, b.image_url, b.link, b.points_cost, b.feed_item_id,
        b.price_cents, b.sale_price_cents
      from batch b
      on conflict (program_id, feed_item_id) do update set
        title = excluded.title,
        image_url = excluded.image_url,
        link = excluded.link,
        price_cents = excluded.price_cents,
        sale_price_cents = excluded.sale_price_cents,
        points_cost = case when r.points_cost_override then r.points_cost else excluded.points_cost end,
        removed_from_feed_at = null,
        updated_at = now()
      where r.title is distinct from excluded.title
         or r.image_url is distinct from excluded.image_url
         or r.link is distinct from excluded.link
         or r.price_cents is distinct from excluded.price_cents
         or r.sale_price_cents is distinct from excluded.sale_price_cents
         or r.removed_from_feed_at is not null
         or (not r.points_cost_override and r.points_cost <> excluded.points_cost)
      returning (xmax = 0) as created
    )
    select
      (select count(*) from batch)::int as staged,
      (select max(feed_item_id) from batch) as last_id,
      (select count(*) from up where created)::int as created,
      (select count(*) from up where not created)::int as updated
  `.execute(trx)
  const row = result.rows[0]!
  return { staged: row.staged, lastId: row.last_id, created: row.created, updated: row.updated }
}

/** Feed rewards of the program that are not in this import: marked removed (not deleted). */
export async function markRemovedFromFeed(trx: Trx, programId: string, importId: number, now: Date): Promise<number> {
  const result = await trx
    .updateTable('rewards')
    .set({ removed_from_feed_at: now, updated_at: now })
    .where('program_id', '=', programId)
    .where('source', '=', 'feed')
    .where('removed_from_feed_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('feed_import_items')
            .select(sql`1`.as('one'))
            .where('feed_import_items.import_id', '=', importId)
            .whereRef('feed_import_items.feed_item_id', '=', 'rewards.feed_item_id'),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
