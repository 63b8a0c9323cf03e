import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // Where the storefront launcher sits: the merchant picks the bottom corner and its distance in
  // px from the side and from the bottom (stores put chat buttons and cookie bars in corners).
  // The defaults are where the launcher always was: bottom right, 20 px from both edges.
  await db.schema
    .alterTable('programs')
    .addColumn('launcher_corner', 'text', (c) =>
      c.notNull().defaultTo('bottom-right').check(sql`launcher_corner in ('bottom-right', 'bottom-left')`),
    )
    .addColumn('launcher_offset_x', 'integer', (c) =>
      c.notNull().defaultTo(20).check(sql`launcher_offset_x between 0 and 200`),
    )
    .addColumn('launcher_offset_y', 'integer', (c) =>
      c.notNull().defaultTo(20).check(sql`launcher_offset_y between 0 and 200`),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('programs')
    .dropColumn('launcher_corner')
    .dropColumn('launcher_offset_x')
    .dropColumn('launcher_offset_y')
    .execute()
}
