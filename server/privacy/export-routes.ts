import type { Context } from 'hono'
import type { MemberExport } from '../../shared/api/privacy.ts'
import type { AppEnv } from '../http/context.ts'
import { exportCsv } from './csv.ts'

/** The export as a download: JSON (pretty, it is read by people too) or CSV, never cached. */
export function exportAnswer(
  c: Context<AppEnv>,
  data: MemberExport,
  format: 'json' | 'csv' | undefined,
  cache: string,
) {
  const day = data.exportedAt.slice(0, 10)
  const csv = format === 'csv'
  return c.body(csv ? exportCsv(data) : JSON.stringify(data, null, 2), 200, {
    'content-type': csv ? 'text/csv; charset=UTF-8' : 'application/json; charset=UTF-8',
    'content-disposition': `attachment; filename="meus-dados-${day}.${csv ? 'csv' : 'json'}"`,
    'cache-control': cache,
  })
}
