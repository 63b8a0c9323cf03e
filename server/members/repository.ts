import { sql } from 'kysely'
import type { Executor } from '../db/database.ts'
import type { NewMember } from '../db/schema.ts'
import { anyOf } from '../db/sql.ts'

export const insertMember = (db: Executor, row: NewMember) =>
  db.insertInto('members').values(row).returningAll().executeTakeFirstOrThrow()

export const findMember = (db: Executor, programId: string, memberId: number) =>
  db.selectFrom('members').selectAll().where('program_id', '=', programId).where('id', '=', memberId).executeTakeFirst()

export const findMemberByEmail = (db: Executor, programId: string, email: string) =>
  db.selectFrom('members').selectAll().where('program_id', '=', programId).where('email', '=', email).executeTakeFirst()

/** Newest first, keyset-paginated by id; `q` matches an e-mail fragment or a name prefix. */
export function searchMembers(
  db: Executor,
  programId: string,
  opts: { q?: string | undefined; tierId?: string | undefined; beforeId?: number; limit: number },
) {
  let query = db.selectFrom('members').selectAll().where('program_id', '=', programId)
  // The tier filter reads server/tiers' standings table inside this one query (keyset paging
  // with the other filters cannot be split across services); member_tiers_tier_idx serves it.
  if (opts.tierId)
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('member_tiers')
        .select('member_id')
        .where('program_id', '=', programId)
        .where('tier_id', '=', opts.tierId!),
    )
  if (opts.q) {
    const q = opts.q.toLowerCase().replace(/[\\%_]/g, (ch) => '\\' + ch)
    query = query.where((eb) => eb.or([eb('email', 'like', `%${q}%`), eb(sql`lower(name)`, 'like', `${q}%`)]))
  }
  if (opts.beforeId !== undefined) query = query.where('id', '<', opts.beforeId)
  return query.orderBy('id', 'desc').limit(opts.limit).execute()
}

/** Bulk insert (sync imports and benchmarks); returns the new rows' ids in input order. */
export async function insertMembers(db: Executor, rows: NewMember[]) {
  if (rows.length === 0) return []
  return db.insertInto('members').values(rows).returning(['id', 'email']).execute()
}

export async function findMembersByLiIds(db: Executor, programId: string, liIds: number[]) {
  if (liIds.length === 0) return []
  return db
    .selectFrom('members')
    .selectAll()
    .where('program_id', '=', programId)
    .where('li_customer_id', '=', anyOf(liIds, 'bigint'))
    .execute()
}

/** Member ids by LI customer id, and nothing else (the order sync looks up thousands per batch). */
export async function memberIdsByLiIds(
  db: Executor,
  programId: string,
  liIds: number[],
): Promise<Array<{ id: number; li_customer_id: number }>> {
  if (liIds.length === 0) return []
  const rows = await db
    .selectFrom('members')
    .select(['id', 'li_customer_id'])
    .where('program_id', '=', programId)
    .where('li_customer_id', '=', anyOf(liIds, 'bigint'))
    .execute()
  return rows as Array<{ id: number; li_customer_id: number }>
}

export async function findMembersByEmails(db: Executor, programId: string, emails: string[]) {
  if (emails.length === 0) return []
  return db
    .selectFrom('members')
    .selectAll()
    .where('program_id', '=', programId)
    .where('email', '=', anyOf(emails, 'text'))
    .execute()
}

export const updateMember = (
  db: Executor,
  programId: string,
  memberId: number,
  set: Partial<Pick<NewMember, 'email' | 'name' | 'cpf' | 'birth_date' | 'li_customer_id'>>,
) =>
  db
    .updateTable('members')
    .set({ ...set, updated_at: new Date() })
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .execute()

