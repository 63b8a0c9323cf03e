/**
 * Keyset paging by id, newest first: repositories read `limit + 1` rows before the cursor's id;
 * the extra row only says whether another page exists, and the cursor is the last id shown.
 */
export function idPage<R extends { id: number }, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  return { items: page.map(view), nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null }
}
