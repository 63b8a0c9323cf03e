import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openDatabase, type Database } from '../db/database.ts'
import { migrateToLatest } from '../db/migrator.ts'
import { installJobSchema } from '../jobs/jobs.ts'

/**
 * Per-test-file databases on both dialects, cloned from a template that is migrated once:
 * - PGlite: a `dumpDataDir` tarball in .data/test-templates, loaded into a fresh in-memory
 *   instance (~0.5 s instead of ~2.5 s for initdb + migrations);
 * - PostgreSQL (DATABASE_URL set): `CREATE DATABASE … TEMPLATE <migrated template>`, dropped
 *   when the test file closes it.
 * The template's name carries a hash of the migrations and pg-boss version, so a changed
 * migration builds a new one.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function templateHash(): string {
  const h = createHash('sha256')
  const dir = path.join(root, 'server/db/migrations')
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)))
  h.update(JSON.parse(fs.readFileSync(path.join(root, 'node_modules/pg-boss/package.json'), 'utf8')).version)
  return h.digest('hex').slice(0, 12)
}

async function migrateFresh(database: Database) {
  const report = await migrateToLatest(database.db)
  if (report.error) throw report.error
  await installJobSchema(database)
}

function withDatabase(url: string, name: string) {
  const u = new URL(url)
  u.pathname = '/' + name
  return u.toString()
}

function baseName(url: string) {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres'
}

const quote = (ident: string) => '"' + ident.replace(/"/g, '""') + '"'

/** Builds the template if it is missing. Safe to call from concurrent processes. */
export async function ensureTemplate(databaseUrl = process.env.DATABASE_URL): Promise<string> {
  const hash = templateHash()
  if (!databaseUrl) {
    const file = path.join(root, '.data/test-templates', `pglite-${hash}.tar.gz`)
    if (fs.existsSync(file)) return file
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const database = await openDatabase({ dataDir: 'memory://' })
    await migrateFresh(database)
    const blob = await database.dump!()
    await database.close()
    // Write then rename: a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()))
    fs.renameSync(tmp, file)
    return file
  }
  const template = `${baseName(databaseUrl)}_tpl_${hash}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  try {
    // Serialise builders across test processes.
    await admin.query('select pg_advisory_lock(hashtext($1))', [template])
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template])
    if (exists.rowCount === 0) {
      await admin.query(`create database ${quote(template)}`)
      const database = await openDatabase({ databaseUrl: withDatabase(databaseUrl, template), poolMax: 2 })
      try {
        await migrateFresh(database)
      } catch (err) {
        await database.close()
        await admin.query(`drop database ${quote(template)}`)
        throw err
      }
      await database.close()
    }
    await admin.query('select pg_advisory_unlock(hashtext($1))', [template])
  } finally {
    await admin.end()
  }
  return template
}

let counter = 0

/** A fresh, migrated database for one test file. `close()` disposes of it. */
export async function testDatabase(): Promise<Database & { url?: string }> {
  const databaseUrl = process.env.DATABASE_URL
  const template = await ensureTemplate(databaseUrl)
  if (!databaseUrl) {
    return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([fs.readFileSync(template)]) })
  }
  const name = `${baseName(databaseUrl)}_t_${process.pid}_${++counter}_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${quote(name)} template ${quote(template)}`)
  } finally {
    await admin.end()
  }
  const database = await openDatabase({ databaseUrl: withDatabase(databaseUrl, name), poolMax: 10 })
  return {
    ...database,
    url: withDatabase(databaseUrl, name),
    close: async () => {
      await database.close()
      const a = new pg.Client({ connectionString: databaseUrl })
      await a.connect()
      try {
        await a.query(`drop database if exists ${quote(name)} with (force)`)
      } finally {
        await a.end()
      }
    },
  }
}
