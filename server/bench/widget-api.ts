import { fork, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import * as v from 'valibot'
import { WidgetMe } from '../../shared/api/widget.ts'
import { setPasswordHashCost } from '../auth/passwords.ts'
import { parseJwtKeys } from '../config/secrets.ts'
import { openDatabase, type Database } from '../db/database.ts'
import { migrateToLatest } from '../db/migrator.ts'
import { WidgetTokens } from '../identity/tokens.ts'
import { insertMembers } from '../members/repository.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { testDatabase } from '../test/database.ts'
import { START_ARGS } from '../test/server-process.ts'

const MEMBERS = 10_000
/** More than the 20 `me` shows, so the LIMIT does real work. */
const ENTRIES_PER_MEMBER = 25
const CONNECTIONS = 100
const DURATION_S = 10
const WARMUP_S = 3
/**
 * Rounds of (node, hono, me), 10 s each, interleaved: on a shared machine the load of other
 * processes drifts over a minute, and a ratio of two runs taken a minute apart measures that
 * drift more than the servers. The median of each figure (and of the per-round ratios) is printed.
 */
const ROUNDS = 3

/**
 * `GET /v1/widget/:programKey/me` of the real server, started exactly as `npm start` starts it
 * (the esbuild bundle on plain node with the same heap flags, config from the environment,
 * LOG_LEVEL=info as in production, HTTP only: RUN_JOBS=false as an API process) with 10,000
 * members, against a bare node:http and a bare Hono hello world, each loaded by autocannon (100
 * connections, 10 s, ROUNDS interleaved rounds) from this process. Every `me` request carries the
 * next of 10,000 members' tokens. Each server first gets a warm-up (JIT; for `me`, one pass over
 * every token, as a widget reuses its token for 15 minutes, so the verified-token cache is warm as
 * in production). The servers idle while another one is measured.
 * Runs on the database DATABASE_URL names (real PostgreSQL in the issue); PGlite otherwise.
 */
export async function run() {
  setPasswordHashCost(10)
  const jwtKeys = `bench:${randomBytes(36).toString('base64url')}`
  const target = await prepareDatabase()
  try {
    const { programId, programKey, memberIds } = await seed(target.database)
    // Signed with the same JWT_KEYS the server gets: what its login would have handed out.
    const tokens = new WidgetTokens(parseJwtKeys(jwtKeys), 'fidelis')
    const auth = await Promise.all(
      memberIds.map(async (id) => `Bearer ${(await tokens.sign(programId, id, 'bench')).token}`),
    )
    await target.release()
    console.error(
      `seeded ${memberIds.length} members × ${ENTRIES_PER_MEMBER} entries on ${target.dialect}; ${auth.length} tokens`,
    )

    const serverEnv = {
      ...target.env,
      JWT_KEYS: jwtKeys,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      HOST: '127.0.0.1',
      RUN_JOBS: 'false',
      LOG_LEVEL: 'info',
    }
    /**
     * Each request carries the next member's token, set in place (autocannon hands the hook a
     * fresh copy). The hook makes autocannon rebuild every request, which costs the load generator
     * ~60 µs per request on the same 2 cores the server uses; prebuilding one request per token
     * instead means 100 × 10,000 builds that block the load generator for seconds (timeouts).
     */
    const rotating = () => {
      let i = 0
      return [{ setupRequest: (r: any) => ((r.headers.authorization = auth[i++ % auth.length]), r) }]
    }
    const servers = await Promise.all([startBareServer('node'), startBareServer('hono'), startApp(serverEnv)])
    try {
      const [node, hono, app] = servers.map((s) => s.url) as [string, string, string]
      const meUrl = `${app}/v1/widget/${programKey}/me`
      const targets: Record<'node' | 'hono' | 'me', () => autocannon.Options> = {
        node: () => ({ url: node }),
        hono: () => ({ url: hono }),
        me: () => ({ url: meUrl, requests: rotating() }),
      }
      const res = await fetch(meUrl, { headers: { authorization: auth[0]! } })
      const body = v.parse(WidgetMe, await res.json())
      if (res.status !== 200 || body.history.length !== 20) throw new Error(`me answered ${res.status}`)
      // One pass over every token: what 10,000 widgets that already hold a session look like.
      await load({ url: meUrl, connections: CONNECTIONS, amount: auth.length, requests: rotating() })
      for (const make of Object.values(targets)) await load({ ...make(), connections: CONNECTIONS, duration: WARMUP_S })

      const runs: Record<keyof typeof targets, Array<{ rps: number; p99: number }>> = { node: [], hono: [], me: [] }
      for (let round = 1; round <= ROUNDS; round++) {
        for (const [name, make] of Object.entries(targets) as Array<[keyof typeof targets, () => autocannon.Options]>) {
          runs[name].push(
            await measure(`${name} #${round}`, { ...make(), connections: CONNECTIONS, duration: DURATION_S }),
          )
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
      const rps = (name: keyof typeof targets) => median(runs[name].map((r) => r.rps))
      console.log(
        JSON.stringify({
          bench: 'widget-api',
          me_rps: Math.round(rps('me')),
          me_p99_ms: median(runs.me.map((r) => r.p99)),
          bare_node_rps: Math.round(rps('node')),
          bare_hono_rps: Math.round(rps('hono')),
          ratio_vs_hono: Math.round(median(runs.me.map((r, i) => r.rps / runs.hono[i]!.rps)) * 1000) / 1000,
        }),
      )
    } finally {
      await Promise.all(servers.map((s) => stopServer(s.child)))
    }
  } finally {
    await target.close()
  }
}

interface Target {
  dialect: string
  env: Record<string, string>
  database: Database
  /** Lets the server process at the data (PGlite is one process at a time). */
  release(): Promise<void>
  close(): Promise<void>
}

async function prepareDatabase(): Promise<Target> {
  if (process.env.DATABASE_URL) {
    const database = await testDatabase()
    return {
      dialect: 'postgres',
      env: { DATABASE_URL: database.url! },
      database,
      release: async () => {},
      close: () => database.close(),
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-widget-bench-'))
  const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') })
  const report = await migrateToLatest(database.db)
  if (report.error) throw report.error
  let open = true
  const release = async () => {
    if (open) await database.close()
    open = false
  }
  return {
    dialect: 'pglite',
    env: { DATA_DIR: dataDir },
    database,
    release,
    close: async () => {
      await release()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function seed(database: Database) {
  const { db } = database
  const merchant = await createMerchant(db, { email: 'bench-widget@loja.test', password: 'benchmark password' })
  const program = await createProgram(db, merchant.id, {
    name: 'Clube Bench',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#000000',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  await db
    .insertInto('integrations')
    .values({
      program_id: program.id,
      credential_kind: 'personal_token',
      api_key_enc: 'x',
      api_key_last4: '0000',
      site_url: 'https://www.loja.test',
      active: true,
    })
    .execute()
  const ids: number[] = []
  for (let i = 0; i < MEMBERS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, MEMBERS - i) }, (_, j) => ({
      program_id: program.id,
      email: `m${i + j}@bench.test`,
      name: `Membro ${i + j}`,
    }))
    ids.push(...(await insertMembers(db, rows)).map((r) => r.id))
  }
  // Set-based: 250,000 entries in two statements (the ledger service is benchmarked elsewhere).
  await sql`insert into ledger_entries (program_id, member_id, kind, amount, reason, idempotency_key, order_ref)
    select m.program_id, m.id, 'earn', 10 + g, 'Pontos da compra nº ' || (m.id * 100 + g),
      'bench:' || m.id || ':' || g, (m.id * 100 + g)::text
    from members m cross join generate_series(1, ${ENTRIES_PER_MEMBER}) g where m.program_id = ${program.id}`.execute(
    db,
  )
  await sql`update members m set balance = s.total
    from (select member_id, sum(amount)::int as total from ledger_entries group by member_id) s
    where s.member_id = m.id and m.program_id = ${program.id}`.execute(db)
  await sql`analyze`.execute(db)
  return { programId: program.id, programKey: program.programKey, memberIds: ids }
}

/** One measured load; any failed request fails the bench. */
async function measure(label: string, opts: autocannon.Options): Promise<{ rps: number; p99: number }> {
  const result = await load(opts)
  const bad = result.non2xx + result.errors + result.timeouts
  console.error(
    `${label}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ` +
      `${result.latency.p99} ms, ${result.requests.total} requests, ${bad} failed`,
  )
  if (bad > 0)
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`)
  return { rps: result.requests.average, p99: result.latency.p99 }
}

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

/** A bare hello-world server (widget-servers.ts); it tells its URL over IPC. */
async function startBareServer(mode: 'node' | 'hono'): Promise<{ child: ChildProcess; url: string }> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'widget-servers.ts')
  const child = fork(entry, [mode], {
    execArgv: ['--import', 'tsx', ...serverArgs()],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  process.once('exit', () => child.kill('SIGKILL'))
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: any) => resolve(m.url))
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)))
  })
  return { child, url }
}

/** The real server, as `npm start` runs it; ready once /health answers. */
async function startApp(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  // stdout to /dev/null as a log collector would take it; the server still writes every line.
  const child = spawn(process.execPath, [...serverArgs(), ...START_ARGS], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  process.once('exit', () => child.kill('SIGKILL'))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000 // the bundle is built first
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { child, url }
    if (Date.now() > deadline) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** BENCH_SERVER_ARGS adds node flags to every server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them. */
const serverArgs = () => process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? []

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}