/** Inserts members, skipping e-mails or LI ids that already exist (a concurrent writer won). */
export async function insertMembersIgnoringConflicts(db: Executor, rows: NewMember[]) {
  if (rows.length === 0) return []
  // Arrays through unnest(): a page of a thousand customers is six parameters, not six thousand.
  const col = <T>(f: (r: NewMember) => T) => rows.map(f)
  const res = await sql<{ id: number; email: string; li_customer_id: number | null }>`
    insert into members (program_id, email, name, cpf, birth_date, li_customer_id)
    select * from unnest(
      ${col((r) => r.program_id)}::uuid[], ${col((r) => r.email)}::text[], ${col((r) => r.name ?? null)}::text[],
      ${col((r) => r.cpf ?? null)}::text[], ${col((r) => r.birth_date ?? null)}::date[],
      ${col((r) => r.li_customer_id ?? null)}::bigint[])
    on conflict do nothing
    returning id, email, li_customer_id`.execute(db)
  return res.rows
}

/**
 * How many of the store's customers are members (the sync enrols every one): an index-only count
 * on members_program_li_customer_key.
 */
export async function countStoreCustomers(db: Executor, programId: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select(sql<string>`count(*)`.as('n'))
    .where('program_id', '=', programId)
    .where('li_customer_id', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- erasure tombstones (keyed hashes only; see tombstones.ts) -------------------------------

export async function findTombstones(db: Executor, programId: string, emailHashes: string[], liHashes: string[]) {
  if (emailHashes.length === 0 && liHashes.length === 0) return []
  return db
    .selectFrom('member_tombstones')
    .select(['email_hash', 'li_customer_hash'])
    .where('program_id', '=', programId)
    .where((eb) =>
      eb.or([
        eb('email_hash', '=', anyOf(emailHashes.length ? emailHashes : [''], 'text')),
        eb('li_customer_hash', '=', anyOf(liHashes.length ? liHashes : [''], 'text')),
      ]),
    )
    .execute()
}

export async function insertTombstone(db: Executor, programId: string, emailHash: string, liHash: string | null) {
  await db
    .insertInto('member_tombstones')
    .values({ program_id: programId, email_hash: emailHash, li_customer_hash: liHash })
    .onConflict((oc) =>
      oc.columns(['program_id', 'email_hash']).doUpdateSet({ li_customer_hash: liHash, erased_at: new Date() }),
    )
    .execute()
}

export async function deleteTombstones(db: Executor, programId: string, emailHash: string, liHash: string | null) {
  await db
    .deleteFrom('member_tombstones')
    .where('program_id', '=', programId)
    .where((eb) =>
      liHash === null
        ? eb('email_hash', '=', emailHash)
        : eb.or([eb('email_hash', '=', emailHash), eb('li_customer_hash', '=', liHash)]),
    )
    .execute()
}

/** LI customers among these who hold (or held until the given instant) one of our coupons. */
export async function couponHoldersByLiIds(db: Executor, programId: string, liIds: number[]) {
  if (liIds.length === 0) return []
  const rows = await db
    .selectFrom('members')
    .select(['li_customer_id', 'coupon_held_until'])
    .where('program_id', '=', programId)
    .where('li_customer_id', '=', anyOf(liIds, 'bigint'))
    .where('coupon_held_until', 'is not', null)
    .execute()
  return rows as Array<{ li_customer_id: number; coupon_held_until: Date }>
}

/**
 * These members hold one of our coupons until `until` (the latest of their coupons wins; a
 * member twice in one call: the later). The sync reads their orders' details meanwhile.
 */
export async function holdCoupons(
  db: Executor,
  programId: string,
  holds: ReadonlyArray<{ memberId: number; until: Date }>,
) {
  if (holds.length === 0) return
  await sql`
    update members m
    set coupon_held_until = greatest(coalesce(m.coupon_held_until, h.until), h.until)
    from (select id, max(until) as until
          from unnest(${holds.map((h) => h.memberId)}::bigint[], ${holds.map((h) => h.until)}::timestamptz[]) as u(id, until)
          group by id) h
    where m.program_id = ${programId} and m.id = h.id`.execute(db)
}
